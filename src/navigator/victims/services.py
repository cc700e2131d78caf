"""Every write to a victim record: one function per business action, audited in the same transaction."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from navigator.core import audit
from navigator.core.fields import encrypted_field_names
from navigator.core.models import AuditAction, Force, Role
from navigator.core.scoping import CHANGE

from .models import Consent, Victim
from .vocab import ConsentPurpose, Status

EDITABLE_FIELDS = (
    "full_name", "aliases", "date_of_birth", "phone", "address", "gender", "age_band", "nationality",
    "exploitation_types", "county_lines", "methods_of_control", "known_to", "support_level", "engagement_status",
    "classification",
)
_MASKED = encrypted_field_names(Victim)


def _snapshot(victim: Victim) -> dict:
    data = {name: getattr(victim, name) for name in EDITABLE_FIELDS + ("status", "closed_on", "closure_reason")}
    data["force"] = victim.force.code if victim.force_id else None
    data["navigators"] = sorted(victim.navigators.values_list("username", flat=True)) if victim.pk else []
    for key, value in data.items():
        if isinstance(value, datetime.date):
            data[key] = value.isoformat()
    return data


def _require_navigator_of(actor, force: Force) -> None:
    if actor.role != Role.NAVIGATOR or force.pk not in actor.force_ids:
        raise PermissionDenied("Only a navigator deployed to this force can change its victims")


@transaction.atomic
def create_victim(*, actor, force: Force, navigators=(), **fields) -> Victim:
    _require_navigator_of(actor, force)
    locked = Force.objects.select_for_update().get(pk=force.pk)
    locked.victim_sequence += 1
    locked.save(update_fields=["victim_sequence"])
    victim = Victim(force=locked, reference=f"{locked.code}-V-{locked.victim_sequence:06d}", **fields)
    victim.refresh_indexes()
    victim.full_clean(exclude=["name_index", "dob_index", "reference"])
    victim.save()
    victim.navigators.set(list(navigators) or [actor])
    audit.record(actor=actor, action=AuditAction.CREATE, obj=victim,
                 changes=audit.field_changes({}, _snapshot(victim), _MASKED))
    return victim


@transaction.atomic
def update_victim(*, actor, victim: Victim, navigators=None, **fields) -> Victim:
    """Change a victim's details; `navigators`, if given, must be navigators deployed to its force."""
    victim = Victim.objects.visible_to(actor, CHANGE).select_for_update().get(pk=victim.pk)
    before = _snapshot(victim)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(victim, name, value)
    victim.refresh_indexes()
    victim.full_clean(exclude=["name_index", "dob_index", "reference"])
    victim.save()
    if navigators is not None:
        navigators = list(navigators)
        if any(n.role != Role.NAVIGATOR or victim.force_id not in n.force_ids for n in navigators):
            raise PermissionDenied("only navigators deployed to the victim's force can be assigned")
        victim.navigators.set(navigators)
    changes = audit.field_changes(before, _snapshot(victim), _MASKED)
    if changes:
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=victim, changes=changes)
    return victim


@transaction.atomic
def close_victim(*, actor, victim: Victim, reason: str, closed_on: datetime.date | None = None) -> Victim:
    victim = Victim.objects.visible_to(actor, CHANGE).select_for_update().get(pk=victim.pk)
    if victim.status == Status.CLOSED:
        raise ValueError(f"{victim.reference} is already closed")
    before = _snapshot(victim)
    victim.status = Status.CLOSED
    victim.closure_reason = reason
    victim.closed_on = closed_on or timezone.localdate()
    victim.full_clean(exclude=["name_index", "dob_index", "reference"])
    victim.save()
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=victim,
                 changes=audit.field_changes(before, _snapshot(victim), _MASKED))
    return victim


@transaction.atomic
def give_consent(*, actor, victim: Victim, purpose: str, given_on: datetime.date, means: str) -> Consent:
    victim = Victim.objects.visible_to(actor, CHANGE).get(pk=victim.pk)
    if victim.consents.filter(purpose=purpose, withdrawn_on__isnull=True).exists():
        raise ValueError(f"consent for {ConsentPurpose(purpose).label.lower()} already stands")
    consent = Consent.objects.create(victim=victim, purpose=purpose, given_on=given_on, means=means,
                                     recorded_by=actor)
    audit.record(actor=actor, action=AuditAction.CREATE, obj=consent, changes={
        "purpose": {"before": None, "after": purpose},
        "given_on": {"before": None, "after": given_on.isoformat()},
        "means": {"before": None, "after": means},
    })
    return consent


@transaction.atomic
def withdraw_consent(*, actor, consent: Consent, withdrawn_on: datetime.date | None = None) -> Consent:
    consent = Consent.objects.visible_to(actor, CHANGE).select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        raise ValueError("this consent was already withdrawn")
    consent.withdrawn_on = withdrawn_on or timezone.localdate()
    consent.save(update_fields=["withdrawn_on"])
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=consent,
                 changes={"withdrawn_on": {"before": None, "after": consent.withdrawn_on.isoformat()}})
    return consent


def record_view(*, actor, victim: Victim, identity_shown: bool) -> None:
    audit.record(actor=actor, action=AuditAction.VIEW, obj=victim, changes={"identity_shown": identity_shown})


def record_search(*, actor, criteria: dict, result_count: int) -> None:
    audit.record_search(actor=actor, object_type="victims.victim", criteria=criteria, result_count=result_count)
