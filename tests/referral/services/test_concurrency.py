"""Races on PostgreSQL: two officers acting on one case at once must not both win."""

import threading
from collections import Counter

import pytest
from django.db import connection

from referral import lifecycle
from referral.models import AuditEvent, Role
from referral.services.audit import audit_verify
from referral.services.errors import ConcurrentUpdate, IllegalTransition, ReferralError
from referral.services.transitions import run_transition
from referral.timeutil import frozen_now

S = lifecycle.Status
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _race(world, jobs):
    """Starts every job at once on its own connection; returns (referral_id, name, outcome)."""
    barrier = threading.Barrier(len(jobs))
    results, lock = [], threading.Lock()

    def worker(referral_id, name, actor):
        outcome = "ok"
        try:
            barrier.wait(timeout=30)
            with frozen_now(world.t):
                run_transition(referral_id=referral_id, actor=actor, name=name, reason="并发测试")
        except ReferralError as exc:
            outcome = type(exc).__name__
        finally:
            connection.close()
        with lock:
            results.append((referral_id, name, outcome))

    threads = [threading.Thread(target=worker, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(results) == len(jobs)
    return results


def test_conflicting_decisions_have_exactly_one_winner_each(tx_world):
    """The reviewer's two conflicting proposals (file / not file, MPS rules art. 178) race; the
    head approves the winner, which issues its notice."""
    assert connection.vendor == "postgresql"
    world = tx_world
    referrals = [world.reach(S.UNDER_POLICE_REVIEW) for _ in range(4)]
    reviewer = world.user("fc-police", Role.POLICE_REVIEWER)
    events_before = AuditEvent.objects.count()
    events_before_seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True)[0]
    proposals = ("propose_filing", "propose_non_filing")
    jobs = [(r.pk, name, reviewer) for r in referrals for name in proposals * 3]
    assert len(jobs) >= 20

    results = _race(world, jobs)

    approval = {"propose_filing": "file_case", "propose_non_filing": "decline_filing"}
    for referral in referrals:
        outcomes = Counter(o for rid, _name, o in results if rid == referral.pk)
        assert outcomes["ok"] == 1, outcomes
        assert set(outcomes) <= {"ok", IllegalTransition.__name__, ConcurrentUpdate.__name__}
        referral.refresh_from_db()
        winner = next(name for rid, name, o in results if rid == referral.pk and o == "ok")
        decision = AuditEvent.objects.filter(referral=referral, action__in=proposals)
        assert [e.action for e in decision] == [winner]
        assert referral.status == (
            S.FILING_PROPOSED if winner == "propose_filing" else S.NON_FILING_PROPOSED
        )
        # The period runs on until the head decides.
        assert referral.clocks.open().filter(rule="police_filing_decision").count() == 1
        world.do(referral, approval[winner])
        referral.refresh_from_db()
        assert referral.status == (S.FILED if winner == "propose_filing" else S.NOT_FILED)
        assert referral.clocks.open().filter(rule="police_filing_decision").count() == 0
        # The proposal, the head's decision and the notice it issues (立案通知书 / 不予立案通知书),
        # numbered in the step, rendered after it commits and signed for by the agency; nothing
        # else.
        added = AuditEvent.objects.filter(referral=referral, seq__gt=events_before_seq)
        assert sorted(added.values_list("action", flat=True)) == sorted(
            [winner, approval[winner], "issue_document", "render_document", "receive_document"]
        )
    assert AuditEvent.objects.count() == events_before + 5 * len(referrals)
    assert audit_verify() is None


def test_the_police_heads_approval_and_return_of_a_proposal_have_one_winner(tx_world):
    """Approving a withdrawal the reviewer proposed and sending it back race (MPS rules art.
    187): one wins, the other finds the case moved on; the clock of the hand-over ends only if
    the withdrawal won."""
    assert connection.vendor == "postgresql"
    world = tx_world
    referrals = [world.reach(S.WITHDRAWAL_PROPOSED) for _ in range(4)]
    head = world.user("fc-police", Role.POLICE_HEAD)
    decisions = ("withdraw_case", "return_police_proposal")
    jobs = [(r.pk, name, head) for r in referrals for name in decisions * 3]

    results = _race(world, jobs)

    for referral in referrals:
        outcomes = Counter(o for rid, _name, o in results if rid == referral.pk)
        assert outcomes["ok"] == 1, outcomes
        assert set(outcomes) <= {"ok", IllegalTransition.__name__, ConcurrentUpdate.__name__}
        winner = next(name for rid, name, o in results if rid == referral.pk and o == "ok")
        referral.refresh_from_db()
        assert referral.status == (S.CASE_WITHDRAWN if winner == "withdraw_case" else S.FILED)
        assert [e.action for e in referral.events.filter(action__in=decisions)] == [winner]
        handover = referral.clocks.open().filter(rule="items_handover").exists()
        assert handover == (winner != "withdraw_case")
    assert audit_verify() is None


def test_parallel_steps_on_different_referrals_keep_one_unbroken_chain(tx_world):
    """Independent referrals move in parallel; every event lands once, in one chain."""
    world = tx_world
    referrals = [world.reach(S.TRANSFER_REPORT_PENDING_APPROVAL) for _ in range(22)]
    head = world.user("fc-msa", Role.AGENCY_HEAD)
    events_before = AuditEvent.objects.count()

    results = _race(world, [(r.pk, "approve_transfer", head) for r in referrals])

    assert Counter(o for *_x, o in results) == {"ok": len(referrals)}
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    # Each approval writes its step's event and issues and renders the 审批表 it carries (the
    # transfer approval record, Decree 310 art. 5): three events per referral.
    assert len(seqs) == events_before + 3 * len(referrals)
    assert audit_verify() is None
