from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

from navigator.core.models import Force, User
from navigator.screening.importing import FileFormatError, open_private
from navigator.screening.services import ImportStopped, RescreenReport, import_records, rescreen_records

BAD_INPUT = 2  # the exit status for a bad file or argument, as `navigator screen` gives it; 1 is any other failure


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
                        help="Import the good lines; write the bad ones to FILE.rejected.jsonl beside the report "
                             "(JSON Lines, readable by you alone), to correct and import")
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
        if path.is_dir():
            raise CommandError(f"{file} is a folder: give a .jsonl or .csv file", returncode=BAD_INPUT)
        if not path.is_file():
            raise CommandError(f"{file}: no such file", returncode=BAD_INPUT)
        try:
            force_obj = Force.objects.get(code=force.upper())
        except Force.DoesNotExist:
            codes = ", ".join(Force.objects.order_by("code").values_list("code", flat=True))
            raise CommandError(f"unknown force code {force!r}; the codes are {codes}", returncode=BAD_INPUT) from None
        actor = None
        if user:
            actor = User.objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"no active user called {user!r}", returncode=BAD_INPUT)
        report_path = path.with_name(path.name + ".report.txt")
        rejected_path = path.with_name(path.name + ".rejected.jsonl")
        console = Console(stderr=True)
        with _progress_bar(console) as bar:
            handle = bar.add_task("Checking", total=None)

            def progress(stage, done, total):
                bar.update(handle, description=stage, completed=done, total=total)

            try:
                report = import_records(actor=actor, path=path, force=force_obj, skip_invalid=skip_invalid,
                                        rejected_path=rejected_path, progress=progress)
            except FileFormatError as error:
                raise CommandError(str(error), returncode=BAD_INPUT) from None
            except (PermissionDenied, ImportStopped) as error:
                raise CommandError(str(error)) from None
        lines = [report.summary(), *report.errors]
        if report.invalid > len(report.errors):
            lines.append(f"... and {report.invalid - len(report.errors)} more errors")
        for line in lines[1:21]:
            self.stderr.write(line)
        try:
            with open_private(report_path) as written:  # line errors may quote short values of the records
                written.write("\n".join(lines) + "\n")
            self.stderr.write(f"Report written to {report_path}")
        except OSError as error:  # the records are stored either way: say so rather than end in a traceback
            self.stderr.write(f"Could not write the report to {report_path} ({error.strerror})")
        hint = report.other_force_hint(f"--force {force.upper()}")
        if not report.imported:
            self.stderr.write(report.summary())
            if hint:
                self.stderr.write(hint)
            raise CommandError(f"{report.invalid} invalid lines; nothing imported", returncode=BAD_INPUT)
        self.stdout.write(report.summary())
        if hint:  # --skip-invalid left every line out
            self.stderr.write(hint)
