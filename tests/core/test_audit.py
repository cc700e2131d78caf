import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.urls import reverse

from navigator.core import audit
from navigator.core.models import AuditEvent
from navigator.victims import services


def _verify_output():
    from io import StringIO

    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


@pytest.fixture
def trail(people, forces, make_victim):
    victim = make_victim(people["navigator"], forces["ESX"])
    services.update_victim(actor=people["navigator"], victim=victim, support_level="standard",
                           full_name="Changed Name")
    return victim


def test_viewing_a_victim_writes_a_view_event(client, login, people, trail):
    login(people["navigator"])
    before = AuditEvent.objects.filter(action="view").count()
    client.get(reverse("victims:detail", kwargs={"reference": trail.reference}))
    event = AuditEvent.objects.filter(action="view").latest("id")
    assert AuditEvent.objects.filter(action="view").count() == before + 1
    assert event.actor == people["navigator"]
    assert event.object_id == str(trail.pk)
    assert event.request_id and event.ip_address == "127.0.0.1"


def test_update_records_before_and_after_with_identity_masked(trail):
    event = AuditEvent.objects.filter(action="update", object_id=str(trail.pk)).latest("id")
    assert event.changes["support_level"] == {"before": "intensive", "after": "standard"}
    assert event.changes["full_name"] == {"before": audit.MASK, "after": audit.MASK}
    assert "Changed Name" not in str(event.changes) and "Zora" not in str(event.changes)


def test_untouched_trail_verifies(trail):
    assert "audit trail intact" in _verify_output()


def _tamper(sql, params):
    """Rewrite history as an attacker with database-owner rights would: around the append-only triggers."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # a superuser's way round triggers
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")


def test_altered_event_is_named(trail):
    target = AuditEvent.objects.order_by("id").last()
    _tamper("UPDATE core_auditevent SET actor_username = %s WHERE id = %s", ["someone.else", target.pk])
    with pytest.raises(CommandError, match=f"broken at event {target.pk}: content does not match"):
        _verify_output()


def test_deleted_event_is_detected(trail):
    events = list(AuditEvent.objects.order_by("id"))
    assert len(events) >= 2
    _tamper("DELETE FROM core_auditevent WHERE id = %s", [events[0].pk])
    with pytest.raises(CommandError, match=f"broken at event {events[1].pk}: previous-hash link broken"):
        _verify_output()


def test_deleting_the_newest_event_is_detected(trail):
    newest = AuditEvent.objects.latest("id")
    _tamper("DELETE FROM core_auditevent WHERE id = %s", [newest.pk])
    with pytest.raises(CommandError, match="the newest events were deleted"):
        _verify_output()


def test_inserted_event_is_detected(trail):
    first = AuditEvent.objects.order_by("id").first()
    _tamper(
        "INSERT INTO core_auditevent (occurred_at, actor_username, action, object_type, object_id, object_label, "
        "changes, request_id, previous_hash, hash) VALUES (%s, 'forger', 'view', '', '', '', '{}', '', %s, %s)",
        [first.occurred_at, first.hash, "f" * 64],
    )
    with pytest.raises(CommandError, match="broken at event"):
        _verify_output()


def test_verify_exits_non_zero_from_the_command_line(trail):
    # call_command raises; the real command line turns that into a non-zero exit code.
    target = AuditEvent.objects.order_by("id").first()
    _tamper("UPDATE core_auditevent SET action = 'delete' WHERE id = %s", [target.pk])
    with pytest.raises(CommandError) as excinfo:
        _verify_output()
    assert excinfo.value.returncode == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL-only guard; CI runs the suite there too")
def test_postgresql_refuses_update_and_delete(trail):
    from django.db import DatabaseError

    for statement in ("UPDATE core_auditevent SET action = 'view'", "DELETE FROM core_auditevent"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement)


def test_lead_sees_who_has_seen_or_changed_a_record(client, login, people, trail):
    login(people["navigator"])
    client.get(reverse("victims:detail", kwargs={"reference": trail.reference}))
    login(people["lead"])
    page = client.get(reverse("victims:history", kwargs={"reference": trail.reference})).content.decode()
    assert "nav.essex" in page
    assert "Support level: intensive → standard" in page and "Identity shown: yes" in page
    assert "Changed Name" not in page
