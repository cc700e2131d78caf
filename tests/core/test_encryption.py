import base64
import json
import os
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from navigator.core import crypto
from navigator.victims.models import Victim

MARKER = "Qzxmarkerwq"


def _raw_database_bytes() -> bytes:
    if connection.vendor == "sqlite":
        connection.close()  # flush WAL pages so the file holds everything written
        from django.conf import settings

        name = settings.DATABASES["default"]["NAME"]
        test_name = settings.DATABASES["default"].get("TEST", {}).get("NAME") or connection.settings_dict["NAME"]
        chunks = []
        for path in {name, test_name}:
            for suffix in ("", "-wal", "-journal"):
                try:
                    with open(f"{path}{suffix}", "rb") as handle:
                        chunks.append(handle.read())
                except (FileNotFoundError, TypeError):
                    continue
        return b"".join(chunks)
    with connection.cursor() as cursor:
        dump = []
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT CAST(t AS text) FROM "{table}" AS t')
            dump.extend(row[0] for row in cursor.fetchall())
        return "\n".join(dump).encode()


@pytest.mark.django_db(transaction=True)
def test_identity_leaves_no_plaintext_in_the_database(people, forces, make_victim, tmp_path):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memorydb"):
        pytest.fail("the SQLite test database must be a file for this test")
    victim = make_victim(people["navigator"], forces["ESX"], full_name=f"Ana {MARKER}",
                         aliases=f"{MARKER}alias", phone="07700 912345", address=f"{MARKER} Road")
    # Police narratives, locations and entities are imported in bulk (COPY on PostgreSQL): also sealed.
    from navigator.screening.services import import_records

    records = tmp_path / "records.jsonl"
    records.write_text(json.dumps({"ref": "R1", "force": "ESX", "recorded_at": "2026-01-01", "type": "incident",
                                   "location": f"{MARKER} Street", "text": f"Spoke to {MARKER}, her passport is "
                                   "kept by the boss", "entities": [{"kind": "person", "value": MARKER}]}) + "\n")
    assert import_records(actor=None, path=records, force=forces["ESX"]).created == 1
    raw = _raw_database_bytes()
    assert raw, "read nothing from the database"
    assert MARKER.encode() not in raw
    assert MARKER.lower().encode() not in raw
    assert b"07700 912345" not in raw
    assert Victim.objects.get(pk=victim.pk).full_name == f"Ana {MARKER}"


def test_ciphertext_names_its_key_and_is_bound_to_its_column(people, forces, make_victim):
    victim = make_victim(people["navigator"], forces["ESX"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name, phone FROM victims_victim WHERE id = %s", [victim.pk])
        full_name, phone = cursor.fetchone()
    assert full_name.startswith(f"enc1:{crypto.keyring().primary}:")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(full_name, "victims.victim.phone")


def test_key_rotation_keeps_every_value_readable(people, forces, make_victim, settings, tmp_path):
    settings.NAVIGATOR_KEY_FILE = tmp_path / "keys.json"
    crypto.reset_keyring_cache()
    crypto.keyring()
    victims = [make_victim(people["navigator"], forces["ESX"], full_name=f"Person {n} {MARKER}") for n in range(7)]
    old_primary = crypto.keyring().primary
    call_command("keys", "rotate")
    ring = json.loads((tmp_path / "keys.json").read_text())
    assert ring["primary"] != old_primary and old_primary in ring["keys"]
    assert (tmp_path / "keys.json").stat().st_mode & 0o077 == 0, "key file must be readable by its owner only"
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name, phone, address FROM victims_victim")
        for row in cursor.fetchall():
            assert all(value.startswith(f"enc1:{ring['primary']}:") for value in row)
    for n, victim in enumerate(victims):
        fresh = Victim.objects.get(pk=victim.pk)
        assert fresh.full_name == f"Person {n} {MARKER}"
        assert fresh.phone == "07700 900123"
    # Resuming finds nothing left to do.
    from io import StringIO

    out = StringIO()
    call_command("keys", "rotate", "--resume", stdout=out)
    assert "re-encrypted 0 values" in out.getvalue()
    crypto.reset_keyring_cache()


def test_blind_index_finds_by_name_and_date_of_birth(client, login, people, forces, make_victim):
    victim = make_victim(people["navigator"], forces["ESX"], full_name=f"José {MARKER}")
    make_victim(people["navigator"], forces["ESX"], full_name="Someone Else")
    login(people["navigator"])
    for query in (f"jose {MARKER.upper()}", f"  José   {MARKER} ", "27/03/1994", "1994-03-27"):
        page = client.get(reverse("victims:list"), {"q": query}).content.decode()
        assert victim.reference in page, query
    page = client.get(reverse("victims:list"), {"q": f"José {MARKER}"}).content.decode()
    assert "1 victim found" in page
    page = client.get(reverse("victims:list"), {"q": MARKER}).content.decode()
    assert "0 victims found" in page, "a partial name must not match an exact-match index"


def test_processes_starting_together_agree_on_one_key_file(tmp_path, settings):
    """The first start of the web server and the worker together must not leave data under a lost key."""
    import os
    import stat
    import threading

    path = tmp_path / "var" / "keys.json"
    settings.NAVIGATOR_KEY_FILE = path
    start = threading.Barrier(8)
    written, rings = [], []

    def first_start():
        start.wait()
        written.append(crypto.write_key_file(path, crypto.KeyRing.generate(), replace=False))
        rings.append(crypto.KeyRing.from_json(path.read_text()))

    threads = [threading.Thread(target=first_start) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(written) == [False] * 7 + [True]
    assert len(rings) == 8 and all(ring == rings[0] for ring in rings)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["keys.json"], "no temporary files left behind"
    crypto.reset_keyring_cache()
    assert crypto.keyring() == rings[0]
    crypto.reset_keyring_cache()


def _nonce(stored: str) -> bytes:
    return base64.b64decode(stored.split(":", 2)[2])[:12]


def test_nonces_are_never_repeated_across_threads_and_forks():
    """AES-GCM under one key must never see a nonce twice: not in many values, not from threads at once, not
    in a forked worker that inherited the parent's pool of random bytes."""
    sealed = [crypto.encrypt("same words", "test.context") for _ in range(5000)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        sealed += pool.map(lambda _: crypto.encrypt("same words", "test.context"), range(5000))
    assert len({_nonce(value) for value in sealed}) == 10_000
    assert {crypto.decrypt(value, "test.context") for value in sealed} == {"same words"}

    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # the child seals once and reports the nonce it used
        os.write(writer, _nonce(crypto.encrypt("child", "test.context")))
        os._exit(0)
    os.close(writer)
    parent_next = _nonce(crypto.encrypt("parent", "test.context"))
    os.waitpid(child, 0)
    with os.fdopen(reader, "rb") as pipe:
        child_nonce = pipe.read()
    assert len(child_nonce) == 12 and child_nonce != parent_next
