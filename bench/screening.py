"""Benchmark the modern-slavery screening engine.

Generates a reproducible synthetic corpus of police-style narratives (about 600 bytes
each, a realistic minority containing indicators, sector mentions or negations) under
bench/out/, then times the engine through the same code path as the CLI (file in,
JSON Lines out), reports records per second and peak memory (max RSS), and compares
with ``rg --count -i -f <exported patterns> FILE`` over the same file.

Each measured size runs in a fresh subprocess so that max RSS is that run's alone:
compare e.g. --records 100000 against 1000000 to see memory stay flat. The engine runs as
it does by default, with the wording model; the largest size is timed once more with
--indicators-only, to show what the model costs, and once more block by block, to show
where the time goes (reading, the RE2 gate, the Hyperscan locator, the candidate records).

    python bench/screening.py                    # 1,000,000 records, plus a 100k run
    python bench/screening.py --records 200000 --sizes 20000,200000

Finally it times the import into PostgreSQL (``bench/import_records.py``: validation, screening,
encryption and COPY into a fresh database) over the first --import-records records of the
same corpus; --no-import skips it.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from navigator.screening.engine.cli import available_cpus

OUT = Path(__file__).resolve().parent / "out"
TARGET_RPS = 250_000
TARGET_RG_RATIO = 3.0

# ---------------------------------------------------------------- corpus ---------
_OPEN = [
    "Officers attended {addr} following a call from {who}.",
    "Report received via 101 from {who} regarding {addr}.",
    "INCIDENT LOG {n}: units deployed to {addr} after a call from {who}.",
    "Intel log: information received from {who} concerning an address on {street}.",
    "Crime report {n}: {who} attended the front counter at {station} to report an incident at {addr}.",
]
_ROUTINE = [
    "The caller stated that a vehicle had been parked across the driveway for most of the afternoon.",
    "On arrival officers spoke with the occupant who was calm and cooperative throughout.",
    "CCTV enquiries were made with nearby shops and the footage has been requested.",
    "A search of the immediate area was conducted with negative results.",
    "The suspect is described as a white male, approx 30 years, medium build, wearing a dark hoodie.",
    "Words of advice were given to both parties and they agreed to keep apart for the evening.",
    "House to house enquiries completed on {street} with no further witnesses identified.",
    "The victim did not wish to provide a statement at this time but may reconsider.",
    "Vehicle checks via PNC showed the registered keeper lives out of force area.",
    "Property stolen includes a laptop, a watch and a quantity of cash from a kitchen drawer.",
    "Both parties were spoken to separately and accounts were broadly consistent.",
    "Ambulance not required, minor graze to the left hand, first aid given at scene.",
    "Crime reference provided to the informant and victim care leaflet handed over.",
    "The matter was recorded as a civil dispute and the parties were signposted to mediation.",
    "Officers will revisit the address tomorrow to speak with the neighbour at number {n2}.",
    "Scene photographs were taken and forensic examination is to be arranged.",
    "Outstanding enquiries: obtain statement from the witness and review doorbell footage.",
    "The informant reported that the noise had been ongoing since around midnight.",
]
_SECTOR = [
    "The incident took place outside the hand car wash on {street}.",
    "The address is a nail bar with a flat above it.",
    "Premises is a takeaway with a small kitchen at the rear.",
    "Officers noted a cannabis grow tent in the loft of the property.",
    "The caller works at the packing factory on the industrial estate.",
    "Address is believed to be used as a brothel according to local residents.",
]
_INDICATOR = [
    "The worker said the boss keeps her passport in the safe and she cannot leave.",
    "IP states he has not been paid for three months and sleeps in the back room of the shop.",
    "She disclosed she owes the agent three thousand pounds for her travel to the UK and must pay it off.",
    "A male answered all questions on her behalf and would not let her speak to officers.",
    "The 15 year old was found in a trap house with a line phone and cash, CCE concerns raised.",
    "Workers are picked up every morning in a minibus and driven to and from the farm.",
    "IP was threatened that his family back home would be hurt if he went to the police.",
    "Female states she was forced to have sex with men and the male takes all of her money.",
    "Several workers said their wages are withheld by the gangmaster for rent and transport.",
    "Male found locked inside the property with the windows boarded, no English spoken.",
]
_NEGATED = [
    "Officers spoke with staff alone and there were no signs of exploitation.",
    "The female denied being controlled by anyone and keeps her own passport.",
    "Nothing to suggest the workers are victims of modern slavery.",
]
_STREETS = ["High St", "Mill Rd", "Station Rd", "Church Lane", "Queen St", "Victoria Rd", "Park Ave"]
_WHO = ["a neighbour", "the informant", "a member of the public", "the victim", "a council officer", "staff"]


def _narrative(rng: random.Random, n: int) -> str:
    street = rng.choice(_STREETS)
    fill = {
        "addr": f"{rng.randint(1, 200)} {street}",
        "street": street,
        "who": rng.choice(_WHO),
        "n": f"{n:07d}",
        "n2": rng.randint(1, 99),
        "station": "Central police station",
    }
    parts = [rng.choice(_OPEN)]
    roll = rng.random()
    if roll < 0.03:  # ~3% contain control indicators (usually with a sector marker)
        if rng.random() < 0.7:
            parts.append(rng.choice(_SECTOR))
        parts.append(rng.choice(_INDICATOR))
        if rng.random() < 0.3:
            parts.append(rng.choice(_INDICATOR))
    elif roll < 0.08:  # ~5% mention a sector only
        parts.append(rng.choice(_SECTOR))
    elif roll < 0.09:  # ~1% negated indicators
        parts.append(rng.choice(_NEGATED))
    while sum(len(p) for p in parts) < 560:
        parts.append(rng.choice(_ROUTINE))
    text = " ".join(parts).format(**fill)
    if rng.random() < 0.05:
        text = text.upper()
    return text


def generate(path: Path, records: int, seed: int) -> None:
    rng = random.Random(seed)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        buf = []
        for i in range(records):
            buf.append(json.dumps({"ref": f"INC-{seed}-{i:08d}", "text": _narrative(rng, i)}))
            if len(buf) >= 10000:
                f.write("\n".join(buf) + "\n")
                buf.clear()
        if buf:
            f.write("\n".join(buf) + "\n")
    tmp.replace(path)


def corpus(records: int, seed: int) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"screening-{records}-seed{seed}.jsonl"
    if not path.exists():
        t = time.perf_counter()
        generate(path, records, seed)
        print(f"generated {path} ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f}s")
    return path


# ---------------------------------------------------------------- measuring -------
def _child(path: Path, indicators_only: bool, jobs: int) -> None:
    """Runs in a fresh interpreter: time the CLI code path, print JSON."""
    import io

    from navigator.screening.engine import Screener
    from navigator.screening.engine.cli import run

    t0 = time.perf_counter()
    Screener(wording=not indicators_only)  # compile (cached for the run() below); reported separately
    compile_s = time.perf_counter() - t0
    out_path = OUT / (path.stem + (".indicators" if indicators_only else "") + f".jobs{jobs}.results.jsonl")
    err = io.StringIO()
    t1 = time.perf_counter()
    options = ["--indicators-only"] if indicators_only else []
    code = run(["screen", str(path), "--output", str(out_path), "-q", "--jobs", str(jobs), *options],
               sys.stdin, sys.stdout, err)
    screen_s = time.perf_counter() - t1
    if code != 0:
        raise SystemExit(f"run() failed: {err.getvalue()}")
    flagged = 0
    with out_path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 24), b""):
            flagged += block.count(b'"flagged":true')
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "compile_s": compile_s,
                "screen_s": screen_s,
                "max_rss_mib": rss_kib / 1024,
                "worker_max_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                "flagged": flagged,
                "out_bytes": out_path.stat().st_size,
            }
        )
    )


def _stages_child(path: Path) -> None:
    """Runs in a fresh interpreter: where the indicators-alone time goes, block by block."""
    from navigator.screening.engine import Screener
    from navigator.screening.engine.records import format_raw_block, read_jsonl_blocks

    screener = Screener(wording=False)
    spent = dict.fromkeys(("reading", "gate", "locator", "candidates"), 0.0)
    with path.open("rb") as stream:
        blocks = read_jsonl_blocks(stream)
        while True:
            t0 = time.perf_counter()
            block = next(blocks, None)
            t1 = time.perf_counter()
            if block is None:
                break
            spent["reading"] += t1 - t0
            list(map(screener._gate_match, block.texts))
            t2 = time.perf_counter()
            screener.scan_encoded(block.texts)  # the gate again, then the locator
            t3 = time.perf_counter()
            format_raw_block(screener, block)  # all three stages and the output
            t4 = time.perf_counter()
            spent["gate"] += t2 - t1
            spent["locator"] += (t3 - t2) - (t2 - t1)
            spent["candidates"] += (t4 - t3) - (t3 - t2)
    print(json.dumps(spent))


LONG_RECORD_UNIT = "IP says he keeps her passport and locks her in and takes her phone, "
LONG_RECORD_CHARS = len(LONG_RECORD_UNIT) * 450
LONG_RECORD_HITS = 3 * 450


DENSE_RECORD_UNIT = "boss holds his passport. "
DENSE_RECORD_CHARS = 1_000_000


def _long_record_seconds() -> tuple[float, float]:
    """Two pathological records: one sentence of 30,000 characters, whose terms rules pair (it once took 95 s), and a
    megabyte of short sentences with a sign in each (finding each hit's sentence once took 12 s)."""
    from navigator.screening.engine import Screener

    screener = Screener()
    took = []
    for text in (LONG_RECORD_UNIT * 450, DENSE_RECORD_UNIT * (DENSE_RECORD_CHARS // len(DENSE_RECORD_UNIT))):
        t = time.perf_counter()
        screener.screen(text)
        took.append(time.perf_counter() - t)
    return took[0], took[1]


def measure(path: Path, indicators_only: bool = False, jobs: int = 1) -> dict:
    return _run_child(path, "--jobs", str(jobs), *(["--indicators-only"] if indicators_only else []))


def _run_child(path: Path, *options: str) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", str(path), *options],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def ensure_rg() -> str | None:
    rg = shutil.which("rg")
    if rg:
        return rg
    print("ripgrep not found; trying apt-get install -y ripgrep")
    subprocess.run(["apt-get", "install", "-y", "ripgrep"], check=False)
    return shutil.which("rg")


def time_rg(rg: str, path: Path, repeat: int = 3) -> float:
    from navigator.screening.engine import Screener

    patterns = OUT / "screening-patterns.txt"
    patterns.write_text("".join(p + "\n" for p in Screener().export_patterns()), encoding="utf-8")
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run([rg, "--count", "-i", "-f", str(patterns), str(path)], capture_output=True, check=False)
        best = min(best, time.perf_counter() - t)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000, help="corpus size (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=20260601, help="corpus RNG seed (default 20260601)")
    parser.add_argument(
        "--sizes",
        help="comma-separated corpus sizes to measure (default: RECORDS/10 and RECORDS, to show flat memory)",
    )
    parser.add_argument("--no-rg", action="store_true", help="skip the ripgrep comparison")
    parser.add_argument(
        "--import-records", type=int, default=100_000, help="records to import into PostgreSQL (default 100,000)"
    )
    parser.add_argument("--no-import", action="store_true", help="skip the PostgreSQL import timing")
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/navigator_bench",
        help="PostgreSQL database the import bench (re)creates",
    )
    parser.add_argument("--jobs", type=int, default=available_cpus(),
                        help="processes for the run on every processor (default: the processors this machine gives)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--indicators-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--stages", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        if args.stages:
            _stages_child(Path(args.child))
        else:
            _child(Path(args.child), args.indicators_only, args.jobs)
        return 0

    sizes = (
        [int(s) for s in args.sizes.split(",")] if args.sizes else sorted({max(1, args.records // 10), args.records})
    )
    rg = None if args.no_rg else ensure_rg()
    print(f"python {sys.version.split()[0]}, {available_cpus()} processors; each size is screened on one (--jobs 1),"
          f" the largest once more on {args.jobs} (--jobs {args.jobs}, the command's default here)")
    rows = []
    for n in sizes:
        path = corpus(n, args.seed)
        m = measure(path)
        rps = n / m["screen_s"]
        row = {"records": n, "mb": path.stat().st_size / 1e6, **m, "rps": rps}
        if rg:
            row["rg_s"] = time_rg(rg, path)
            row["ratio"] = m["screen_s"] / row["rg_s"]
        rows.append(row)
        print(
            f"{n:>10,} records {row['mb']:7.0f} MB: screen {m['screen_s']:6.2f}s = {rps:>9,.0f} records/s"
            f" (+{m['compile_s']:.2f}s one-off matcher set-up, compiled or from the cache),"
            f" flagged {m['flagged']:,},"
            f" max RSS {m['max_rss_mib']:.0f} MiB"
            + (f"; rg {row['rg_s']:.2f}s, engine/rg = {row['ratio']:.2f}x" if rg else "")
        )
    last = rows[-1]
    every = measure(path, jobs=args.jobs)
    every_ratio = every["screen_s"] / last["rg_s"] if "rg_s" in last else None
    print(
        f"{last['records']:>10,} records on {args.jobs} processes: screen {every['screen_s']:6.2f}s = "
        f"{last['records'] / every['screen_s']:>9,.0f} records/s, flagged {every['flagged']:,} (the same results), "
        f"max RSS {every['max_rss_mib']:.0f} MiB reading and writing + {every['worker_max_rss_mib']:.0f} MiB at most "
        "per worker" + (f"; engine/rg = {every_ratio:.2f}x (rg reads one file on one thread)" if every_ratio else "")
    )
    alone = measure(path, indicators_only=True)
    print(
        f"{last['records']:>10,} records, indicators alone (--indicators-only): screen {alone['screen_s']:6.2f}s = "
        f"{last['records'] / alone['screen_s']:>9,.0f} records/s, flagged {alone['flagged']:,}"
        + (f"; engine/rg = {alone['screen_s'] / last['rg_s']:.2f}x" if "rg_s" in last else "")
        + f"; the wording model costs {last['screen_s'] - alone['screen_s']:.2f}s"
    )
    long_record, dense_record = _long_record_seconds()
    print(f"    one record of {LONG_RECORD_CHARS:,} characters with no sentence break and {LONG_RECORD_HITS:,} signs: "
          f"{long_record:.2f}s; one of {DENSE_RECORD_CHARS:,} characters of short sentences, a sign in each: "
          f"{dense_record:.2f}s (the pairing of terms and the reading of sentences must stay near-linear)")
    stages = _run_child(path, "--stages")
    print(
        "    where the indicators-alone time goes: "
        + ", ".join(f"{name} {seconds:.2f}s" for name, seconds in stages.items())
        + " (reading: JSON Lines blocks; gate: RE2 over every record; locator: Hyperscan over the records the"
        " gate lets through; candidates: exact matching, negation, scoring and output for those records)"
    )
    floor = stages["reading"] + stages["gate"]
    print(f"    reading the file and the gate alone, before any record is looked at closely: "
          f"{last['records'] / floor:,.0f} records/s on one core")
    print()
    print(f"target >= {TARGET_RPS:,} records/s on one core: {'MET' if last['rps'] >= TARGET_RPS else 'MISSED'}"
          f" ({last['rps']:,.0f})")
    if "ratio" in last:
        print(
            f"target within {TARGET_RG_RATIO:.0f}x ripgrep: on one core "
            f"{'MET' if last['ratio'] <= TARGET_RG_RATIO else 'MISSED'} ({last['ratio']:.2f}x); on {args.jobs} "
            f"processes {'MET' if every_ratio <= TARGET_RG_RATIO else 'MISSED'} ({every_ratio:.2f}x)"
        )
    if len(rows) > 1:
        print(
            f"max RSS {rows[0]['records']:,} -> {rows[-1]['records']:,} records: "
            f"{rows[0]['max_rss_mib']:.0f} -> {rows[-1]['max_rss_mib']:.0f} MiB"
        )
    if not args.no_import:
        print()
        import_bench = Path(__file__).resolve().parent / "import_records.py"
        subprocess.run(
            [sys.executable, str(import_bench), "--records", str(args.import_records), "--seed", str(args.seed),
             "--database-url", args.database_url],
            check=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
