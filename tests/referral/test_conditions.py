"""The step conditions that read the database: read one by one, or all of a step's at once
(the gate's `facts_preload`), they give the same answers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from referral import lifecycle
from referral.lifecycle import conditions
from referral.models import Referral

DATABASE_CONDITIONS = [
    getattr(conditions, name)
    for name in dir(conditions)
    if getattr(getattr(conditions, name), "fact", None) is not None
]


def _answers(referral, preload: bool) -> dict:
    referral = Referral.objects.get(pk=referral.pk)
    if preload:
        conditions.facts_preload(referral, DATABASE_CONDITIONS)
    try:
        return {c.__name__: c(referral) for c in DATABASE_CONDITIONS}
    finally:
        conditions.facts_forget(referral)


def test_database_conditions_are_declared():
    names = {c.__name__ for c in DATABASE_CONDITIONS}
    assert {"has_case_group", "has_transfer_report", "police_decision_overdue"} <= names


@pytest.mark.parametrize("prepared", [False, True], ids=["unmet", "met"])
def test_preloaded_facts_agree_with_one_by_one(world, prepared):
    referral = world.new_referral()
    world.do(referral, "find_suspected_crime")
    if prepared:
        world.prepare(referral, "submit_transfer_report")
    with world.at():
        alone, together = _answers(referral, False), _answers(referral, True)
    assert alone == together
    assert alone["has_case_group"] is prepared
    assert alone["has_transfer_report"] is prepared


def test_preload_reads_every_fact_in_one_query(world):
    referral = world.new_referral()
    with CaptureQueriesContext(connection) as queries:
        conditions.facts_preload(referral, DATABASE_CONDITIONS)
        for c in DATABASE_CONDITIONS:
            c(referral)
    assert len(queries) == 1
    conditions.facts_forget(referral)


def test_gate_forgets_the_facts_after_the_step(world):
    """A fact read for one step's check must not answer a later question on the object."""
    referral = world.new_referral()
    world.do(referral, "find_suspected_crime")
    world.prepare(referral, "submit_transfer_report")
    done = world.do(referral, "submit_transfer_report", prepare=False)
    assert "_condition_facts" not in done.__dict__
    assert done.status == lifecycle.Status.TRANSFER_REPORT_PENDING_APPROVAL
