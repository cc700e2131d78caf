from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q

from .forces import NATIONAL, TERRITORIAL
from .scoping import ScopedQuerySet


class Role(models.TextChoices):
    NAVIGATOR = "navigator", "Navigator"
    LEAD = "lead", "Programme lead"
    POLICE = "police", "Police officer"
    EVALUATOR = "evaluator", "Evaluator"
    ADMIN = "admin", "System administrator"


class Classification(models.TextChoices):
    OFFICIAL = "OFFICIAL", "OFFICIAL"
    OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE"


class Force(models.Model):
    code = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(
        max_length=12, choices=[(TERRITORIAL, "Territorial police force"), (NATIONAL, "National agency")]
    )
    # The last victim number issued in this force, so references never repeat.
    victim_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.NAVIGATOR)
    forces = models.ManyToManyField(Force, through="Deployment", related_name="members", blank=True)

    @property
    def sees_all_forces(self) -> bool:
        return self.role == Role.LEAD

    def working_forces(self):
        """The forces whose records this user works with: all of them for a lead, else their deployments."""
        return Force.objects.all() if self.sees_all_forces else Force.objects.filter(pk__in=self.force_ids)

    @property
    def force_ids(self) -> set[int]:
        cached = getattr(self, "_force_ids", None)
        if cached is None:
            cached = set(self.deployments.values_list("force_id", flat=True))
            self._force_ids = cached
        return cached

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Deployment(models.Model):
    """A navigator deployed to, or a police officer serving in, a force."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deployments")
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="deployments")
    started_on = models.DateField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "force"], name="one_deployment_per_force")]

    def __str__(self) -> str:
        return f"{self.user} in {self.force}"


class AuditAction(models.TextChoices):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    VIEW = "view"
    SEARCH = "search"
    EXPORT = "export"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    KEY_ROTATION = "key_rotation"


# The events of triage decisions, whose changes name the victim a decision linked ("victim" "after") and the one it
# unlinked ("before"). A victim's trail finds them by those values through two partial indexes that hold these events
# alone, rather than reading the whole table; PostgreSQL uses the indexes only for a query that states this condition.
TRIAGE_VICTIM_EVENTS = Q(object_type="screening.policerecord", changes__has_key="victim")


class AuditEvent(models.Model):
    """Append-only; each row carries the hash of the one before (see navigator.core.audit)."""

    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=100, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(F("changes__victim__after"), condition=TRIAGE_VICTIM_EVENTS, name="audit_victim_after"),
            models.Index(F("changes__victim__before"), condition=TRIAGE_VICTIM_EVENTS, name="audit_victim_before"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id} by {self.actor_username}"

    def change_lines(self) -> list[str]:
        """Changes as short sentences for people, e.g. 'Support level: standard → intensive', 'Identity shown: no'."""
        lines = []
        for name, change in self.changes.items():
            label = name.replace("_", " ").capitalize()
            if isinstance(change, dict) and set(change) == {"before", "after"}:
                lines.append(f"{label}: {_readable(change['before'])} → {_readable(change['after'])}")
            else:
                lines.append(f"{label}: {_readable(change)}")
        return lines


def _readable(value) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


class AuditChainHead(models.Model):
    """The newest event's id and hash, so that deleting the last events is also detected."""

    last_event_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"audit chain head at event {self.last_event_id}"


class TaskProgress(models.Model):
    """How far a background task has got, for the page and the terminal to show."""

    task_id = models.CharField(max_length=64, unique=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tasks")
    label = models.CharField(max_length=200)
    stage = models.CharField(max_length=40, blank=True, help_text="The step under way, for a task of several steps "
                             "(an import checks every line, then stores the records)")
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    message = models.TextField(blank=True, help_text="What the task said when it finished or failed")
    result_url = models.CharField(max_length=200, blank=True)
    changed_nothing = models.BooleanField(default=False, help_text="It finished but refused its work, e.g. an "
                                          "import whose bad lines stopped every line")
    # The task's name, for a task of which one at a time may run (a fit of the indicator weights): the constraint
    # then refuses a second one while the first is queued or running, even two asked for at the same moment. Once
    # the first has finished, the next one asked for takes the name over (core.tasks.enqueue_one_at_a_time).
    one_at_a_time = models.CharField(max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["one_at_a_time"], condition=~Q(one_at_a_time=""),
                                               name="one_task_of_a_kind_at_a_time")]

    def __str__(self) -> str:
        return f"{self.label}: {self.done}/{self.total or '?'}"

    @classmethod
    def visibility(cls, user, action):
        # A task's progress and outcome belong to the person who started it.
        return Q(owner=user)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))
