from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from navigator.core import audit
from navigator.core.models import AuditEvent


class Command(BaseCommand):
    help = "Work with the audit trail. `navigator audit verify` proves nobody edited history."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, title="subcommands")
        sub.add_parser("verify", help="Check the hash chain; exit 1 naming the first bad event")

    def handle(self, *args, subcommand, **options):
        console = Console(stderr=True)
        total = AuditEvent.objects.count()
        with Progress(TextColumn("Verifying audit trail"), BarColumn(), MofNCompleteColumn(),
                      console=console, transient=True, disable=not console.is_terminal) as progress:
            task = progress.add_task("verify", total=total)
            result = audit.verify(progress=lambda n: progress.update(task, completed=n) if n % 500 == 0 else None)
        if not result.ok:
            raise CommandError(f"audit trail broken at event {result.bad_event_id}: {result.reason} "
                               f"({result.checked} events verified before it)", returncode=1)
        self.stdout.write(f"audit trail intact: {result.checked} events verified")
