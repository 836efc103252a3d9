"""Appending to, anchoring and verifying the hash-chained audit trail.

Each event's hash is an HMAC-SHA256 under a key kept outside the database
(`XIANJIE_AUDIT_KEY`), over the event and its predecessor's hash: without the key nobody can
re-hash an edited chain. Checkpoints of the chain head (sequence, hash, time), each signed with
the same key, are appended to a file outside the database (`XIANJIE_AUDIT_CHECKPOINT_DIR`) on a
schedule and on demand: a tail cut or re-hashed by someone holding the key is detected back to
the last checkpoint.
"""

import hashlib
import hmac
import json
import os
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction

from config.request_id import current_request_id

from ..models import AuditChainHead, AuditEvent
from ..text import clean_text
from ..timeutil import now

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


def _mac(data: bytes) -> str:
    return hmac.new(settings.XIANJIE_AUDIT_KEY.encode(), data, hashlib.sha256).hexdigest()


def event_hash(event: AuditEvent) -> str:
    return _mac(_canonical(event))


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
    batch = _open_batch.get()
    head = batch.lock_head() if batch is not None else _lock_head()
    event = AuditEvent(
        seq=head.last_seq + 1,
        referral=referral,
        actor=actor,
        actor_agency_id=getattr(actor, "agency_id", None),
        action=action,
        from_status=from_status,
        to_status=to_status,
        # Reasons reach the other agencies' timelines: cleaned like every text (referral.text).
        reason=clean_text(reason or ""),
        # Stored as JSON, so hash what a read will give back (tuples become lists, etc.).
        payload=json.loads(json.dumps(payload or {}, ensure_ascii=False, default=str)),
        request_id=request_id or current_request_id(),
        created_at=at,
        prev_hash=head.last_hash,
    )
    event.hash = event_hash(event)
    head.last_seq, head.last_hash = event.seq, event.hash
    if batch is not None:
        batch.events.append(event)
        return event
    event.save()
    head.save(update_fields=["last_seq", "last_hash"])
    return event


def audit_record_change(
    referral, actor, action: str, payload: dict, request_id: str = "", reason: str = ""
) -> AuditEvent:
    """Appends an event that changes `referral`'s record, not its state (the status before and
    after is the same); inside the caller's transaction, as `audit_append`."""
    return audit_append(
        action=action,
        at=now(),
        actor=actor,
        referral=referral,
        from_status=referral.status,
        to_status=referral.status,
        reason=reason,
        payload=payload,
        request_id=request_id,
    )


def values_of(obj, fields) -> dict[str, str]:
    """The fields' values as the audit keeps them (text; "" for none)."""
    return {name: "" if getattr(obj, name) is None else str(getattr(obj, name)) for name in fields}


def changes_between(before: dict[str, str], after: dict[str, str]) -> dict:
    """{field: {"old", "new"}} for the fields whose value changed."""
    return {
        name: {"old": old, "new": after[name]} for name, old in before.items() if old != after[name]
    }


def _lock_head() -> AuditChainHead:
    return AuditChainHead.objects.select_for_update().get(pk=1)


def audit_chain_lock() -> None:
    """Takes the chain head's row lock now (a no-op statement-wise when the open batch holds
    it), for callers that must take it before another lock (services/documents.py)."""
    batch = _open_batch.get()
    if batch is not None:
        batch.lock_head()
    else:
        _lock_head()


class _Batch:
    def __init__(self):
        self.head: AuditChainHead | None = None
        self.events: list[AuditEvent] = []

    def lock_head(self) -> AuditChainHead:
        if self.head is None:
            self.head = _lock_head()
        return self.head

    def write(self) -> None:
        if self.events:
            AuditEvent.objects.bulk_create(self.events)
            self.head.save(update_fields=["last_seq", "last_hash"])


_open_batch: ContextVar[_Batch | None] = ContextVar("audit_batch", default=None)


@contextmanager
def audit_batch():
    """Inside the block `audit_append` locks the chain head once and keeps its events, each
    sequenced and hashed as it is appended; leaving the block writes them with one INSERT and
    moves the head once: three statements for a step however many events it records (its own,
    each document issued, each receipt), the same chain as appending one by one.

    Runs inside the caller's transaction and only around code that lets every failure
    propagate (nothing inside may catch an error and carry on after a rolled-back savepoint):
    on an exception nothing is written and the caller's transaction rolls back. A block inside
    an open one adds to the outer one."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_batch must run inside the transaction of the changes")
    if _open_batch.get() is not None:
        yield
        return
    batch = _Batch()
    token = _open_batch.set(batch)
    try:
        yield
        batch.write()
    finally:
        _open_batch.reset(token)


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    # "edited" | "missing" | "relinked" | "tail_missing" | "rewritten" | "truncated"
    # | "checkpoint_forged"
    kind: str
    detail: str


# --- Checkpoints -----------------------------------------------------------------------------

CHECKPOINT_FILE = "checkpoints.jsonl"


def _checkpoint_path() -> Path:
    return Path(settings.XIANJIE_AUDIT_CHECKPOINT_DIR) / CHECKPOINT_FILE


def _checkpoint_body(checkpoint: dict) -> bytes:
    body = {key: checkpoint[key] for key in ("seq", "hash", "at")}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def audit_checkpoint(*, at: datetime) -> dict:
    """Appends a signed checkpoint of the committed chain head to the checkpoint file (made
    durable before returning) and returns it. Reads the head without locking it."""
    head = AuditChainHead.objects.get(pk=1)
    checkpoint = {
        "seq": head.last_seq,
        "hash": head.last_hash,
        "at": at.astimezone(UTC).isoformat(timespec="seconds"),
    }
    checkpoint["mac"] = _mac(_checkpoint_body(checkpoint))
    path = _checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as file:
        file.write(json.dumps(checkpoint, sort_keys=True) + "\n")
        file.flush()
        os.fsync(file.fileno())
    return checkpoint


def audit_checkpoints() -> list[dict]:
    """The checkpoints written so far, oldest first (none when the file does not exist)."""
    path = _checkpoint_path()
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _forged_checkpoint(checkpoints: list[dict]) -> ChainProblem | None:
    for checkpoint in checkpoints:
        try:
            genuine = hmac.compare_digest(checkpoint["mac"], _mac(_checkpoint_body(checkpoint)))
        except (KeyError, TypeError):
            genuine = False
        if not genuine:
            seq = checkpoint.get("seq", 0) if isinstance(checkpoint, dict) else 0
            return ChainProblem(seq, "checkpoint_forged", f"checkpoint at #{seq} is not genuine")
    return None


# --- Verification ----------------------------------------------------------------------------


def audit_verify() -> ChainProblem | None:
    """Walks the chain in order against its key and its checkpoints; returns the first broken
    link, or None when intact."""
    checkpoints = audit_checkpoints()
    if problem := _forged_checkpoint(checkpoints):
        return problem
    anchored = {c["seq"]: c["hash"] for c in checkpoints}
    expected_seq, expected_prev = 1, GENESIS_HASH
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if problem := _event_problem(event, expected_seq, expected_prev, anchored):
            return problem
        expected_seq, expected_prev = event.seq + 1, event.hash
    last_seq = expected_seq - 1
    furthest = max(anchored, default=0)
    if furthest > last_seq:
        return ChainProblem(
            last_seq + 1,
            "truncated",
            f"events after #{last_seq} are missing (a checkpoint recorded #{furthest})",
        )
    head = AuditChainHead.objects.get(pk=1)
    if head.last_seq != last_seq or head.last_hash != expected_prev:
        return ChainProblem(
            expected_seq,
            "tail_missing",
            f"events after #{last_seq} are missing (head at #{head.last_seq})",
        )
    return None


def _event_problem(event, expected_seq, expected_prev, anchored) -> ChainProblem | None:
    if event.seq != expected_seq:
        return ChainProblem(expected_seq, "missing", f"event #{expected_seq} is missing")
    if event.prev_hash != expected_prev:
        return ChainProblem(
            event.seq, "relinked", f"event #{event.seq} does not link to its predecessor"
        )
    if not hmac.compare_digest(event_hash(event), event.hash):
        return ChainProblem(
            event.seq, "edited", f"event #{event.seq} was altered after it was written"
        )
    if event.seq in anchored and anchored[event.seq] != event.hash:
        return ChainProblem(
            event.seq,
            "rewritten",
            f"event #{event.seq} differs from the checkpoint taken of it: the chain was re-hashed",
        )
    return None
