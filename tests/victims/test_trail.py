"""A victim's history page ("trail") lists the triage decisions that linked or unlinked them, found by index."""

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from navigator.core import audit
from navigator.screening.models import PoliceRecord
from navigator.screening.services import decide, record_view


@pytest.fixture
def records(tmp_path, forces):
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps({"ref": ref, "force": "ESX", "recorded_at": "2026-03-14", "type": "incident",
                                        "text": "Burglary at a hand car wash overnight, till taken."}) + "\n"
                            for ref in ("T1", "T2")))
    call_command("records", "import", str(path), "--force", "ESX")
    return PoliceRecord.objects.get(ref="T1"), PoliceRecord.objects.get(ref="T2")


def test_the_trail_lists_the_decisions_that_linked_and_unlinked_the_victim(client, login, people, records,
                                                                            make_victim, forces):
    navigator = people["navigator"]
    first, second = records
    victim = make_victim(navigator, forces["ESX"])
    other = make_victim(navigator, forces["ESX"], full_name="Other Testperson")
    decide(actor=navigator, record=first, decision="potential", reason="Control", victim=victim)
    decide(actor=navigator, record=first, decision="not_ms", reason="Ruled out")
    decide(actor=navigator, record=second, decision="potential", reason="Control", victim=other)
    record_view(actor=navigator, record=first)
    # Decisions audited before 2026.11.30 named the victim they unlinked by id.
    audit.record(actor=navigator, action="update", obj=second,
                 changes={"decision": {"before": "potential", "after": "not_ms"},
                          "victim": {"before": victim.pk, "after": None}})

    login(people["lead"])
    page = client.get(reverse("victims:history", args=[victim.reference])).content.decode()
    assert f"Victim: — → {victim.reference}" in page and f"Victim: {victim.reference} → —" in page
    assert f"Victim: {victim.pk} → —" in page
    assert page.count("triage of police record") == 3, "neither the record's view nor the other victim's link"
    assert other.reference not in page


# Event i of the synthetic trail: a view of a police record, nine in ten; otherwise a triage decision that links
# one of 2,000 other victims, unlinks one by reference or by id, or names none.
SYNTHETIC_EVENTS = """
INSERT INTO core_auditevent (occurred_at, actor_username, action, object_type, object_id, object_label, changes,
                             request_id, previous_hash, hash)
SELECT now() - i * interval '1 minute', 'nav.synthetic', CASE WHEN mod(i, 10) = 0 THEN 'update' ELSE 'view' END,
       'screening.policerecord', mod(i, 50000)::text, 'synthetic',
       CASE WHEN mod(i, 10) > 0 THEN '{}'::jsonb
            ELSE jsonb_build_object('victim', jsonb_build_object(
                'before', CASE mod(i, 40) WHEN 10 THEN to_jsonb('ESX-V-9' || lpad(mod(i, 2000)::text, 5, '0'))
                                          WHEN 20 THEN to_jsonb(100000 + mod(i, 2000)) END,
                'after', CASE mod(i, 40) WHEN 0 THEN 'ESX-V-9' || lpad(mod(i, 2000)::text, 5, '0') END)) END,
       '', repeat('0', 64), lpad(to_hex(i), 64, '0')
FROM generate_series(1, %s) AS i
"""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the indexes serve PostgreSQL; SQLite reads its table")
def test_the_trail_reads_the_audit_table_through_its_indexes(client, login, people, records, make_victim, forces):
    navigator = people["navigator"]
    victim = make_victim(navigator, forces["ESX"])
    decide(actor=navigator, record=records[0], decision="potential", reason="Control", victim=victim)
    with connection.cursor() as cursor:
        cursor.execute(SYNTHETIC_EVENTS, [300_000])
        cursor.execute("ANALYZE core_auditevent")

    login(people["lead"])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("victims:history", args=[victim.reference])).content.decode()
    assert f"Victim: — → {victim.reference}" in page
    trail = [query["sql"] for query in queries.captured_queries
             if 'FROM "core_auditevent" WHERE' in query["sql"] and "victim" in query["sql"]]
    assert len(trail) == 2, "the page counts the events and reads the first 50"
    for sql in trail:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(line for (line,) in cursor.fetchall())
        assert "Bitmap Index Scan on audit_victim_after" in plan, plan
        assert "Bitmap Index Scan on audit_victim_before" in plan, plan
        assert "Seq Scan on core_auditevent" not in plan, plan
