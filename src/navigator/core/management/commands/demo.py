from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from navigator.core import demo
from navigator.core.models import User


class Command(BaseCommand):
    help = ("Load synthetic demo data (users for every role and about 200 invented victims across six forces) "
            "and print the demo logins. With --code, print the current second-factor code instead.")

    def add_arguments(self, parser):
        parser.add_argument("--victims", type=int, default=200, help="How many synthetic victims (default 200)")
        parser.add_argument("--police-records", type=int, default=120,
                            help="Synthetic police records per demo force (default 120)")
        parser.add_argument("--code", action="store_true", help="Print the demo users' current 6-digit code")
        parser.add_argument("--force-reload", action="store_true",
                            help="Add victims even if demo victims already exist")

    def handle(self, *args, victims, code, force_reload, **options):
        if code:
            self.stdout.write(demo.current_code())
            return
        if victims < 0:
            raise CommandError("--victims must be zero or more")
        from navigator.victims.models import Victim

        console = Console()
        demo.create_users()
        if Victim.objects.exists() and not force_reload:
            console.print(f"Demo victims already loaded ({Victim.objects.count()}); not adding more.")
        else:
            with Progress(TextColumn("Creating synthetic victims"), BarColumn(), MofNCompleteColumn(),
                          console=console, disable=not console.is_terminal) as progress:
                task = progress.add_task("victims", total=victims)
                demo.create_victims(victims, progress=lambda n: progress.update(task, completed=n))
            console.print(f"Created {victims} synthetic victims.")
            records = demo.create_police_records(options["police_records"])
            console.print(f"Imported {records} synthetic police records and triaged half of the flagged ones.")
        table = Table(title="Demo logins (password for all: " + demo.DEMO_PASSWORD + ")")
        for column in ("username", "role", "forces"):
            table.add_column(column)
        for user in User.objects.filter(username__in=[u[0] for u in demo.DEMO_USERS]).prefetch_related("forces"):
            codes = ", ".join(f.code for f in user.forces.all())
            forces = codes or ("all" if user.role == "lead" else "none")
            table.add_row(user.username, user.get_role_display(), forces)
        console.print(table)
        console.print(
            "Second factor: every demo user has the same authenticator key "
            f"[bold]{demo.DEMO_TOTP_BASE32}[/bold] (add it to any TOTP app),\n"
            "or run [bold].venv/bin/navigator demo --code[/bold] for the current 6-digit code, "
            f"or use the single-use recovery code [bold]{demo.DEMO_RECOVERY_CODE}[/bold]."
        )
