"""Long work runs as a task on the database queue (django-tasks); its progress is kept for the page and terminal."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import TaskContext

from . import audit
from .models import AuditAction, TaskProgress

UNFINISHED = ("READY", "RUNNING")  # queued and waiting for a worker, or running
# A task of which one at a time may run (a fit: seconds to minutes) still "running" after this lost its worker (stopped
# or killed mid-task, which leaves it running for ever): it no longer holds back the next one.
ABANDONED_AFTER = datetime.timedelta(hours=1)


class AlreadyQueued(Exception):
    """A task of which one at a time may run was asked for while one of its kind is queued or running."""


def enqueue_tracked(task, *, owner, label: str, **kwargs) -> TaskProgress:
    """Queue a task that takes a context, and start its progress record: both or neither (a task nobody can follow
    must not run)."""
    return _enqueue(task, owner=owner, label=label, one_at_a_time="", kwargs=kwargs)


def enqueue_one_at_a_time(task, *, owner, label: str, **kwargs) -> TaskProgress:
    """enqueue_tracked, unless a task of this kind is queued or running: then AlreadyQueued, and nothing is queued.
    The database decides (TaskProgress.one_at_a_time is unique), so two requests at the same moment queue one task."""
    name = task.module_path
    try:
        with transaction.atomic():
            for earlier in TaskProgress.objects.filter(one_at_a_time=name):
                result = _result_of(earlier)
                if _underway(result):
                    continue  # the constraint refuses the new one
                if result is not None and str(result.status) in UNFINISHED:
                    _give_up(earlier, owner)
                TaskProgress.objects.filter(pk=earlier.pk, one_at_a_time=name).update(one_at_a_time="")
            return _enqueue(task, owner=owner, label=label, one_at_a_time=name, kwargs=kwargs)
    except IntegrityError:
        raise AlreadyQueued(f"{name} is already queued or running") from None


def unfinished(task) -> tuple[TaskProgress, str] | None:
    """The progress and status (READY or RUNNING) of the task of this kind that is queued or running, if one is
    (enqueue_one_at_a_time's tasks)."""
    progress = TaskProgress.objects.filter(one_at_a_time=task.module_path).select_related("owner").first()
    result = None if progress is None else _result_of(progress)
    return (progress, str(result.status)) if _underway(result) else None


def _give_up(progress: TaskProgress, taken_over_by) -> None:
    """A task still "running" long after its worker stopped (see ABANDONED_AFTER): it is marked failed, so that its
    page stops saying it runs, and the trail says who started the next one in its place."""
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=progress.task_id, status="RUNNING").update(status="FAILED",
                                                                              finished_at=timezone.now())
    TaskProgress.objects.filter(pk=progress.pk).update(
        message=f"This task stopped without finishing: its worker was stopped part way. {taken_over_by} started "
                "another in its place.", changed_nothing=True)
    audit.record(actor=taken_over_by, action=AuditAction.UPDATE, obj=progress, label=f"gave up {progress.label}",
                 changes={"status": {"before": "RUNNING", "after": "FAILED"}, "reason": "no worker for "
                          f"{ABANDONED_AFTER.total_seconds() / 3600:g} hours"})


def _underway(result) -> bool:
    """Is the task of this result (None: none left) queued, or running for less than ABANDONED_AFTER?"""
    if result is None or str(result.status) not in UNFINISHED:
        return False
    started = result.started_at
    return started is None or timezone.now() - started < ABANDONED_AFTER


def _enqueue(task, *, owner, label: str, one_at_a_time: str, kwargs: dict) -> TaskProgress:
    limit = TaskProgress._meta.get_field("label").max_length
    label = label if len(label) <= limit else label[: limit - 1] + "…"
    with transaction.atomic():
        result = task.enqueue(**kwargs)
        progress, _ = TaskProgress.objects.get_or_create(
            task_id=str(result.id), defaults={"owner": owner, "label": label, "one_at_a_time": one_at_a_time})
    return progress


class ProgressReporter:
    """Given to a running task: report(done, total) at most every `every` items, finish(message, url) at the end."""

    def __init__(self, context: TaskContext, every: int = 1000):
        self.task_id = str(context.task_result.id)
        self.every = every
        self._last = 0
        self._stage = ""

    def report(self, done: int, total: int | None = None, force: bool = False, stage: str | None = None) -> None:
        """*stage* names the step under way: a new step is shown at once, and its count starts again from 0."""
        fields: dict = {}
        if stage is not None and stage != self._stage:
            self._stage, self._last, force = stage, 0, True
            fields = {"stage": stage, "total": total}
        if not force and done - self._last < self.every:
            return
        self._last = done
        fields |= {"done": done} if total is None else {"done": done, "total": total}
        TaskProgress.objects.filter(task_id=self.task_id).update(**fields)

    def finish(self, message: str, result_url: str = "", *, changed_nothing: bool = False) -> None:
        """The outcome; *changed_nothing*: the task refused its work (the page says so, and *result_url* is where
        to try again)."""
        TaskProgress.objects.filter(task_id=self.task_id).update(message=message, result_url=result_url,
                                                                 changed_nothing=changed_nothing)


def status_of(progress: TaskProgress) -> str:
    result = _result_of(progress)
    return "UNKNOWN" if result is None else str(result.status)


def _result_of(progress: TaskProgress):
    from django_tasks import default_task_backend

    try:
        return default_task_backend.get_result(progress.task_id)
    except Exception:  # a pruned result: the progress row is all that is left
        return None
