from django.conf import settings
from django.db import models
from django.db.models import Q

from navigator.core.models import Role
from navigator.core.scoping import CHANGE, ScopedQuerySet


class Source(models.TextChoices):
    UPLOAD = "upload", "Uploaded table"
    RECORDS = "records", "Navigator's own victim records"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Waiting"
    RUNNING = "running", "Running"
    DONE = "done", "Finished"
    FAILED = "failed", "Failed"


class EstimateRun(models.Model):
    """One estimate of the hidden number of victims: its table (aggregate counts only), settings and result."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="estimates")
    title = models.CharField(max_length=200)
    source = models.CharField(max_length=8, choices=Source.choices)
    lists = models.JSONField()
    counts = models.JSONField(help_text="Count per capture history, in CaptureTable order")
    method = models.CharField(max_length=8)
    threshold = models.FloatField(default=0.02)
    bootstrap = models.PositiveIntegerField(default=0)
    seed = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def visibility(cls, user, action):
        # Aggregate tables only, never a named record: for leads (all runs) and evaluators (their own).
        if user.role == Role.LEAD:
            return Q() if action != CHANGE else Q(owner=user)
        if user.role == Role.EVALUATOR:
            return Q(owner=user)
        return None
