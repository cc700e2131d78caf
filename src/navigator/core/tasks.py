"""Long work runs as a task on the database queue (django-tasks); its progress is kept for the page and terminal."""

from django.db import transaction
from django_tasks import TaskContext

from .models import TaskProgress


def enqueue_tracked(task, *, owner, label: str, **kwargs) -> TaskProgress:
    """Queue a task that takes a context, and start its progress record: both or neither (a task nobody can follow
    must not run)."""
    limit = TaskProgress._meta.get_field("label").max_length
    label = label if len(label) <= limit else label[: limit - 1] + "…"
    with transaction.atomic():
        result = task.enqueue(**kwargs)
        progress, _ = TaskProgress.objects.get_or_create(task_id=str(result.id),
                                                         defaults={"owner": owner, "label": label})
    return progress


class ProgressReporter:
    """Given to a running task: report(done, total) at most every `every` items, finish(message, url) at the end."""

    def __init__(self, context: TaskContext, every: int = 1000):
        self.task_id = str(context.task_result.id)
        self.every = every
        self._last = 0

    def report(self, done: int, total: int | None = None, force: bool = False) -> None:
        if not force and done - self._last < self.every:
            return
        self._last = done
        fields = {"done": done} if total is None else {"done": done, "total": total}
        TaskProgress.objects.filter(task_id=self.task_id).update(**fields)

    def finish(self, message: str, result_url: str = "", *, changed_nothing: bool = False) -> None:
        """The outcome; *changed_nothing*: the task refused its work (the page says so, and *result_url* is where
        to try again)."""
        TaskProgress.objects.filter(task_id=self.task_id).update(message=message, result_url=result_url,
                                                                 changed_nothing=changed_nothing)


def status_of(progress: TaskProgress) -> str:
    from django_tasks import default_task_backend

    try:
        return str(default_task_backend.get_result(progress.task_id).status)
    except Exception:  # a pruned result: the progress row is all that is left
        return "UNKNOWN"
