from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from navigator.core import audit, crypto
from navigator.core.fields import EncryptedTextField
from navigator.core.models import AuditAction

BATCH = 500


def encrypted_columns():
    from django.apps import apps

    for model in apps.get_models():
        names = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if names:
            yield model, names


def stale_rows(model, fields, primary: str):
    """Primary keys of rows holding a value sealed under a key other than the primary one."""
    # Values carry their key id in clear ('enc1:<kid>:...'), so the database can find stale ones.
    stale_prefix = f"{crypto.PREFIX}:{primary}:"
    condition = None
    for field in fields:
        clause = Q(**{f"{field.attname}__isnull": False}) & ~Q(**{field.attname: ""}) & ~Q(
            **{f"{field.attname}__startswith": stale_prefix})
        condition = clause if condition is None else condition | clause
    return model._base_manager.filter(condition).order_by("pk").values_list("pk", flat=True)


class Command(BaseCommand):
    help = ("Manage encryption keys. `navigator keys rotate` adds a new primary key and re-encrypts every "
            "value in batches; if interrupted, run it with --resume to finish without adding another key.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, title="subcommands")
        rotate = sub.add_parser("rotate", help="Make a new primary key and re-encrypt every value under it")
        rotate.add_argument("--resume", action="store_true",
                            help="Do not add a key: finish re-encrypting values still under older keys")
        sub.add_parser("status", help="Count values under each key")

    def handle(self, *args, subcommand, resume=False, **options):
        if subcommand == "status":
            return self._status()
        ring = crypto.keyring()
        if not resume:
            if settings.NAVIGATOR_KEYRING:
                raise CommandError("keys come from NAVIGATOR_KEYRING: add a new key there, make it primary, "
                                   "restart, then run `navigator keys rotate --resume`")
            path = Path(settings.NAVIGATOR_KEY_FILE)
            ring = ring.with_new_primary()
            crypto.write_key_file(path, ring)
            crypto.reset_keyring_cache()
            self.stdout.write(f"new primary key {ring.primary} written to {path}")
        self._reencrypt(ring.primary)

    def _reencrypt(self, primary: str) -> None:
        console = Console(stderr=True)
        work = [(model, fields, list(stale_rows(model, fields, primary))) for model, fields in encrypted_columns()]
        total = sum(len(pks) for _, _, pks in work)
        done = 0
        with Progress(TextColumn("Re-encrypting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                      console=console, disable=not console.is_terminal) as progress:
            task = progress.add_task("rotate", total=total)
            for model, fields, pks in work:
                names = [f.name for f in fields]
                for start in range(0, len(pks), BATCH):
                    batch = pks[start:start + BATCH]
                    # Each batch commits on its own, so an interrupted run keeps what it finished.
                    with transaction.atomic():
                        rows = list(model._base_manager.select_for_update().filter(pk__in=batch))
                        model._base_manager.bulk_update(rows, names)
                    done += len(batch)
                    progress.update(task, completed=done)
        with transaction.atomic():
            audit.record(actor=None, action=AuditAction.KEY_ROTATION, object_type="core.keyring",
                         object_id=primary, username="navigator keys rotate", changes={"values_reencrypted": done})
        self.stdout.write(f"re-encrypted {done} values under key {primary}")

    def _status(self) -> None:
        ring = crypto.keyring()
        self.stdout.write(f"primary key: {ring.primary}; keys in ring: {', '.join(sorted(ring.keys))}")
        for model, fields in encrypted_columns():
            stale = stale_rows(model, fields, ring.primary).count()
            self.stdout.write(f"{model._meta.label}: {stale} rows hold values under older keys")
