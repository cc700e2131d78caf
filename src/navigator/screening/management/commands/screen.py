import sys

from navigator.core.passthrough import PassthroughCommand
from navigator.screening.engine.cli import run


class Command(PassthroughCommand):
    help = ("Screen police narratives (JSON Lines or CSV with ref and text) for modern-slavery indicators, "
            "without a database. `navigator screen --help` for the options.")
    prog = "screen"

    def run_engine(self, argv):
        return run(argv, sys.stdin, sys.stdout, sys.stderr)
