"""Command-line entry point of the screening engine.

The Django project exposes this as ``navigator screen``; it only ever calls :func:`run`.

    screen FILE [--output OUT.jsonl] [--threshold X]
    screen --export-patterns
    screen --list-indicators
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Any

from .forked import WorkerStopped
from .library import LibraryError, load_library
from .records import InputError, binary_stdin, read_csv, read_jsonl_blocks, screen_stream
from .screener import DEFAULT_THRESHOLD, Screener

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_INPUT = 2

DESCRIPTION = """\
Screen police records (incidents, crimes, intelligence logs) for indicators of modern
slavery and human trafficking. Writes one JSON object per input record:
  {"ref", "score", "flagged", "hits": [{"indicator", "category", "start", "end", "text", "negated"}]}
start/end are character offsets into the record's text; negated hits ("no signs of ...")
are reported but do not score. A record with some indicator but a score below the
threshold is read again by a learned wording model; if its words read like potential
modern slavery, a "wording_like_cases" hit names the sentence that weighs most and adds
its weight. A record the indicators flag by less than a point, with no sign that flags on
its own, is read too; if its words read very unlike potential modern slavery (most often a
concern checked and ruled out), a
"wording_unlike_cases" hit names the sentence that weighs most against and subtracts a
point (--indicators-only leaves the model out).
"""

EPILOG = """\
input formats (chosen by file extension):
  .jsonl / .ndjson / .json   one JSON object per line, e.g. {"ref": "INC-1", "text": "..."}
  .csv                       header row with columns "ref" and "text" (others ignored)
  -                          JSON Lines on standard input
Only "ref" (string or integer) and "text" (string) are required; other fields are ignored.

exit status: 0 success, 1 a screening process stopped (killed, or out of memory), 2 malformed
input or bad arguments (the message names the line and field).

examples:
  navigator screen incidents.jsonl --output flagged.jsonl
  navigator screen crimes.csv --threshold 1.5 > results.jsonl
  navigator screen incidents.jsonl --jobs 1 > results.jsonl     # on one processor only
  navigator screen --export-patterns > patterns.txt && rg --count -i -f patterns.txt incidents.jsonl
"""


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, stderr: IO[str], stdout: IO[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._stderr = stderr
        self._stdout = stdout

    def _print_message(self, message: str, file: Any = None) -> None:
        if message:
            target = self._stdout if file is None or file is sys.stdout else file
            target.write(message)

    def exit(self, status: int = 0, message: str | None = None) -> None:  # type: ignore[override]
        if message:
            self._stderr.write(message)
        raise _Exit(status)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(self._stderr)
        self.exit(EXIT_INPUT, f"{self.prog}: error: {message}\n")


class _Exit(Exception):
    def __init__(self, status: int) -> None:
        self.status = status


def build_parser(prog: str = "navigator screen", *, stdout: IO[str], stderr: IO[str]) -> argparse.ArgumentParser:
    parser = _Parser(
        prog=prog,
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        stdout=stdout,
        stderr=stderr,
    )
    parser.add_argument("file", nargs="?", metavar="FILE", help="records to screen (.jsonl or .csv), or - for stdin")
    parser.add_argument("-o", "--output", metavar="OUT.jsonl", help="write results here instead of stdout")
    parser.add_argument(
        "-t",
        "--threshold",
        type=float,
        default=DEFAULT_THRESHOLD,
        metavar="X",
        help=f"score at which a record is flagged (default {DEFAULT_THRESHOLD})",
    )
    parser.add_argument(
        "--library", metavar="INDICATORS.json", help="use this indicator library instead of the bundled one"
    )
    parser.add_argument(
        "--flagged-only", action="store_true", help="write only flagged records (default: every record)"
    )
    parser.add_argument(
        "--indicators-only",
        action="store_true",
        help="leave out the learned wording model (which flags records that show some indicator and read like "
        "potential modern slavery, and holds back weakly flagged ones that read like concerns ruled out); score "
        "on the indicators alone",
    )
    parser.add_argument(
        "--export-patterns",
        action="store_true",
        help="print every pattern, one per line (case-insensitive; usable with rg -i -f), and exit",
    )
    parser.add_argument(
        "--list-indicators", action="store_true", help="print the indicator library (JSON, without patterns) and exit"
    )
    processors = available_cpus()
    parser.add_argument(
        "-j",
        "--jobs",
        type=_positive_int,
        default=processors,
        metavar="N",
        help="screen a file of three blocks or more (a block: about 2 MB, or 4,096 CSV rows) in up to N processes; "
        f"results come out in input order as with one (default: the {processors} this machine gives the command)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary on stderr")
    return parser


def available_cpus() -> int:
    """The processors this process may use: those it may run on (fewer than the machine's in a container pinned to
    some), and no more than a container's CPU quota allows (cgroup v2 ``cpu.max``, as Kubernetes limits set it)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text(encoding="ascii").split()
        if quota != "max":
            cpus = min(cpus, max(1, int(quota) // int(period)))
    except (OSError, ValueError):  # no cgroup v2, or no quota
        pass
    return cpus


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of processes, 1 or more (not {value!r})")
    return number


def run(argv: list[str], stdin: Any, stdout: IO[str], stderr: IO[str]) -> int:
    """Run the CLI. Never calls sys.exit; returns the exit status."""
    parser = build_parser(stdout=stdout, stderr=stderr)
    if argv and argv[0] == "screen":
        argv = argv[1:]
    try:
        args = parser.parse_args(argv)
    except _Exit as exc:
        return exc.status
    try:
        library = load_library(args.library) if args.library else None
    except (OSError, LibraryError) as exc:
        stderr.write(f"screen: cannot load library: {exc}\n")
        return EXIT_INPUT
    screener = Screener(library, threshold=args.threshold, wording=not args.indicators_only)
    if args.list_indicators:
        listing = screener.library.to_dict()
        listing["indicators"] = [indicator.to_dict() for indicator in screener.indicators]
        if screener.wording is not None:
            listing["wording_model"] = screener.wording.version
        stdout.write(json.dumps(listing, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    if args.export_patterns:
        stdout.write("".join(p + "\n" for p in screener.export_patterns()))
        return EXIT_OK
    if not args.file:
        parser.print_usage(stderr)
        stderr.write("screen: error: FILE is required (or --export-patterns, or --list-indicators)\n")
        return EXIT_INPUT
    if not math.isfinite(args.threshold) or args.threshold <= 0:
        stderr.write("screen: error: --threshold must be a positive number\n")
        return EXIT_INPUT
    return _screen_file(args, screener, stdin, stdout, stderr)


def _screen_file(args: argparse.Namespace, screener: Screener, stdin: Any, stdout: IO[str], stderr: IO[str]) -> int:
    name = args.file
    suffix = Path(name).suffix.lower() if name != "-" else ".jsonl"
    if suffix not in (".jsonl", ".ndjson", ".json", ".csv"):
        stderr.write(f"screen: error: {name}: unknown input type {suffix!r} (use .jsonl or .csv)\n")
        return EXIT_INPUT
    opened: list[Any] = []
    try:
        if name == "-":
            source: Any = binary_stdin(stdin)
            total = None
        elif suffix == ".csv":
            source = open(name, encoding="utf-8-sig", errors="surrogateescape", newline="")  # noqa: SIM115
            opened.append(source)
            total = Path(name).stat().st_size
        else:
            source = open(name, "rb")  # noqa: SIM115
            opened.append(source)
            total = Path(name).stat().st_size
        partial = target = None
        if args.output:
            target = Path(args.output).resolve()  # through a link, to the file it names
            if target.is_dir():
                raise _BadOutput(f"--output {args.output} is a folder: name a file")
            if name != "-" and target.exists() and target.samefile(name):
                raise _BadOutput(f"--output {args.output} is the input file; results would overwrite it")
            given = Path(args.output)  # /dev/stdout on a pipe resolves to no path ("pipe:[...]"), but opens
            if given.exists() and not given.is_file():  # a device, a pipe, /dev/stdout: written as it is
                out: IO[str] = open(given, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
            else:
                # Results are written beside the file and renamed onto it at the end: a run that fails leaves no
                # partial file, and the file is the user's alone (results quote the narratives).
                partial = out = tempfile.NamedTemporaryFile(  # noqa: SIM115
                    "w", encoding="utf-8", newline="\n", dir=target.parent, prefix=f".{target.name}.",
                    suffix=".partial", delete=False)
            opened.append(out)
        else:
            out = stdout
    except _BadOutput as problem:
        for f in opened:
            f.close()
        stderr.write(f"screen: error: {problem}\n")
        return EXIT_INPUT
    except OSError as exc:
        for f in opened:
            f.close()
        stderr.write(f"screen: error: {exc.filename or name}: {exc.strerror}\n")
        return EXIT_INPUT

    batches = read_csv(source) if suffix == ".csv" else read_jsonl_blocks(source)
    if args.flagged_only:
        out = _FlaggedOnly(out)  # type: ignore[assignment]
    started = time.perf_counter()
    finished = False
    try:
        with _progress(stderr, total, enabled=not args.quiet, source=source) as tick:
            records, flagged, processes = screen_stream(screener, batches, out, progress=tick, jobs=args.jobs)
        finished = True
    except InputError as exc:
        stderr.write(f"screen: error: {name}: {exc}\n")
        return EXIT_INPUT
    except WorkerStopped as exc:
        stderr.write(f"screen: error: {name}: {exc}: screen the file again, with --jobs 1 if it recurs\n")
        return EXIT_FAILED
    finally:
        for f in opened:
            f.close()
        if partial is not None:
            if finished:
                os.replace(partial.name, target)
            else:
                Path(partial.name).unlink(missing_ok=True)
    if not args.quiet:
        took = time.perf_counter() - started
        stderr.write(
            f"screen: {records} records, {flagged} flagged, {took:.2f}s"
            + (f" ({records / took:,.0f} records/s" + (f", {processes} processes)" if processes else ")")
               if took > 0 and records else "")
            + "\n"
        )
    return EXIT_OK


class _BadOutput(Exception):
    pass


class _FlaggedOnly:
    def __init__(self, out: IO[str]) -> None:
        self._out = out

    def write(self, text: str) -> None:
        keep = [line for line in text.split("\n") if '"flagged":true' in line]
        if keep:
            self._out.write("\n".join(keep) + "\n")


class _progress:
    """A rich progress bar on stderr when stderr is a terminal; otherwise nothing."""

    def __init__(self, stderr: IO[str], total: int | None, *, enabled: bool, source: Any) -> None:
        self._bar = None
        self._source = source
        isatty = getattr(stderr, "isatty", None)
        if enabled and isatty is not None and isatty():
            try:
                from rich.progress import Progress
            except ImportError:  # pragma: no cover
                return
            from rich.console import Console

            self._bar = Progress(console=Console(file=stderr), transient=True)
            self._task = self._bar.add_task("screening", total=total)
            self._count = 0

    def __enter__(self):
        if self._bar is None:
            return None
        self._bar.__enter__()

        def tick(n: int) -> None:
            self._count += n
            try:
                pos = self._source.tell()
            except (OSError, AttributeError, ValueError):
                pos = None
            if pos is not None:
                self._bar.update(self._task, completed=pos, description=f"screening {self._count:,} records")

        return tick

    def __exit__(self, *exc: Any) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)


def main() -> int:  # pragma: no cover - convenience for python -m
    return run(sys.argv[1:], sys.stdin, sys.stdout, sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
