import datetime
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q

from navigator.core.fields import EncryptedTextField
from navigator.core.models import Force, Role
from navigator.core.scoping import AGGREGATE, CHANGE, ScopedQuerySet, force_visibility


class RecordType(models.TextChoices):
    INCIDENT = "incident", "Incident"
    CRIME = "crime", "Crime"
    INTELLIGENCE = "intelligence", "Intelligence"
    CUSTODY = "custody", "Custody"
    STOP = "stop", "Stop and search"
    OTHER = "other", "Other"


ENTITY_LABELS = {"person": "People", "phone": "Phones", "vehicle": "Vehicles", "address": "Addresses",
                 "bank_account": "Bank accounts", "email": "Email addresses"}


class PoliceRecord(models.Model):
    """An imported police record. Its narrative and POLE entities are personal data, so encrypted."""

    # No index of its own: the (force, ref) unique constraint's index serves lookups by force.
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="police_records", db_index=False)
    ref = models.CharField(max_length=100, help_text="The force's own reference")
    recorded_at = models.DateTimeField()
    record_type = models.CharField(max_length=12, choices=RecordType.choices)
    location = EncryptedTextField(blank=True)
    text = EncryptedTextField()
    # The narrative before the last import that changed it, so that a navigator sees what changed since a decision.
    previous_text = EncryptedTextField(blank=True, db_default="", sealed_as="text")
    entities = EncryptedTextField(blank=True, help_text="POLE entities as JSON")
    text_digest = models.CharField(max_length=64, editable=False, help_text="Keyed digest: detects a changed narrative")
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # What screened the record last. Only a record the screening found something in has a ScreeningResult (most match
    # nothing, and a row each cost a seventh of an import): one without was screened clean by this.
    screened_with = models.CharField(max_length=40, blank=True, default="",
                                     help_text="The screener's version; blank: never screened")
    screened_threshold = models.FloatField(null=True, blank=True)
    screened_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["force", "ref"], name="one_record_per_force_ref")]

    def __str__(self) -> str:
        return f"{self.force.code} {self.ref}"

    @classmethod
    def visibility(cls, user, action):
        return force_visibility(user, action, view_roles={Role.NAVIGATOR, Role.LEAD},
                                change_roles={Role.NAVIGATOR})

    def named_entities(self) -> list[tuple[str, list[str]]]:
        """The people, phones, vehicles ... the force's file named with the record: (label, values) by kind."""
        named: dict[str, list[str]] = {}
        for entity in json.loads(self.entities) if self.entities else []:
            named.setdefault(entity["kind"], []).append(entity["value"])
        return [(label, named[kind]) for kind, label in ENTITY_LABELS.items() if kind in named]

    @property
    def screening_outcome(self) -> "ScreeningOutcome":
        """The screening as pages and the API show it: the stored result, or a clean one (score 0, not flagged, no
        hits) when the screening found nothing. Select "screening" with the record to read it without a query."""
        try:
            found = self.screening
        except ScreeningResult.DoesNotExist:  # screened clean, or never screened
            found = ScreeningResult(score=0.0, flagged=False, held_back=False, hits=[])
        return ScreeningOutcome(score=found.score, flagged=found.flagged, held_back=found.held_back, hits=found.hits,
                                library_version=self.screened_with, threshold=self.screened_threshold,
                                screened_at=self.screened_at)


@dataclass(frozen=True)
class ScreeningOutcome:
    """What the screening made of a record, and which screener at which threshold made it."""

    score: float
    flagged: bool
    held_back: bool
    hits: list[dict]
    library_version: str  # blank: never screened
    threshold: float | None
    screened_at: datetime.datetime | None

    @property
    def counted_signs(self) -> list[str]:
        """Ids of the indicators that counted (not negated), in order of first hit."""
        return list(dict.fromkeys(hit["indicator"] for hit in self.hits if not hit["negated"]))

    @property
    def screened(self) -> bool:
        """False for a record never screened (its next re-screen reads it), which must not read as screened clean."""
        return bool(self.library_version)


class ScreeningResult(models.Model):
    """What the screening found in a record: stored only when it found a sign (negated ones too). The record says
    what screened it."""

    record = models.OneToOneField(PoliceRecord, on_delete=models.CASCADE, related_name="screening")
    score = models.FloatField()
    flagged = models.BooleanField()  # indexed together with score (Meta.indexes), which serves both queries
    # Indicator ids, categories and spans only: the matched words stay in the encrypted narrative.
    hits = models.JSONField(default=list)
    # The indicators would flag it but the wording model held it back: navigators can list these to check the model.
    held_back = models.BooleanField(default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["flagged", "-score"])]

    def __str__(self) -> str:
        return f"{self.record}: {self.score:.2f}{' flagged' if self.flagged else ''}"

    @classmethod
    def visibility(cls, user, action):
        return force_visibility(user, action, field="record__force", view_roles={Role.NAVIGATOR, Role.LEAD},
                                change_roles=set())


class Decision(models.TextChoices):
    POTENTIAL = "potential", "Potential modern slavery"
    NOT_MODERN_SLAVERY = "not_ms", "Not modern slavery"
    MORE_INFORMATION = "more_info", "Needs more information"


class TriageDecision(models.Model):
    """A navigator's decision on a record; the newest one counts, earlier ones stay as history."""

    record = models.ForeignKey(PoliceRecord, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(max_length=12, choices=Decision.choices)
    reason = EncryptedTextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)
    victim = models.ForeignKey("victims.Victim", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="triage_decisions")
    is_current = models.BooleanField(default=True)
    # The reason of a "needs more information" decision says what the police should find out, and the decision form
    # tells the navigator that police read it; reasons written before the form said so stay unshared.
    shared_with_police = models.BooleanField(default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["record"], condition=Q(is_current=True),
                                               name="one_current_decision_per_record")]

    def __str__(self) -> str:
        return f"{self.record}: {self.get_decision_display()}"

    @classmethod
    def visibility(cls, user, action):
        # Police see the decisions on their own force's records (not the narratives).
        view_roles = {Role.NAVIGATOR, Role.LEAD, Role.POLICE}
        if action == CHANGE:
            return None
        if action == AGGREGATE:
            # "Potential cases analysed": evaluators count every force's decisions (and read none of them), navigators
            # their forces', leads all; police have the decisions list instead.
            if user.role == Role.EVALUATOR:
                return Q()
            return force_visibility(user, action, field="record__force", view_roles={Role.NAVIGATOR, Role.LEAD},
                                    change_roles=set())
        return force_visibility(user, action, field="record__force", view_roles=view_roles, change_roles=set())


class CalibrationStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Accepted"
    SUPERSEDED = "superseded", "Superseded"


class Calibration(models.Model):
    """Indicator weights fitted from decisions; used for screening only once a lead accepts them."""

    library_version = models.CharField(max_length=40)
    weights = models.JSONField()
    threshold = models.FloatField()
    metrics = models.JSONField()
    status = models.CharField(max_length=12, choices=CalibrationStatus.choices, default=CalibrationStatus.PROPOSED)
    proposed_at = models.DateTimeField(auto_now_add=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at"]
        # Two fits at once (the web and the command line) must not leave two proposals, one of them never read.
        constraints = [models.UniqueConstraint(fields=["status"], condition=Q(status="proposed"),
                                               name="one_proposal_waiting")]

    def __str__(self) -> str:
        return f"calibration {self.pk} ({self.status})"
