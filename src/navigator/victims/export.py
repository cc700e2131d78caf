"""Exports of victim records, scoped to the exporting user and stamped with their classification."""

import csv
import json

from django.utils import timezone

from navigator.core import audit
from navigator.core.models import AuditAction, Classification, Role

from .models import IDENTITY_FIELDS, Victim

COLUMNS = (
    "reference", "force", "full_name", "aliases", "date_of_birth", "phone", "address", "gender", "age_band",
    "nationality", "exploitation_types", "county_lines", "methods_of_control", "known_to", "support_level",
    "engagement_status", "status", "closed_on", "closure_reason", "classification",
)
POLICE_COLUMNS = ("reference", "force", "support_level", "engagement_status", "status", "classification")


def _row(victim: Victim, user) -> dict:
    columns = COLUMNS
    if user.role == Role.POLICE:
        columns = POLICE_COLUMNS + (IDENTITY_FIELDS if victim.police_may_see_identity() else ())
    row = {}
    for name in columns:
        value = victim.force.code if name == "force" else getattr(victim, name)
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        row[name] = value
    return row


def highest_marking(markings) -> str:
    markings = set(markings)
    if not markings or Classification.OFFICIAL_SENSITIVE in markings:
        return Classification.OFFICIAL_SENSITIVE
    return Classification.OFFICIAL


def export_victims(*, actor, stream, fmt: str, progress=None) -> int:
    """Write every victim the actor may see to stream; audited as one export event."""
    if actor.role not in (Role.NAVIGATOR, Role.LEAD, Role.POLICE):
        raise PermissionError(f"{actor.get_role_display()} users cannot export named victim records")
    victims = (Victim.objects.visible_to(actor).select_related("force").with_police_consent()
               .order_by("force__code", "reference"))
    marking = highest_marking(victims.values_list("classification", flat=True).distinct())
    count = victims.count()
    stamp = {"classification": marking, "exported_at": timezone.now().isoformat(timespec="seconds"),
             "exported_by": actor.get_username(), "records": count}
    if fmt == "csv":
        stream.write(f"{marking} - exported by {stamp['exported_by']} at {stamp['exported_at']}; "
                     f"{count} records\n")
        writer = csv.DictWriter(stream, fieldnames=list(COLUMNS if actor.role != Role.POLICE
                                                        else POLICE_COLUMNS + IDENTITY_FIELDS),
                                extrasaction="ignore")
        writer.writeheader()
        for done, victim in enumerate(victims.iterator(chunk_size=500), start=1):
            row = _row(victim, actor)
            for key in ("exploitation_types", "methods_of_control", "known_to"):
                if key in row:
                    row[key] = ";".join(row[key])
            writer.writerow(row)
            if progress:
                progress(done, count)
    elif fmt == "jsonl":
        stream.write(json.dumps({"_marking": stamp}) + "\n")
        for done, victim in enumerate(victims.iterator(chunk_size=500), start=1):
            stream.write(json.dumps(_row(victim, actor), ensure_ascii=False) + "\n")
            if progress:
                progress(done, count)
    else:
        raise ValueError(f"unknown format {fmt!r}: choose csv or jsonl")
    audit.record(actor=actor, action=AuditAction.EXPORT, object_type="victims.victim",
                 changes={"format": fmt, "records": count, "classification": marking})
    return count
