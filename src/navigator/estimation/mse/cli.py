"""Command line: ``estimate TABLE.csv [options]``. Pure (no Django); the project exposes it as
``navigator estimate`` by calling :func:`run`."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from .core import EstimationError
from .estimate import estimate
from .selection import METHODS
from .table import TableError, read_table

DESCRIPTION = """\
Estimate the size of a hidden population by multiple systems estimation (Poisson log-linear
models over 2 to 10 lists, as in the R package SparseMSE).

TABLE.csv has one 0/1 column per list and a last column 'count': the number of people seen on
exactly that combination of lists. Histories not given have count 0.
"""

EPILOG = """\
exit status: 0 success, 2 unusable table or arguments, 1 no estimate possible.
example: estimate lists.csv --method stepwise --bootstrap 1000 --seed 1 --workers 2
"""


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _probability(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return value


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, stdout: TextIO, stderr: TextIO, **kwargs):
        super().__init__(*args, **kwargs)
        self._stdout = stdout
        self._stderr = stderr

    def _print_message(self, message, file=None):  # help goes to our stdout, errors to our stderr
        if message:
            (file if file is not None else self._stdout).write(message)

    def print_help(self, file=None):
        super().print_help(file if file is not None else self._stdout)

    def print_usage(self, file=None):
        super().print_usage(file if file is not None else self._stdout)

    def exit(self, status=0, message=None):
        if message:
            self._stderr.write(message)
        raise _Exit(status)

    def error(self, message):
        self.print_usage(self._stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


class _Exit(Exception):
    def __init__(self, status: int):
        self.status = status


def build_parser(stdout: TextIO, stderr: TextIO, prog: str = "estimate") -> argparse.ArgumentParser:
    p = _Parser(prog=prog, description=DESCRIPTION, epilog=EPILOG, stdout=stdout, stderr=stderr,
                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("table", metavar="TABLE.csv", help="capture-history table (CSV, last column 'count')")
    p.add_argument("--method", choices=METHODS, default="stepwise",
                   help="model selection: 'main' main effects only; 'stepwise' SparseMSE forward selection of "
                        "two-list terms by Poisson p-value (default); 'aic'/'bic' best of all models with "
                        "two-list terms (up to 6 lists)")
    p.add_argument("--threshold", type=_probability, default=0.02,
                   help="p-value a two-list term must be below to enter the stepwise model (default 0.02)")
    p.add_argument("--bootstrap", type=_positive_int, default=0, metavar="N",
                   help="bootstrap replicates for a BCa interval, re-running the model selection in each "
                        "(e.g. 1000); 0 (default) gives the model-based interval")
    p.add_argument("--interval", choices=("model", "bca", "percentile"), default=None,
                   help="interval to report (default: bca with --bootstrap, else model)")
    p.add_argument("--level", type=_probability, default=0.95, help="confidence level (default 0.95)")
    p.add_argument("--seed", type=int, default=None, help="random seed for the bootstrap (reproducible results)")
    p.add_argument("--workers", type=_positive_int, default=1, metavar="K",
                   help="processes for the bootstrap (default 1; 0 = all CPUs)")
    p.add_argument("--json", action="store_true", help="print the result as JSON instead of a report")
    return p


def format_report(result) -> str:
    pct = round(result.level * 100)
    lines = [
        f"Lists ({len(result.lists)}): {', '.join(result.lists)}",
        f"Observed:  {result.observed}",
        f"Estimate:  {result.estimate:.0f}  (not seen: {result.dark_figure:.0f})",
        f"{pct}% interval: {result.ci[0]:.0f} to {result.ci[1]:.0f}  ({_ci_label(result)})",
        f"Method:    {result.method}" + (f" (p < {result.threshold:g})" if result.threshold is not None else ""),
        "Model:     main effects" + (" + " + " + ".join(result.model) if result.model else " only"),
    ]
    if result.nonoverlapping:
        lines.append(f"Never-overlapping pairs in the model (minus infinity): {', '.join(result.nonoverlapping)}")
    if result.ci_method != "model" and result.model_ci:
        lines.append(f"Model-based {pct}% interval: {result.model_ci[0]:.0f} to {result.model_ci[1]:.0f}")
    if result.warnings:
        lines.append("Warnings:")
        lines.extend(f"  - {w}" for w in result.warnings)
    return "\n".join(lines) + "\n"


def _ci_label(result) -> str:
    if result.ci_method == "model":
        return "model-based, normal on the log scale"
    b = result.bootstrap
    name = "BCa bootstrap" if result.ci_method == "bca" else "percentile bootstrap"
    return f"{name}, {b.replicates} replicates" + (f", seed {b.seed}" if b.seed is not None else "")


def run(argv: list[str], stdout: TextIO, stderr: TextIO, progress=None) -> int:
    """Run the command; returns the exit status. ``progress(done, total)`` is passed to the bootstrap."""
    parser = build_parser(stdout, stderr)
    try:
        args = parser.parse_args(argv)
    except _Exit as exc:
        return exc.status
    try:
        table = read_table(args.table)
    except TableError as exc:
        stderr.write(f"error: {args.table}: {exc.message}\n")
        return 2
    try:
        result = estimate(table, method=args.method, threshold=args.threshold, bootstrap=args.bootstrap,
                          seed=args.seed, workers=args.workers, progress=progress, level=args.level,
                          ci_method=args.interval)
    except EstimationError as exc:
        stderr.write(f"error: {exc}\n")
        return 1
    except ValueError as exc:
        stderr.write(f"error: {exc}\n")
        return 2
    if args.json:
        stdout.write(json.dumps(result.to_dict(include_models=False), indent=2) + "\n")
    else:
        stdout.write(format_report(result))
    return 0
