from django.conf import settings
from django.db import migrations, models


def keep_the_newest_proposal(apps, schema_editor):
    """A race of two fits could have left two proposals waiting: the newest stays, as the page showed it."""
    Calibration = apps.get_model("screening", "Calibration")
    newest = Calibration.objects.filter(status="proposed").order_by("-proposed_at", "-pk").first()
    if newest is not None:
        Calibration.objects.filter(status="proposed").exclude(pk=newest.pk).update(status="superseded")


class Migration(migrations.Migration):

    dependencies = [
        ('screening', '0004_previous_narrative'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='triagedecision',
            name='shared_with_police',
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(keep_the_newest_proposal, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='calibration',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'proposed')), fields=('status',),
                                               name='one_proposal_waiting'),
        ),
    ]
