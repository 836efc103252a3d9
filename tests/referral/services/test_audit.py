"""The audit trail: one event per action in the same transaction, chained, tamper-evident."""

import contextlib
import hashlib
import json

import pgtrigger
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import ProgrammingError

from referral.models import AppendOnlyError, AuditChainHead, AuditEvent
from referral.services.audit import (
    _canonical,
    _checkpoint_path,
    audit_append,
    audit_batch,
    audit_checkpoint,
    audit_verify,
    event_hash,
)
from referral.timeutil import now

# The chain lives in the database: its locks, transactions and triggers are the engine's.
pytestmark = pytest.mark.engine

TRIGGERS = (
    "referral.AuditEvent:audit_event_no_update",
    "referral.AuditEvent:audit_event_no_delete",
    "referral.AuditChainHead:audit_head_only_forward",
)


def _tamper(sql, params):
    """Runs `sql` as someone who can also switch PostgreSQL's append-only triggers off (the
    database owner); on SQLite there are none to switch off."""
    guard = pgtrigger.ignore(*TRIGGERS) if connection.vendor == "postgresql" else None
    with guard or contextlib.nullcontext(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _main_line(world):
    referral = world.reach("FILED")
    return referral, AuditEvent.objects.count()


def test_verify_accepts_an_untouched_chain(world, capsys):
    _main_line(world)
    assert audit_verify() is None
    call_command("verify_audit")
    assert "Audit chain intact" in capsys.readouterr().out


def test_verify_detects_an_edited_row(world):
    referral, count = _main_line(world)
    victim = AuditEvent.objects.filter(referral=referral, action="approve_transfer").get()
    _tamper("UPDATE referral_auditevent SET reason = %s WHERE id = %s", ["改过", victim.pk])
    problem = audit_verify()
    assert (problem.seq, problem.kind) == (victim.seq, "edited")
    with pytest.raises(CommandError, match=f"#{victim.seq}"):
        call_command("verify_audit")


def test_verify_detects_a_deleted_row(world):
    referral, count = _main_line(world)
    victim = AuditEvent.objects.filter(referral=referral, action="transfer").get()
    _tamper("DELETE FROM referral_auditevent WHERE id = %s", [victim.pk])
    problem = audit_verify()
    assert (problem.seq, problem.kind) == (victim.seq, "missing")


def test_verify_detects_a_deleted_tail(world):
    _main_line(world)
    last = AuditEvent.objects.order_by("-seq").first()
    _tamper("DELETE FROM referral_auditevent WHERE id = %s", [last.pk])
    problem = audit_verify()
    assert (problem.seq, problem.kind) == (last.seq, "tail_missing")


def test_verify_detects_a_rehashed_row(world):
    """Editing a row and recomputing its own hash (even with the key) still breaks the next
    row's link."""
    referral, _ = _main_line(world)
    victim = AuditEvent.objects.filter(referral=referral, action="approve_transfer").get()
    victim.reason = "伪造"
    _tamper(
        "UPDATE referral_auditevent SET reason = %s, hash = %s WHERE id = %s",
        ["伪造", event_hash(victim), victim.pk],
    )
    problem = audit_verify()
    assert (problem.seq, problem.kind) == (victim.seq + 1, "relinked")


def test_events_cannot_be_changed_through_the_orm(world):
    _main_line(world)
    event = AuditEvent.objects.first()
    event.reason = "x"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_append_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        audit_append(action="x", at=now())


@pytest.mark.django_db
def test_a_failed_change_leaves_no_event():
    before = AuditEvent.objects.count()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit_append(action="x", at=now())
        raise ZeroDivisionError
    assert AuditEvent.objects.count() == before
    assert AuditChainHead.objects.get().last_seq == before


def test_every_step_writes_exactly_one_event(world):
    referral = world.new_referral()
    counts = [AuditEvent.objects.filter(referral=referral).count()]
    for name in ("find_suspected_crime", "submit_transfer_report", "approve_transfer"):
        world.prepare(referral, name)
        # Documents the step issues are audited on their own (issue_document).
        steps = AuditEvent.objects.filter(referral=referral).exclude(action="issue_document")
        before = steps.count()
        world.do(referral, name, prepare=False)
        assert steps.count() == before + 1
    assert counts == [1]  # creation


def _rehash_from(seq, *, reason, key_holder=True):
    """Edits event `seq` and re-chains every event after it, as an attacker would: with the
    key (HMAC), or without it (plain SHA-256 is all they can compute)."""
    events = list(AuditEvent.objects.filter(seq__gte=seq).order_by("seq"))
    prev = AuditEvent.objects.get(seq=seq).prev_hash
    _tamper("UPDATE referral_auditevent SET hash = 'x' || id WHERE seq >= %s", [seq])
    for event in events:
        if event.seq == seq:
            event.reason = reason
        event.prev_hash = prev
        body = event_hash(event) if key_holder else hashlib.sha256(_canonical(event)).hexdigest()
        _tamper(
            "UPDATE referral_auditevent SET reason = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [event.reason, prev, body, event.pk],
        )
        prev = body
    _tamper("UPDATE referral_auditchainhead SET last_hash = %s WHERE id = 1", [prev])


def test_a_chain_rehashed_without_the_key_is_detected(world):
    _main_line(world)
    victim = AuditEvent.objects.get(action="approve_transfer")
    _rehash_from(victim.seq, reason="伪造", key_holder=False)
    problem = audit_verify()
    assert (problem.seq, problem.kind) == (victim.seq, "edited")


def test_a_chain_rehashed_with_the_key_is_detected_back_to_the_last_checkpoint(world, capsys):
    _main_line(world)
    checkpoint = audit_checkpoint(at=now())
    assert checkpoint["seq"] == AuditEvent.objects.count()
    victim = AuditEvent.objects.get(action="approve_transfer")
    _rehash_from(victim.seq, reason="伪造")
    problem = audit_verify()
    assert (problem.seq, problem.kind) == (checkpoint["seq"], "rewritten")


def test_a_cut_tail_with_the_head_moved_back_is_detected_by_the_checkpoint(world):
    _main_line(world)
    audit_checkpoint(at=now())
    last = AuditEvent.objects.order_by("-seq")[:3]
    keep = AuditEvent.objects.order_by("-seq")[3]
    _tamper("DELETE FROM referral_auditevent WHERE seq > %s", [keep.seq])
    _tamper(
        "UPDATE referral_auditchainhead SET last_seq = %s, last_hash = %s WHERE id = 1",
        [keep.seq, keep.hash],
    )
    problem = audit_verify()
    assert (problem.seq, problem.kind) == (keep.seq + 1, "truncated")
    assert len(last) == 3


def test_a_forged_checkpoint_is_detected(world):
    _main_line(world)
    audit_checkpoint(at=now())
    path = _checkpoint_path()
    forged = json.loads(path.read_text().splitlines()[0])
    forged["seq"] += 100
    path.write_text(json.dumps(forged) + "\n")
    assert audit_verify().kind == "checkpoint_forged"


def test_checkpoint_command_appends_a_signed_checkpoint(world, capsys):
    _main_line(world)
    call_command("audit_checkpoint")
    call_command("audit_checkpoint")
    lines = _checkpoint_path().read_text().splitlines()
    assert len(lines) == 2
    assert json.loads(lines[-1])["seq"] == AuditEvent.objects.count()
    assert str(AuditEvent.objects.count()) in capsys.readouterr().out
    assert audit_verify() is None


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE referral_auditevent SET reason = 'x'",
        "DELETE FROM referral_auditevent",
        "DELETE FROM referral_auditchainhead",
        "UPDATE referral_auditchainhead SET last_seq = last_seq - 1",
    ],
)
def test_postgresql_refuses_to_change_or_delete_the_trail(world, sql):
    _main_line(world)
    with pytest.raises(ProgrammingError, match="pgtrigger: Cannot"), connection.cursor() as cursor:
        cursor.execute(sql)


def test_a_batch_writes_its_events_in_three_statements_as_the_same_chain(world):
    """audit_batch (the step gate's): the head locked once, one INSERT, the head moved once;
    the events are sequenced and chained exactly as appended one by one."""
    from django.test.utils import CaptureQueriesContext

    start = AuditChainHead.objects.get(pk=1).last_seq
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        with audit_batch():
            appended = [audit_append(action=f"batched_{n}", at=now()) for n in range(4)]
            assert AuditEvent.objects.filter(seq__gt=start).count() == 0  # not yet written
    statements = [q for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(statements) == 1 + 3  # the count above, then lock, insert, move
    written = list(AuditEvent.objects.filter(seq__gt=start).order_by("seq"))
    assert [e.seq for e in written] == [start + 1, start + 2, start + 3, start + 4]
    assert [e.hash for e in written] == [e.hash for e in appended]
    assert all(event_hash(e) == e.hash for e in written)
    assert AuditChainHead.objects.get(pk=1).last_seq == start + 4
    assert audit_verify() is None


@pytest.mark.django_db
def test_a_failed_batch_writes_nothing():
    start = AuditChainHead.objects.get(pk=1).last_seq
    with pytest.raises(RuntimeError, match="boom"), transaction.atomic(), audit_batch():
        audit_append(action="batched", at=now())
        raise RuntimeError("boom")
    assert AuditChainHead.objects.get(pk=1).last_seq == start
    assert not AuditEvent.objects.filter(seq__gt=start).exists()
