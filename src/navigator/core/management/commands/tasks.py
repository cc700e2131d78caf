import time

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from navigator.core.models import TaskProgress
from navigator.core.tasks import status_of

FINISHED = {"SUCCESSFUL", "FAILED", "UNKNOWN"}


class Command(BaseCommand):
    help = "Show background tasks and their progress; --follow ID shows one task's progress bar until it ends."

    def add_arguments(self, parser):
        parser.add_argument("--follow", metavar="TASK_ID", help="Follow one task until it finishes")
        parser.add_argument("--limit", type=int, default=20, help="How many recent tasks to list (default 20)")

    def handle(self, *args, follow, limit, **options):
        console = Console()
        if follow:
            return self._follow(console, follow)
        table = Table(title="Recent tasks")
        for column in ("id", "owner", "task", "status", "progress", "outcome"):
            table.add_column(column)
        for task in TaskProgress.objects.select_related("owner")[:limit]:
            done = f"{task.done}/{task.total}" if task.total else str(task.done)
            table.add_row(task.task_id, task.owner.username, task.label, status_of(task), done, task.message[:60])
        console.print(table)

    def _follow(self, console, task_id):
        try:
            task = TaskProgress.objects.get(task_id=task_id)
        except TaskProgress.DoesNotExist:
            raise CommandError(f"no task {task_id}") from None
        with Progress(TextColumn(task.label), BarColumn(), MofNCompleteColumn(), console=console) as bar:
            handle = bar.add_task("task", total=task.total)
            while True:
                task.refresh_from_db()
                bar.update(handle, completed=task.done, total=task.total)
                status = status_of(task)
                if status in FINISHED:
                    break
                time.sleep(1)
        console.print(f"{status}: {task.message}")
