from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

from navigator.core.models import Force, User
from navigator.screening.importing import FileFormatError
from navigator.screening.services import ImportStopped, RescreenReport, import_records, rescreen_records


def _progress_bar(console: Console) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
                    TimeRemainingColumn(), console=console, disable=not console.is_terminal)


def rescreen_with_progress_bar(*, force=None, everything=False) -> RescreenReport:
    """`rescreen_records` with a progress bar on the terminal (also run when a lead accepts a calibration)."""
    with _progress_bar(Console(stderr=True)) as bar:
        handle = bar.add_task("Re-screening", total=None)
        return rescreen_records(force=force, everything=everything,
                                progress=lambda done, total: bar.update(handle, completed=done, total=total))


class Command(BaseCommand):
    help = ("Police records. `navigator records import FILE --force CODE` checks every line, imports nothing if "
            "any line is bad (unless --skip-invalid), screens each record, and can be re-run safely. "
            "`navigator records rescreen` screens stored records again after the indicator library, the wording "
            "model or the threshold changed.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, title="subcommands")
        do = sub.add_parser("import", help="Import a JSON Lines or CSV file of police records for one force")
        do.add_argument("file", help="A .jsonl or .csv file: ref, force, recorded_at, type, location, text, entities")
        do.add_argument("--force", required=True, help="The force code the records belong to, e.g. ESX")
        do.add_argument("--skip-invalid", action="store_true",
                        help="Import the good lines; write the bad ones to FILE.rejected beside the report")
        do.add_argument("--user", help="Import as this navigator (default: the command-line operator)")
        again = sub.add_parser("rescreen", help="Screen stored records again with the current library, wording "
                                                "model and threshold (decisions stay)")
        again.add_argument("--force", help="Only this force's records, e.g. ESX (default: every force)")
        again.add_argument("--all", action="store_true", dest="everything",
                           help="Every record, not only those screened with another version or threshold")

    def handle(self, *args, subcommand, **options):
        if subcommand == "rescreen":
            return self._rescreen(options["force"], options["everything"])
        return self._import(options["file"], options["force"], options["skip_invalid"], options["user"])

    def _rescreen(self, force, everything):
        force_obj = None
        if force:
            force_obj = Force.objects.filter(code=force.upper()).first()
            if force_obj is None:
                raise CommandError(f"unknown force code {force!r}")
        self.stdout.write(rescreen_with_progress_bar(force=force_obj, everything=everything).summary())

    def _import(self, file, force, skip_invalid, user):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            force_obj = Force.objects.get(code=force.upper())
        except Force.DoesNotExist:
            raise CommandError(f"unknown force code {force!r}") from None
        actor = None
        if user:
            actor = User.objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"no active user called {user!r}")
        report_path = path.with_name(path.name + ".report.txt")
        rejected_path = path.with_name(path.name + ".rejected")
        console = Console(stderr=True)
        with _progress_bar(console) as bar:
            handle = bar.add_task("Checking", total=None)

            def progress(stage, done, total):
                bar.update(handle, description=stage, completed=done, total=total)

            try:
                report = import_records(actor=actor, path=path, force=force_obj, skip_invalid=skip_invalid,
                                        rejected_path=rejected_path, progress=progress)
            except FileFormatError as error:
                raise CommandError(str(error)) from None
            except (PermissionDenied, ImportStopped) as error:
                raise CommandError(str(error)) from None
        lines = [report.summary(), *report.errors]
        if report.invalid > len(report.errors):
            lines.append(f"... and {report.invalid - len(report.errors)} more errors")
        report_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        for line in lines[:21]:
            self.stderr.write(line)
        self.stderr.write(f"Report written to {report_path}")
        if not report.imported:
            raise CommandError(f"{report.invalid} invalid lines; nothing imported", returncode=1)
        self.stdout.write(report.summary())
