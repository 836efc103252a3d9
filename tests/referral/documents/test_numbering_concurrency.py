"""Races on PostgreSQL: documents issued at the same moment never share a number or skip one."""

import threading
from collections import Counter

import pytest
from django.db import connection, transaction

from referral import lifecycle
from referral.models import Document, Referral, Role
from referral.services.audit import audit_verify
from referral.services.documents import document_issue
from referral.services.transitions import run_transition
from referral.timeutil import frozen_now

S = lifecycle.Status
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _race(jobs):
    """Starts every job at once, each on its own connection; returns the outcomes."""
    barrier = threading.Barrier(len(jobs))
    outcomes, lock = [], threading.Lock()

    def worker(job):
        outcome = "ok"
        try:
            barrier.wait(timeout=30)
            job()
        except Exception as exc:  # noqa: BLE001 - reported below
            outcome = f"{type(exc).__name__}: {exc}"
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(outcomes) == len(jobs)
    return Counter(outcomes)


def test_simultaneous_issues_get_consecutive_numbers(tx_world):
    assert connection.vendor == "postgresql"
    world = tx_world
    officer = world.user("fc-msa", Role.CASE_OFFICER)
    transfers = [world.reach(S.TRANSFER_APPROVED) for _ in range(22)]
    for referral in transfers:
        world.prepare(referral, "transfer")
    standalone = [world.reach(S.TRANSFER_APPROVED) for _ in range(4)]

    def transfer(referral_id):
        with frozen_now(world.t):
            run_transition(referral_id=referral_id, actor=officer, name="transfer")

    def issue_letter(referral_id):
        with frozen_now(world.t), transaction.atomic():
            referral = Referral.objects.get(pk=referral_id)
            document_issue(referral=referral, doc_type="transfer_letter", actor=officer, at=world.t)

    jobs = [lambda pk=r.pk: transfer(pk) for r in transfers]
    jobs += [lambda pk=r.pk: issue_letter(pk) for r in standalone]
    assert len(jobs) >= 20

    assert _race(jobs) == {"ok": len(jobs)}

    for doc_type, count in (
        ("transfer_letter", 26),
        ("investigation_report_cover", 22),
        ("seized_item_list", 22),
    ):
        serials = sorted(
            Document.objects.filter(doc_type=doc_type).values_list("serial", flat=True)
        )
        assert serials == list(range(1, count + 1)), doc_type
        numbers = Document.objects.filter(doc_type=doc_type).values_list("number", flat=True)
        assert len(set(numbers)) == count
    # Each transferred referral has exactly its transfer's three documents, beside the 审批表 its
    # approval issued.
    transfer_types = {"transfer_letter", "investigation_report_cover", "seized_item_list"}
    for referral in transfers:
        issued = sorted(referral.documents.values_list("doc_type", flat=True))
        assert sorted(issued) == sorted([*transfer_types, "transfer_approval_record"])
    assert audit_verify() is None
