"""Management commands that hand their arguments to a pure engine's own command line."""

import sys

from django.core.management.base import BaseCommand


class PassthroughCommand(BaseCommand):
    """`navigator NAME ARGS...` runs the engine's `run(argv, ...)` with ARGS untouched and exits with its status."""

    prog = ""

    def run_engine(self, argv: list[str]) -> int:
        raise NotImplementedError

    def run_from_argv(self, argv):
        sys.exit(self.run_engine(argv[2:]))

    def add_arguments(self, parser):
        parser.add_argument("engine_args", nargs="*", help=f"arguments for `navigator {self.prog} --help`")

    def handle(self, *args, engine_args=(), **options):
        status = self.run_engine(list(engine_args))
        if status:
            sys.exit(status)
