"""What screened a record moves onto the record, and a screening result stays only where the screening found a sign.

Records without a result row keep a blank screened_with, so the next re-screen reads them as stale. The three columns
are made nullable before the data moves so that going back can add them again to a table that holds rows."""

from itertools import islice

from django.db import migrations, models
from django.db.models import Exists, OuterRef, Subquery

MOVED = (("library_version", "screened_with"), ("threshold", "screened_threshold"), ("screened_at", "screened_at"))


def move_to_the_records(apps, schema_editor):
    PoliceRecord = apps.get_model("screening", "PoliceRecord")
    ScreeningResult = apps.get_model("screening", "ScreeningResult")
    result = ScreeningResult.objects.filter(record=OuterRef("pk"))
    PoliceRecord.objects.filter(Exists(result)).update(
        **{on_record: Subquery(result.values(on_result)[:1]) for on_result, on_record in MOVED})
    ScreeningResult.objects.filter(hits=[], score=0, flagged=False, held_back=False).delete()


def back_to_the_results(apps, schema_editor):
    """A result row again for every screened record (the clean ones as found: score 0, no hits)."""
    PoliceRecord = apps.get_model("screening", "PoliceRecord")
    ScreeningResult = apps.get_model("screening", "ScreeningResult")
    clean = PoliceRecord.objects.exclude(screened_with="").filter(screening__isnull=True).values_list("pk", flat=True)
    record_ids = clean.iterator(chunk_size=5000)
    # In chunks: bulk_create holds every object it is given (a million records would take a gigabyte).
    while chunk := list(islice(record_ids, 5000)):
        ScreeningResult.objects.bulk_create(
            [ScreeningResult(record_id=pk, score=0.0, flagged=False, hits=[], held_back=False) for pk in chunk])
    record = PoliceRecord.objects.filter(pk=OuterRef("record_id"))
    ScreeningResult.objects.update(**{on_result: Subquery(record.values(on_record)[:1]) for on_result, on_record in MOVED})
    if schema_editor.connection.vendor == "postgresql":
        # The new rows' foreign keys checked now: checks still pending would stop the next step altering the table.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):

    dependencies = [
        ('screening', '0005_shared_reason_and_one_proposal'),
    ]

    operations = [
        migrations.AddField(
            model_name='policerecord',
            name='screened_with',
            field=models.CharField(blank=True, default='', help_text="The screener's version; blank: never screened",
                                   max_length=40),
        ),
        migrations.AddField(
            model_name='policerecord',
            name='screened_threshold',
            field=models.FloatField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='policerecord',
            name='screened_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='screeningresult',
            name='library_version',
            field=models.CharField(max_length=40, null=True),
        ),
        migrations.AlterField(
            model_name='screeningresult',
            name='threshold',
            field=models.FloatField(null=True),
        ),
        migrations.AlterField(
            model_name='screeningresult',
            name='screened_at',
            field=models.DateTimeField(auto_now=True, null=True),
        ),
        migrations.RunPython(move_to_the_records, back_to_the_results),
        migrations.RemoveField(
            model_name='screeningresult',
            name='library_version',
        ),
        migrations.RemoveField(
            model_name='screeningresult',
            name='threshold',
        ),
        migrations.RemoveField(
            model_name='screeningresult',
            name='screened_at',
        ),
    ]
