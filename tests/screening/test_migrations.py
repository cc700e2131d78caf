"""Migrations that move data: what an existing database holds reads the same afterwards."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("screening", "0005_shared_reason_and_one_proposal")
AFTER = ("screening", "0006_results_only_where_the_screening_found_something")
SIGN = {"indicator": "documents_retained", "category": "control", "start": 0, "end": 8, "negated": False}


def _migrate(target):
    """Migrate to *target*; the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.mark.django_db(transaction=True)  # migrating needs the schema outside a test's transaction
def test_what_screened_each_record_moves_onto_it_and_results_stay_only_where_something_was_found(forces):
    negated = {**SIGN, "negated": True}
    apps = _migrate(BEFORE)
    try:
        PoliceRecord = apps.get_model("screening", "PoliceRecord")
        ScreeningResult = apps.get_model("screening", "ScreeningResult")
        for ref in ("CLEAN", "SIGN", "NEGATED", "NEVER"):
            PoliceRecord.objects.create(force_id=forces["ESX"].pk, ref=ref, text="Narrative", text_digest=ref,
                                        recorded_at=datetime.datetime(2026, 3, 14, tzinfo=datetime.UTC),
                                        record_type="incident")
        for ref, score, flagged, hits, version, threshold in (("CLEAN", 0.0, False, [], "2026.1.0", 1.0),
                                                              ("SIGN", 1.0, True, [SIGN], "2026.2.0", 1.0),
                                                              ("NEGATED", 0.0, False, [negated], "2026.2.0", 1.5)):
            ScreeningResult.objects.create(record=PoliceRecord.objects.get(ref=ref), score=score, flagged=flagged,
                                           hits=hits, library_version=version, threshold=threshold)
        screened_at = dict(ScreeningResult.objects.values_list("record__ref", "screened_at"))

        apps = _migrate(AFTER)
        PoliceRecord = apps.get_model("screening", "PoliceRecord")
        ScreeningResult = apps.get_model("screening", "ScreeningResult")
        assert {record.ref: (record.screened_with, record.screened_threshold, record.screened_at)
                for record in PoliceRecord.objects.all()} == {
            "CLEAN": ("2026.1.0", 1.0, screened_at["CLEAN"]), "SIGN": ("2026.2.0", 1.0, screened_at["SIGN"]),
            "NEGATED": ("2026.2.0", 1.5, screened_at["NEGATED"]),
            "NEVER": ("", None, None)}, "a record without a result stays unscreened, so a re-screen reads it"
        assert {result.record.ref: (result.score, result.flagged, result.hits)
                for result in ScreeningResult.objects.select_related("record")} == {
            "SIGN": (1.0, True, [SIGN]), "NEGATED": (0.0, False, [negated])}

        apps = _migrate(BEFORE)
        ScreeningResult = apps.get_model("screening", "ScreeningResult")
        assert {result.record.ref: (result.score, result.hits, result.library_version, result.threshold,
                                    result.screened_at)
                for result in ScreeningResult.objects.select_related("record")} == {
            "CLEAN": (0.0, [], "2026.1.0", 1.0, screened_at["CLEAN"]),
            "SIGN": (1.0, [SIGN], "2026.2.0", 1.0, screened_at["SIGN"]),
            "NEGATED": (0.0, [negated], "2026.2.0", 1.5, screened_at["NEGATED"])}, \
            "going back gives every screened record its result again"
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
