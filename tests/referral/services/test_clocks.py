"""Clocks start and stop with the steps, go overdue through the sweep, and gate M7/M5x/M6."""

import pytest

from referral import lifecycle
from referral.models import AuditEvent, ClockState, Role
from referral.services.clocks import clocks_sweep
from referral.services.errors import ConditionNotMet, InvalidInput
from referral.services.transitions import run_transition
from referral.tasks import sweep_clocks

S = lifecycle.Status


def test_approval_clock_runs_three_days_and_stops_met(world):
    referral = world.reach(S.TRANSFER_REPORT_PENDING_APPROVAL)
    clock = referral.clocks.get(rule="approval_decision")
    assert (clock.amount, clock.unit, clock.owner_role) == (3, "calendar_days", Role.AGENCY_HEAD)
    assert clock.owner_agency == world.agencies["fc-msa"]
    assert clock.article == "《行政执法机关移送涉嫌犯罪案件的规定》第五条"
    world.do(referral, "approve_transfer")
    clock.refresh_from_db()
    assert clock.state == ClockState.MET
    transfer_clock = referral.clocks.get(rule="transfer_after_approval")
    assert (transfer_clock.amount, transfer_clock.unit) == (24, "hours")


def test_sweep_marks_overdue_once_and_a_late_step_is_met_late(world):
    referral = world.reach(S.TRANSFER_REPORT_PENDING_APPROVAL)
    world.advance(days=5)
    with world.at():
        assert clocks_sweep() == 1
        assert clocks_sweep() == 0
    clock = referral.clocks.get(rule="approval_decision")
    assert clock.state == ClockState.OVERDUE
    event = AuditEvent.objects.filter(referral=referral, action="clock_overdue").get()
    assert event.payload["rule"] == "approval_decision" and event.actor is None
    world.do(referral, "approve_transfer")
    clock.refresh_from_db()
    assert clock.state == ClockState.MET_LATE


def test_overdue_report_before_the_police_period_runs_out_is_refused(world):
    referral = world.reach(S.UNDER_POLICE_REVIEW)
    with world.at(), pytest.raises(ConditionNotMet):
        run_transition(
            referral_id=referral.pk,
            actor=world.user("fc-msa", Role.CASE_OFFICER),
            name="report_overdue_decision",
            reason="逾期未决定",
        )


def test_correction_notice_before_fifteen_days_is_refused(world):
    referral = world.reach(S.FILING_ORDERED)
    with world.at(), pytest.raises(ConditionNotMet):
        run_transition(
            referral_id=referral.pk,
            actor=world.user("fc-proc", Role.PROCURATOR),
            name="issue_correction_notice",
            reason="逾期",
        )


def test_chasing_a_supervised_case_before_three_months_is_refused(world):
    referral = world.reach(S.FILED, via=(S.FILING_AS_ORDERED_PROPOSED, "file_as_ordered"))
    with world.at(), pytest.raises(ConditionNotMet):
        run_transition(
            referral_id=referral.pk,
            actor=world.user("fc-proc", Role.PROCURATOR),
            name="chase_supervised_case",
        )


def test_items_can_be_handed_over_only_once(world):
    referral = world.reach(S.FILED)
    world.do(referral, "record_arrest_request")
    world.do(referral, "hand_over_items")
    referral.refresh_from_db()
    assert referral.status == S.PROSECUTION_STAGE_ARREST and referral.items_handed_over_at
    with world.at(), pytest.raises(ConditionNotMet):
        run_transition(
            referral_id=referral.pk,
            actor=world.user("fc-msa", Role.CASE_OFFICER),
            name="hand_over_items",
        )


def test_supplement_leaves_the_police_period_running(world):
    """DOMAIN.md §9.3: no national text restarts the police's 3 days on a supplement (MPS rules
    art. 180); a restart is a local rule set's choice (tests/workflows/test_supervision_paths)."""
    referral = world.reach(S.MATERIALS_SUPPLEMENT_REQUESTED)
    assert set(referral.clocks.open().values_list("rule", flat=True)) == {
        "agency_supplement",
        "police_filing_decision",
    }
    world.do(referral, "supplement_materials")
    assert set(referral.clocks.open().values_list("rule", flat=True)) == {"police_filing_decision"}


def test_closing_outcome_starts_the_fifteen_working_day_clock(world):
    referral = world.reach(S.CASE_WITHDRAWN)
    clock = referral.clocks.get(rule="close_file")
    assert (clock.amount, clock.unit, clock.owner_role) == (15, "working_days", Role.AGENCY_HEAD)
    world.do(referral, "close")
    assert not referral.clocks.open().exists()


def test_detention_of_more_than_fifteen_days_is_refused(world):
    referral = world.reach(S.DETENTION_TRANSFERRED)
    with world.at(), pytest.raises(InvalidInput):
        run_transition(
            referral_id=referral.pk,
            actor=world.user("fc-police", Role.POLICE_REVIEWER),
            name="impose_detention",
            detention_days=20,
        )


def test_celery_sweep_task_marks_overdue(world):
    """Production runs the sweep from Celery beat; in-process (eager) here, same task."""

    referral = world.reach(S.TRANSFER_REPORT_PENDING_APPROVAL)
    world.advance(days=4)
    with world.at():
        assert sweep_clocks.delay().get() == 1
    assert referral.clocks.get(rule="approval_decision").state == ClockState.OVERDUE


def test_overdue_explanation_runs_from_the_procuratorates_demand_not_the_complaint(world):
    """SPP art. 562: the 7 days start at the procuratorate's demand, made after it finds the
    decision overdue, not at the agency's complaint."""
    referral = world.reach(S.OVERDUE_DECISION_UNDER_REVIEW)
    assert not referral.clocks.filter(rule="overdue_explanation").exists()
    world.advance(days=2)
    demanded = world.t
    world.do(referral, "demand_overdue_explanation")
    clock = referral.clocks.get(rule="overdue_explanation")
    assert (clock.started_at, clock.owner_agency) == (demanded, world.agencies["fc-police"])
    # Demanded once: a second demand is refused.
    with world.at(), pytest.raises(ConditionNotMet):
        run_transition(
            referral_id=referral.pk,
            actor=world.user("fc-proc", Role.PROCURATOR),
            name="demand_overdue_explanation",
        )
