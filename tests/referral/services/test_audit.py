"""The audit trail: one event per action in the same transaction, chained, tamper-evident."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from referral.models import AppendOnlyError, AuditChainHead, AuditEvent
from referral.services.audit import audit_append, audit_verify
from referral.timeutil import now


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
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE referral_auditevent SET reason = %s WHERE id = %s", ["改过", victim.pk]
        )
    problem = audit_verify()
    assert (problem.seq, problem.kind) == (victim.seq, "edited")
    with pytest.raises(CommandError, match=f"#{victim.seq}"):
        call_command("verify_audit")


def test_verify_detects_a_deleted_row(world):
    referral, count = _main_line(world)
    victim = AuditEvent.objects.filter(referral=referral, action="transfer").get()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM referral_auditevent WHERE id = %s", [victim.pk])
    problem = audit_verify()
    assert (problem.seq, problem.kind) == (victim.seq, "missing")


def test_verify_detects_a_deleted_tail(world):
    _main_line(world)
    last = AuditEvent.objects.order_by("-seq").first()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM referral_auditevent WHERE id = %s", [last.pk])
    problem = audit_verify()
    assert (problem.seq, problem.kind) == (last.seq, "tail_missing")


def test_verify_detects_a_rehashed_row(world):
    """Editing a row and recomputing its own hash still breaks the next row's link."""
    from referral.services.audit import event_hash

    referral, _ = _main_line(world)
    victim = AuditEvent.objects.filter(referral=referral, action="approve_transfer").get()
    victim.reason = "伪造"
    new_hash = event_hash(victim)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE referral_auditevent SET reason = %s, hash = %s WHERE id = %s",
            ["伪造", new_hash, victim.pk],
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
        before = AuditEvent.objects.filter(referral=referral).count()
        world.do(referral, name, prepare=False)
        assert AuditEvent.objects.filter(referral=referral).count() == before + 1
    assert counts == [1]  # creation
