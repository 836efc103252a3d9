"""Appending to and verifying the hash-chained audit trail."""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import transaction

from config.request_id import current_request_id

from ..models import AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64


def _canonical(event: AuditEvent) -> bytes:
    body = {
        "seq": event.seq,
        "prev_hash": event.prev_hash,
        "referral": event.referral_id,
        "actor": event.actor_id,
        "actor_agency": event.actor_agency_id,
        "action": event.action,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "reason": event.reason,
        "payload": event.payload,
        "request_id": event.request_id,
        "created_at": event.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def event_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def audit_append(
    *,
    action: str,
    at: datetime,
    actor=None,
    referral=None,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    payload: dict | None = None,
    request_id: str = "",
) -> AuditEvent:
    """Appends one event, chained to the last. Must run inside the caller's transaction so the
    event commits or rolls back with the change it records. Without an explicit `request_id`
    the event carries the id of the request being served (config/request_id.py)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_append must run inside the transaction of the change it records")
    head = AuditChainHead.objects.select_for_update().get(pk=1)
    event = AuditEvent(
        seq=head.last_seq + 1,
        referral=referral,
        actor=actor,
        actor_agency_id=getattr(actor, "agency_id", None),
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        # Stored as JSON, so hash what a read will give back (tuples become lists, etc.).
        payload=json.loads(json.dumps(payload or {}, ensure_ascii=False, default=str)),
        request_id=request_id or current_request_id(),
        created_at=at,
        prev_hash=head.last_hash,
    )
    event.hash = event_hash(event)
    event.save()
    head.last_seq, head.last_hash = event.seq, event.hash
    head.save(update_fields=["last_seq", "last_hash"])
    return event


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    kind: str  # "edited" | "missing" | "relinked" | "tail_missing"
    detail: str


def audit_verify() -> ChainProblem | None:
    """Walks the chain in order and returns its first broken link, or None when intact."""
    expected_seq, expected_prev = 1, GENESIS_HASH
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if event.seq != expected_seq:
            return ChainProblem(expected_seq, "missing", f"event #{expected_seq} is missing")
        if event.prev_hash != expected_prev:
            return ChainProblem(
                event.seq, "relinked", f"event #{event.seq} does not link to its predecessor"
            )
        if event_hash(event) != event.hash:
            return ChainProblem(
                event.seq, "edited", f"event #{event.seq} was altered after it was written"
            )
        expected_seq, expected_prev = event.seq + 1, event.hash
    head = AuditChainHead.objects.get(pk=1)
    if head.last_seq != expected_seq - 1 or head.last_hash != expected_prev:
        return ChainProblem(
            expected_seq,
            "tail_missing",
            f"events after #{expected_seq - 1} are missing (head at #{head.last_seq})",
        )
    return None
