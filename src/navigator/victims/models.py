from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from navigator.core.crypto import blind_index
from navigator.core.fields import EncryptedDateField, EncryptedTextField
from navigator.core.models import TRIAGE_VICTIM_EVENTS, AuditEvent, Classification, Force, Role
from navigator.core.scoping import CHANGE, ScopedQuerySet, force_visibility

from .vocab import (
    AgeBand,
    ClosureReason,
    ConsentMeans,
    ConsentPurpose,
    EngagementStatus,
    Gender,
    Status,
    SupportLevel,
)

IDENTITY_FIELDS = ("full_name", "aliases", "date_of_birth", "phone", "address")


class VictimQuerySet(ScopedQuerySet):
    def with_police_consent(self):
        standing = Consent.objects.filter(
            victim=OuterRef("pk"), purpose=ConsentPurpose.SHARE_WITH_POLICE, withdrawn_on__isnull=True
        )
        return self.annotate(police_consent=Exists(standing))


class Victim(models.Model):
    reference = models.CharField(max_length=20, unique=True, editable=False)
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="victims")
    navigators = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="assigned_victims", blank=True)

    full_name = EncryptedTextField()
    aliases = EncryptedTextField(blank=True, help_text="One alias per line")
    date_of_birth = EncryptedDateField(null=True, blank=True)
    phone = EncryptedTextField(blank=True)
    address = EncryptedTextField(blank=True)
    name_index = models.CharField(max_length=40, db_index=True, editable=False)
    dob_index = models.CharField(max_length=40, db_index=True, blank=True, editable=False)

    gender = models.CharField(max_length=24, choices=Gender.choices, default=Gender.UNKNOWN)
    age_band = models.CharField(max_length=8, choices=AgeBand.choices, default=AgeBand.UNKNOWN)
    nationality = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")
    exploitation_types = models.JSONField(default=list, blank=True)
    county_lines = models.BooleanField(default=False)
    methods_of_control = models.JSONField(default=list, blank=True)
    known_to = models.JSONField(default=list, blank=True, help_text="Other lists the victim appears on")
    support_level = models.CharField(max_length=12, choices=SupportLevel.choices, default=SupportLevel.STANDARD)
    engagement_status = models.CharField(
        max_length=12, choices=EngagementStatus.choices, default=EngagementStatus.NOT_ASKED
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=20, choices=ClosureReason.choices, blank=True)
    classification = models.CharField(
        max_length=20, choices=Classification.choices, default=Classification.OFFICIAL_SENSITIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VictimQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True) | Q(status="closed", closed_on__isnull=False),
                name="victim_closed_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @classmethod
    def visibility(cls, user, action):
        return force_visibility(
            user, action,
            view_roles={Role.NAVIGATOR, Role.LEAD, Role.POLICE},
            change_roles={Role.NAVIGATOR},
        )

    def refresh_indexes(self) -> None:
        self.name_index = blind_index(self.full_name, "name")
        self.dob_index = blind_index(self.date_of_birth.isoformat(), "dob") if self.date_of_birth else ""

    def police_may_see_identity(self) -> bool:
        annotated = getattr(self, "police_consent", None)
        if annotated is not None:
            return annotated
        return self.consents.filter(purpose=ConsentPurpose.SHARE_WITH_POLICE, withdrawn_on__isnull=True).exists()

    def identity_visible_to(self, user) -> bool:
        if user.role == Role.POLICE:
            return self.police_may_see_identity()
        return user.role in (Role.NAVIGATOR, Role.LEAD)

    def exploitation_labels(self) -> list[str]:
        from .vocab import ExploitationType

        return [ExploitationType(value).label for value in self.exploitation_types]

    def known_to_labels(self) -> list[str]:
        from .vocab import OtherList

        return [OtherList(value).label for value in self.known_to]

    def control_labels(self) -> list[str]:
        from .vocab import MethodOfControl

        return [MethodOfControl(value).label for value in self.methods_of_control]

    def trail(self):
        """The audit events of this victim, of their consents and of the triage decisions that linked or unlinked
        them (events on the police record), newest first."""
        consent_ids = [str(pk) for pk in self.consents.values_list("pk", flat=True)]
        # Decisions audited before 2026.11.30 named the victim they replaced by id.
        linking = AuditEvent.objects.filter(TRIAGE_VICTIM_EVENTS).filter(
            Q(changes__victim__after=self.reference) | Q(changes__victim__before=self.reference)
            | Q(changes__victim__before=self.pk))
        events = (AuditEvent.objects.filter(object_type="victims.victim", object_id=str(self.pk))
                  | AuditEvent.objects.filter(object_type="victims.consent", object_id__in=consent_ids) | linking)
        return events.order_by("-occurred_at", "-id")


class Consent(models.Model):
    victim = models.ForeignKey(Victim, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=20, choices=ConsentPurpose.choices)
    given_on = models.DateField()
    means = models.CharField(max_length=12, choices=ConsentMeans.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    withdrawn_on = models.DateField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["purpose", "-given_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["victim", "purpose"], condition=Q(withdrawn_on__isnull=True), name="one_standing_consent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.victim.reference} consent: {self.get_purpose_display()}"

    @property
    def standing(self) -> bool:
        return self.withdrawn_on is None

    @classmethod
    def visibility(cls, user, action):
        roles = {Role.NAVIGATOR, Role.LEAD} if action != CHANGE else {Role.NAVIGATOR}
        return force_visibility(user, action, field="victim__force", view_roles=roles, change_roles={Role.NAVIGATOR})
