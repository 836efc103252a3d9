"""Races on PostgreSQL: the meeting row lock makes simultaneous writes to one meeting run one
after another."""

import pytest
from django.db import connection

from referral.models import Document, MinutesStatus
from referral.services import meetings as svc
from referral.services.audit import audit_verify
from referral.timeutil import frozen_now
from tests.referral.documents.test_numbering_concurrency import _race

from .helpers import drafted, users

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_simultaneous_issue_gives_one_document_and_simultaneous_adds_distinct_positions(
    tx_world,
):
    assert connection.vendor == "postgresql"
    world = tx_world
    u = users(world)
    meeting = drafted(world)

    def add(n):
        with frozen_now(world.t):
            svc.meeting_decision_add(actor=u["proc"], meeting_id=meeting.pk, text=f"决定{n}")

    assert _race([lambda n=n: add(n) for n in range(8)]) == {"ok": 8}
    positions = sorted(meeting.decisions.values_list("position", flat=True))
    assert positions == list(range(1, 11))  # two from `drafted`, eight raced, no gap or twin

    with frozen_now(world.t):
        svc.meeting_circulate(actor=u["proc"], meeting_id=meeting.pk)
        for who in ("proc", "msa", "police"):
            svc.meeting_confirm(actor=u[who], meeting_id=meeting.pk)

    def issue():
        with frozen_now(world.t):
            svc.meeting_issue(actor=u["proc"], meeting_id=meeting.pk)

    outcomes = _race([issue, issue, issue])
    assert outcomes["ok"] == 1 and sum(outcomes.values()) == 3
    assert Document.objects.filter(meeting=meeting).count() == 1
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.ISSUED
    assert audit_verify() is None
