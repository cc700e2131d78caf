from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from navigator.core.models import User
from navigator.victims.export import export_victims


class Command(BaseCommand):
    help = ("Work with victim records. `navigator victims export --user NAME --format csv|jsonl [--output FILE]` "
            "writes every record that user may see, stamped with its classification, and audits the export.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, title="subcommands")
        export = sub.add_parser("export", help="Export the victim records a user may see")
        export.add_argument("--user", required=True, help="The username the export is made as (scopes and audits it)")
        export.add_argument("--format", choices=["csv", "jsonl"], default="csv", help="csv (default) or jsonl")
        export.add_argument("--output", help="File to write (created readable by its owner only); default stdout")

    def handle(self, *args, subcommand, user, format, output, **options):
        try:
            actor = User.objects.get(username=user, is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"no active user called {user!r}") from None
        console = Console(stderr=True)
        stream = self.stdout._out if not output else None
        try:
            if output:
                path = Path(output)
                path.touch(mode=0o600, exist_ok=False)
                stream = path.open("w", encoding="utf-8", newline="")
            with Progress(TextColumn("Exporting"), BarColumn(), MofNCompleteColumn(), console=console,
                          disable=not console.is_terminal, transient=True) as progress:
                task = progress.add_task("export", total=None)
                count = export_victims(actor=actor, stream=stream, fmt=format,
                                       progress=lambda done, total: progress.update(task, completed=done, total=total))
        except FileExistsError:
            raise CommandError(f"{output} already exists; choose a new file name") from None
        except PermissionError as error:
            raise CommandError(str(error)) from None
        finally:
            if output and stream is not None:
                stream.close()
        console.print(f"Exported {count} victim records as {format}" + (f" to {output}" if output else ""))
