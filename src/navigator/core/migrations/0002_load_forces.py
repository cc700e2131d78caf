from django.db import migrations

from navigator.core.forces import FORCES


def load_forces(apps, schema_editor):
    Force = apps.get_model("core", "Force")
    for code, name, kind in FORCES:
        Force.objects.update_or_create(code=code, defaults={"name": name, "kind": kind})


def unload_forces(apps, schema_editor):
    apps.get_model("core", "Force").objects.filter(code__in=[code for code, _, _ in FORCES]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load_forces, unload_forces)]
