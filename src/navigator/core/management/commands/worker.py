from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run background tasks from the database queue (imports, exports, estimates). Stop with Ctrl+C."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Run the queued tasks, then exit")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls (default 1)")

    def handle(self, *args, batch, interval, **options):
        arguments = ["--no-reload", "--interval", str(interval)] + (["--batch", "--no-startup-delay"] if batch else [])
        call_command("db_worker", *arguments, verbosity=options["verbosity"])
