"""Unpublished holiday years (DOMAIN.md §9.6): a deadline in a year chinese-calendar does not
cover assumes the festivals' longest usual spans, so it never comes out earlier than the legal
one, and is provisional; entering the State Council's arrangement recomputes open clocks and
clears the flag, audited."""

from datetime import date, datetime

import pytest

from referral import deadlines, lifecycle
from referral.models import AuditEvent, ClockState, Role
from referral.services.clocks import calendar_year_enter
from referral.services.errors import InvalidInput
from tests.factories import SHANGHAI, World

S = lifecycle.Status
# A hypothetical 2027 arrangement (the real one is not yet published): Spring Festival (Sat
# Feb 6) off from Fri Feb 5 to Sat Feb 13, Sun Feb 14 worked instead.
DAYS_OFF_2027 = [date(2027, 2, d) for d in range(5, 14)]
WORKDAYS_2027 = [date(2027, 2, 14)]


def _end(y, m, d):
    return datetime(y, m, d, 23, 59, 59, tzinfo=SHANGHAI)


def test_seven_days_from_2027_02_01_is_never_earlier_than_the_legal_date(db):
    start = datetime(2027, 2, 1, 10, 0, tzinfo=SHANGHAI)
    # The old fixed-date fallback gave Mon Feb 8, inside the Spring Festival. Assumed now: Feb 3
    # to Feb 13 off, then Sun Feb 14: Mon Feb 15, provisional.
    due, provisional = deadlines.compute_due_and_provisional(start, 7, "calendar_days")
    assert (due, provisional) == (_end(2027, 2, 15), True)

    calendar_year_enter(actor=None, year=2027, days_off=DAYS_OFF_2027, workdays=WORKDAYS_2027)
    legal, provisional = deadlines.compute_due_and_provisional(start, 7, "calendar_days")
    # Feb 8 is off; Sun Feb 14 is the make-up working day: the legal date.
    assert (legal, provisional) == (_end(2027, 2, 14), False)
    assert due >= legal


def test_a_provisional_clock_is_recomputed_and_cleared_when_the_year_is_entered(db):
    world = World(start=datetime(2027, 2, 1, 9, 30, tzinfo=SHANGHAI))
    referral = world.reach(S.TRANSFER_REPORT_PENDING_APPROVAL)
    clock = referral.clocks.get(rule="approval_decision")
    # 3 days from Mon Feb 1 = Thu Feb 4, assumed off (Feb 3-13): Mon Feb 15.
    assert (clock.due_at, clock.provisional, clock.state) == (
        _end(2027, 2, 15),
        True,
        ClockState.RUNNING,
    )
    admin = world.user("fc-msa", Role.AGENCY_HEAD)
    changed = calendar_year_enter(
        actor=admin,
        year=2027,
        days_off=DAYS_OFF_2027,
        workdays=WORKDAYS_2027,
        at=datetime(2027, 2, 2, 9, 0, tzinfo=SHANGHAI),
    )
    assert changed == [clock]
    clock.refresh_from_db()
    # Thu Feb 4 is a working day in the published arrangement.
    assert (clock.due_at, clock.provisional) == (_end(2027, 2, 4), False)
    event = AuditEvent.objects.get(referral=referral, action="clock_recomputed")
    assert datetime.fromisoformat(event.payload["due_at_before"]) == _end(2027, 2, 15)
    assert AuditEvent.objects.filter(action="calendar_year_entered").count() == 1


def test_a_clock_in_a_published_year_is_not_provisional(world):
    referral = world.reach(S.TRANSFER_REPORT_PENDING_APPROVAL)
    assert referral.clocks.get(rule="approval_decision").provisional is False


def test_dates_outside_the_year_are_refused(db):
    with pytest.raises(InvalidInput):
        calendar_year_enter(actor=None, year=2027, days_off=[date(2028, 1, 1)], workdays=[])
