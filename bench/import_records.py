"""Benchmark: importing police records into the database (the screening import, end to end).

Builds full import records (ref, force, recorded_at, type, text) from the screening bench's reproducible
corpus, imports them into a fresh PostgreSQL database through `navigator.screening.services.import_records`
(validation pass; screening, digests and encryption in a second thread; COPY) and prints records per
second, peak memory and the ratio to the target of 20,000 records/s. A second run of the same file
measures the "unchanged" path.

    .venv/bin/python bench/import_records.py --records 100000
"""

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

TARGET = 20_000
HERE = Path(__file__).resolve().parent


def build_import_file(records: int, seed: int) -> Path:
    sys.path.insert(0, str(HERE))
    from screening import corpus  # the screening bench's corpus generator

    source = corpus(records, seed)
    target = source.with_name(source.stem + ".import.jsonl")
    if not target.exists():
        with source.open(encoding="utf-8") as lines, target.open("w", encoding="utf-8") as out:
            for n, line in enumerate(lines):
                record = json.loads(line)
                out.write(json.dumps({"ref": record["ref"], "force": "ESX", "recorded_at": f"2026-{n % 12 + 1:02d}-01",
                                      "type": "incident", "text": record["text"]}) + "\n")
    return target


def fresh_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=100_000, help="records to import (default 100,000)")
    parser.add_argument("--seed", type=int, default=20260601, help="corpus seed (default 20260601)")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/navigator_bench",
                        help="PostgreSQL database to (re)create and import into")
    args = parser.parse_args()

    path = build_import_file(args.records, args.seed)
    fresh_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "navigator.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from navigator.core.models import Force
    from navigator.screening.models import PoliceRecord
    from navigator.screening.screener import current_screener
    from navigator.screening.services import import_records

    current_screener()  # compile the patterns before timing
    force = Force.objects.get(code="ESX")
    for label in ("first import", "re-import (unchanged)"):
        start = time.perf_counter()
        report = import_records(actor=None, path=path, force=force)
        seconds = time.perf_counter() - start
        rate = report.valid / seconds
        print(f"{label}: {report.valid:,} records in {seconds:.1f} s = {rate:,.0f} records/s "
              f"(target {TARGET:,}/s: ratio {rate / TARGET:.2f}); created {report.created:,}, "
              f"unchanged {report.unchanged:,}, flagged {report.flagged:,}")
    print(f"rows in database: {PoliceRecord.objects.count():,}; "
          f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
