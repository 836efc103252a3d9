"""Races on PostgreSQL over the case record: officers removing seized items at once keep the
list numbered 1, 2, 3 …; two intake officers signing one receipt leave one checklist."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from referral import lifecycle
from referral.models import ReceiptChecklist, Role
from referral.services.errors import ReferralError
from referral.services.seized_items import seized_item_add, seized_item_remove
from referral.services.transitions import run_transition
from referral.timeutil import frozen_now

S = lifecycle.Status
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _race(world, calls) -> list[str]:
    """Runs every call at once, each on its own connection; returns their outcomes."""
    barrier = threading.Barrier(len(calls))
    outcomes, lock = [], threading.Lock()

    def worker(call):
        outcome = "ok"
        try:
            barrier.wait(timeout=30)
            with frozen_now(world.t):
                call()
        except ReferralError as exc:
            outcome = type(exc).__name__
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(outcomes) == len(calls)
    return outcomes


def test_seized_items_removed_at_once_stay_numbered_in_order(tx_world):
    assert connection.vendor == "postgresql"
    world = tx_world
    referral = world.new_referral()
    officers = [
        world.user("fc-msa", Role.CASE_OFFICER),
        world.user("fc-msa", "case_officer2"),
        world.user("fc-msa", Role.AGENCY_HEAD),
    ]
    with world.at():
        items = [
            seized_item_add(
                referral_id=referral.pk,
                actor=officers[0],
                name=f"物品{n}",
                quantity=Decimal("1"),
                unit="箱",
            )
            for n in range(1, 7)
        ]
    removed = items[:3]

    def remover(officer, item):
        return lambda: seized_item_remove(referral_id=referral.pk, actor=officer, item_id=item.pk)

    outcomes = _race(world, [remover(o, i) for o, i in zip(officers, removed, strict=True)])

    assert outcomes == ["ok"] * 3
    assert list(referral.seized_items.order_by("serial").values_list("serial", "name")) == [
        (1, "物品4"),
        (2, "物品5"),
        (3, "物品6"),
    ]
    assert referral.events.filter(action="remove_seized_item").count() == 3


def test_one_receipt_and_one_checklist_when_two_sign_at_once(tx_world):
    world = tx_world
    referral = world.reach(S.TRANSFERRED_AWAITING_RECEIPT)
    intake = world.user("fc-police", Role.POLICE_INTAKE)
    checklist = {str(k): "complete" for k in lifecycle.MANDATORY_TRANSFER_ATTACHMENTS}

    def sign():
        run_transition(
            referral_id=referral.pk, actor=intake, name="sign_receipt", receipt_checklist=checklist
        )

    outcomes = _race(world, [sign, sign])

    assert outcomes.count("ok") == 1
    assert ReceiptChecklist.objects.filter(referral=referral).count() == 1
