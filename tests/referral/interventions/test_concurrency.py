"""Races on PostgreSQL: two officers of one addressee answering at once, and two heads
deciding at once: the intervention's row lock lets exactly one of each win."""

import pytest
from django.db import connection

from referral.models import AuditEvent, Role
from referral.services import interventions as svc
from referral.services.audit import audit_verify
from referral.timeutil import frozen_now
from tests.referral.documents.test_numbering_concurrency import _race

from .helpers import approved, asked, users

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_simultaneous_answers_and_decisions_one_wins(tx_world):
    assert connection.vendor == "postgresql"
    world = tx_world
    u = users(world)
    intervention = approved(world)

    def answer(user, accept):
        def run():
            with frozen_now(world.t):
                svc.intervention_respond(
                    actor=user, intervention_id=intervention.pk, accept=accept, reason="理由"
                )

        return run

    outcomes = _race([answer(u["police"], True), answer(u["intake"], False)] * 2)
    assert outcomes["ok"] == 1 and sum(outcomes.values()) == 4
    answered = AuditEvent.objects.filter(action__in=("intervention_accept", "intervention_decline"))
    assert answered.count() == 1

    pending = asked(world)
    head = world.user("fc-msa", Role.AGENCY_HEAD)

    def decide(approve):
        def run():
            with frozen_now(world.t):
                svc.intervention_decide(
                    actor=head, intervention_id=pending.pk, approve=approve, note="意见"
                )

        return run

    outcomes = _race([decide(True), decide(False), decide(True)])
    assert outcomes["ok"] == 1 and sum(outcomes.values()) == 3
    assert audit_verify() is None
