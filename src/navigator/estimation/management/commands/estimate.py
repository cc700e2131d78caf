import sys

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from navigator.core.passthrough import PassthroughCommand
from navigator.estimation.mse.cli import run


class Command(PassthroughCommand):
    help = ("Estimate the hidden number of victims from overlapping lists (multiple systems estimation). "
            "`navigator estimate --help` for the options.")
    prog = "estimate"

    def run_engine(self, argv):
        console = Console(stderr=True)
        with Progress(TextColumn("Bootstrap"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                      console=console, disable=not console.is_terminal, transient=True) as bar:
            handle = bar.add_task("bootstrap", total=None)
            return run(argv, sys.stdout, sys.stderr,
                       progress=lambda done, total: bar.update(handle, completed=done, total=total))
