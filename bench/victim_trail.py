"""Benchmark: a victim's history page ("trail") on a large audit table, without and with its indexes.

Creates a fresh PostgreSQL database, one victim with a consent, and synthetic audit events (mostly views of police
records and victims, one in twenty a triage decision, some of which link or unlink one of 2,000 victims, a few
naming the victim by id as decisions audited before 2026.11.30 did). It times the page's queries (the count and the
first 50 events, `Victim.trail` through the page's paginator) with the audit table as core migration 0004 left it,
then builds the indexes of migration 0005 and times them again, printing both medians, the ratio and the plan.

    .venv/bin/python bench/victim_trail.py --events 300000
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time

from import_records import fresh_database  # bench/ is this script's folder

VICTIMS = 2_000
RECORDS = 50_000

# Event i: a view of a police record when i mod 20 < 10, a view of a victim when i mod 20 < 16, a search when it is
# 16 to 19, and a triage decision on a police record when it is 0. Decision d names victim d mod 2,000 + 1: it links
# them, unlinks them by reference, unlinks them by id (as decisions audited before 2026.11.30 did) or names no
# victim, in turn for each 2,000 decisions.
SYNTHETIC_EVENTS = """
INSERT INTO core_auditevent (occurred_at, actor_username, action, object_type, object_id, object_label, changes,
                             request_id, previous_hash, hash)
SELECT timestamptz '2026-01-01' + i * interval '1 minute', 'nav.synthetic',
       CASE WHEN mod(i, 20) = 0 THEN 'update' WHEN mod(i, 20) < 16 THEN 'view' ELSE 'search' END,
       CASE WHEN mod(i, 20) BETWEEN 10 AND 15 THEN 'victims.victim' ELSE 'screening.policerecord' END,
       CASE WHEN mod(i, 20) < 10 THEN (mod(i, %(records)s) + 1)::text
            WHEN mod(i, 20) < 16 THEN decision.victim::text ELSE '' END,
       'synthetic',
       CASE WHEN mod(i, 20) = 0 THEN jsonb_build_object(
                'decision', jsonb_build_object('before', 'potential', 'after', 'not_ms'),
                'victim', jsonb_build_object(
                    'before', CASE decision.kind WHEN 1 THEN to_jsonb(decision.reference)
                                                 WHEN 2 THEN to_jsonb(decision.victim) END,
                    'after', CASE decision.kind WHEN 0 THEN decision.reference END))
            WHEN mod(i, 20) < 16 THEN '{}'::jsonb
            ELSE '{"criteria": ["ref"], "results": 1}'::jsonb END,
       '', md5('previous' || i) || md5('p' || i), md5('hash' || i) || md5('h' || i)
FROM generate_series(1, %(events)s) AS i,
     LATERAL (SELECT mod(i / 20, %(victims)s) + 1 AS victim, mod(i / 20 / %(victims)s, 4) AS kind,
                     'ESX-V-' || lpad((mod(i / 20, %(victims)s) + 1)::text, 6, '0') AS reference) AS decision
"""


def time_page(victim, repeat: int) -> tuple[float, list[int]]:
    """Median seconds of the page's queries, and the ids of the events on its first page."""
    from django.core.paginator import Paginator

    seconds = []
    for _ in range(repeat + 1):  # the first run warms the cache and is not counted
        start = time.perf_counter()
        page = Paginator(victim.trail(), 50).get_page(1)
        ids = [event.pk for event in page.object_list]
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds[1:]), ids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=300_000, help="synthetic audit events (default 300,000)")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs of the page's queries (default 20)")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/navigator_bench_trail",
                        help="PostgreSQL database to (re)create")
    args = parser.parse_args()

    fresh_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "navigator.settings")
    with tempfile.TemporaryDirectory(prefix="navigator-bench-") as keys:  # a throwaway key ring for the victim
        os.environ["NAVIGATOR_KEY_FILE"] = os.path.join(keys, "keys.json")
        measure(args.events, args.repeat)
    return 0


def measure(events: int, repeat: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from navigator.core.models import Force, Role, User
    from navigator.victims import services

    call_command("migrate", verbosity=0)
    call_command("migrate", "core", "0004", verbosity=0)  # the audit table without the trail's indexes
    force = Force.objects.get(code="ESX")
    navigator = User.objects.create_user(username="nav.bench", role=Role.NAVIGATOR)
    navigator.deployments.create(force=force)
    victim = services.create_victim(actor=navigator, force=force, full_name="Bench Example",
                                    date_of_birth=datetime.date(1990, 1, 1))
    services.give_consent(actor=navigator, victim=victim, purpose="support", given_on=datetime.date(2026, 1, 2),
                          means="verbal")
    with connection.cursor() as cursor:
        start = time.perf_counter()
        cursor.execute(SYNTHETIC_EVENTS, {"events": events, "victims": VICTIMS, "records": RECORDS})
        cursor.execute("ANALYZE core_auditevent")
        print(f"{events:,} synthetic audit events in {time.perf_counter() - start:.1f} s; "
              f"victim {victim.reference} (id {victim.pk})")

    before, before_ids = time_page(victim, repeat)
    start = time.perf_counter()
    call_command("migrate", "core", verbosity=0)
    built = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE core_auditevent")
    after, after_ids = time_page(victim, repeat)
    assert after_ids == before_ids, "the indexes changed what the page lists"

    plan = victim.trail()[:50].explain()
    index_lines = [line.strip() for line in plan.splitlines() if "audit_victim_" in line]
    print(f"page queries (count + first 50 of {victim.trail().count()} events), median of {repeat}: "
          f"without the indexes {before * 1000:.1f} ms, with them {after * 1000:.1f} ms: "
          f"{before / after:.0f}x faster (migration 0005, building them, took {built:.2f} s)")
    print("plan with the indexes:", *index_lines, sep="\n  ")


if __name__ == "__main__":
    sys.exit(main())
