"""Races on PostgreSQL: clock sweeps running at once tell each overdue follow-up item's owner
once (the sweep skips the items another sweep is telling), and simultaneous confirmations of
the minutes each tell the convening agency once."""

from datetime import timedelta

import pytest
from django.db import connection, transaction

from referral.models import FollowUp, Notification, Role
from referral.services import meetings as svc
from referral.services.coordination_notifications import notifications_for_overdue_follow_ups
from referral.timeutil import frozen_now
from tests.referral.documents.test_numbering_concurrency import _race
from tests.referral.meetings.helpers import drafted, users

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_simultaneous_sweeps_tell_each_overdue_item_once(tx_world):
    assert connection.vendor == "postgresql"
    world = tx_world
    u = users(world)
    meeting = drafted(world)
    with frozen_now(world.t):
        svc.meeting_circulate(actor=u["proc"], meeting_id=meeting.pk)
        for who in ("msa", "police"):
            svc.meeting_confirm(actor=u[who], meeting_id=meeting.pk)
        svc.meeting_issue(actor=u["proc"], meeting_id=meeting.pk)
    at = max(meeting.follow_ups.values_list("due_at", flat=True)) + timedelta(hours=1)

    def sweep():
        with transaction.atomic():
            notifications_for_overdue_follow_ups(at=at)

    assert _race([sweep] * 4) == {"ok": 4}
    overdue = Notification.objects.filter(key__startswith="follow_up_overdue:")
    # Each item: the owner agency's heads (nobody is named like its responsible person).
    police_head = world.user("fc-police", Role.POLICE_HEAD)
    assert overdue.filter(recipient=police_head).count() == 1
    assert overdue.count() == overdue.values("recipient", "key").distinct().count() == 3
    assert not FollowUp.objects.filter(overdue_notified_at__isnull=True).exists()


def test_simultaneous_confirmations_each_tell_the_convener_once(tx_world):
    world = tx_world
    u = users(world)
    meeting = drafted(world)
    with frozen_now(world.t):
        svc.meeting_circulate(actor=u["proc"], meeting_id=meeting.pk)

    def confirm(who):
        with frozen_now(world.t):
            svc.meeting_confirm(actor=u[who], meeting_id=meeting.pk)

    assert _race([lambda: confirm("msa"), lambda: confirm("police")]) == {"ok": 2}
    chief = world.user("fc-proc", Role.CHIEF_PROCURATOR)
    answers = Notification.objects.filter(recipient=chief, key__startswith="minutes_answered:")
    assert answers.count() == 2
