"""The append-only, hash-chained audit trail.

Each event's hash covers its own content and the previous event's hash; a head row records the
newest event. Altering, inserting or deleting any row therefore breaks the chain, which
`navigator audit verify` reports.
"""

import hashlib
import json
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from .context import RequestContext, current_request
from .models import AuditAction, AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64
MASK = "••••••"
# Serialises writers on PostgreSQL so two events never claim the same predecessor.
_ADVISORY_LOCK_KEY = 7_351_000_001


def _canonical(event: AuditEvent) -> bytes:
    payload = {
        "occurred_at": event.occurred_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_label": event.object_label,
        "changes": event.changes,
        "request_id": event.request_id,
        "ip_address": event.ip_address,
        "previous_hash": event.previous_hash,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()


def record_search(*, actor, object_type: str, criteria: dict, result_count: int) -> AuditEvent:
    """A search: which kinds of criteria were used and how many results, never the values (they may be names)."""
    return record(actor=actor, action=AuditAction.SEARCH, object_type=object_type,
                  changes={"criteria": sorted(k for k, v in criteria.items() if v), "results": result_count})


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def _lock_chain() -> AuditChainHead:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])
    head = AuditChainHead.objects.select_for_update().first()
    if head is None:
        head = AuditChainHead.objects.create(last_event_id=0, last_hash=GENESIS_HASH)
    return head


@transaction.atomic
def record(*, actor, action: str, obj=None, object_type: str = "", object_id: str = "",
           label: str = "", changes: dict | None = None, username: str = "") -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction."""
    context = current_request.get() or RequestContext()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        label = label or str(obj)
    head = _lock_chain()
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor=actor if authenticated else None,
        actor_username=(actor.get_username() if authenticated else username)[:150],
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_label=label[:100],
        changes=changes or {},
        request_id=context.request_id,
        ip_address=context.ip_address,
        previous_hash=head.last_hash,
    )
    # Round-trip through JSON so the hash is computed over exactly what the database returns.
    event.changes = json.loads(json.dumps(event.changes, default=str))
    event.hash = compute_hash(event)
    event.save()
    head.last_event_id = event.pk
    head.last_hash = event.hash
    head.save(update_fields=["last_event_id", "last_hash"])
    return event


def field_changes(before: dict, after: dict, masked: set[str]) -> dict:
    """Field-level before/after, with encrypted values masked so no plaintext reaches the trail."""
    changes = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if name in masked:
            changes[name] = {"before": MASK if old else "", "after": MASK if new else ""}
        else:
            changes[name] = {"before": old, "after": new}
    return changes


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    bad_event_id: int | None = None
    reason: str = ""


def verify(progress=None) -> VerifyResult:
    """Walk the chain from the first event; name the first event that does not fit."""
    previous = GENESIS_HASH
    checked = 0
    last_id = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.previous_hash != previous:
            return VerifyResult(False, checked, event.pk, "previous-hash link broken: an event before it was "
                                "deleted or inserted, or this one was altered")
        if compute_hash(event) != event.hash:
            return VerifyResult(False, checked, event.pk, "content does not match its hash: the event was altered")
        previous = event.hash
        last_id = event.pk
        checked += 1
        if progress:
            progress(checked)
    head = AuditChainHead.objects.first()
    if head is not None and (head.last_event_id != last_id or head.last_hash != previous):
        return VerifyResult(False, checked, head.last_event_id or None,
                            f"the chain ends at event {last_id} but the head records event {head.last_event_id}: "
                            "the newest events were deleted")
    if head is None and checked:
        return VerifyResult(False, checked, last_id, "the chain head is missing")
    return VerifyResult(True, checked)
