"""Supervision paths and deciding officials the texts name (DOMAIN.md §9.2–9.3), beyond the
proposal steps of test_officials.py: a 以罚代刑 review of a closed case, the agency's report on a
procuratorial opinion, the police head's decisions after filing and on reconsideration, and the
decision period that runs on through a supplement unless a local rule set restarts it."""

import pytest
from django.core.management import call_command

from referral import lifecycle
from referral.models import AuditEvent, ClockState, Role, RuleSet
from referral.services.errors import ConditionNotMet, PermissionDenied
from referral.services.transitions import run_transition
from workflows.selectors import task_open_for_referral

S = lifecycle.Status


def _refused(world, referral, name, user, error, **inputs):
    before = referral.status
    with world.at(), pytest.raises(error):
        run_transition(referral_id=referral.pk, actor=user, name=name, **inputs)
    referral.refresh_from_db()
    assert referral.status == before


# --- 以罚代刑: a closed case reviewed (2001 SPP rule item 12(4)) ------------------------------


def test_a_procurator_reviews_a_case_the_agency_closed_and_it_stays_closed_if_nothing_is_found(
    flow_world,
):
    world = flow_world
    referral = world.reach(S.CLOSED)
    world.do(referral, "open_non_transfer_review", reason="疑似以罚代刑，调阅案卷。")
    referral.refresh_from_db()
    assert (referral.status, referral.review_opened_from) == (S.NON_TRANSFER_UNDER_REVIEW, S.CLOSED)
    # The closed case's finished process does not move: the review is a new task for the
    # procurators of the procuratorate.
    (task,) = task_open_for_referral(referral.pk)
    assert (task.flow_task.name, task.owner_permission_obj_pk) == (
        Role.PROCURATOR,
        str(world.agencies["fc-proc"].pk),
    )

    world.do(referral, "close_non_transfer_review", reason="经审查，行政处罚适当。")
    referral.refresh_from_db()
    assert referral.status == S.CLOSED
    assert not task_open_for_referral(referral.pk).exists()
    assert not referral.clocks.open().exists()


def test_a_review_of_a_closed_case_can_end_in_a_demand_to_transfer(world):
    referral = world.reach(S.CLOSED)
    world.do(referral, "open_non_transfer_review", reason="疑似以罚代刑。")
    world.do(referral, "propose_transfer_demand", reason="涉嫌犯罪，应当移送。")
    world.do(referral, "demand_transfer", reason="同意。")
    referral.refresh_from_db()
    assert referral.status == S.TRANSFER_DEMANDED


def test_a_review_closed_without_finding_returns_a_refused_transfer_to_its_state(world):
    referral = world.reach(S.TRANSFER_REFUSED_RECORDED)
    world.do(referral, "open_non_transfer_review", reason="调阅。")
    assert not referral.clocks.open().filter(rule="close_file").exists()
    world.do(referral, "close_non_transfer_review", reason="不批准移送理由成立。")
    referral.refresh_from_db()
    assert referral.status == S.TRANSFER_REFUSED_RECORDED
    # Back in a closable state, the agency's 15 working days to close run again.
    assert referral.clocks.open().filter(rule="close_file").count() == 1


# --- After non-prosecution: 检察意见 and the agency's report (CPL 177(3); SPP 373) ---------


def test_only_the_chief_procurator_sends_a_procuratorial_opinion(world):
    referral = world.reach(S.NON_PROSECUTED)
    procurator = world.user("fc-proc", Role.PROCURATOR)
    _refused(
        world,
        referral,
        "reverse_transfer_after_non_prosecution",
        procurator,
        PermissionDenied,
        reason="建议给予行政处罚。",
    )
    world.do(
        referral,
        "reverse_transfer_after_non_prosecution",
        actor=world.user("fc-proc", Role.CHIEF_PROCURATOR),
        reason="建议给予行政处罚。",
    )
    referral.refresh_from_db()
    assert referral.status == S.REVERSE_TRANSFERRED_TO_AGENCY and referral.opinion_sent_at


def test_the_agency_reports_its_handling_of_the_opinion_before_closing(world):
    referral = world.reach(
        S.ADMIN_HANDLING_AFTER_REVERSE_TRANSFER,
        via=(S.NON_PROSECUTED, "reverse_transfer_after_non_prosecution"),
    )
    head = world.user("fc-msa", Role.AGENCY_HEAD)
    with world.at(), pytest.raises(ConditionNotMet) as refused:
        run_transition(referral_id=referral.pk, actor=head, name="close")
    assert "检察意见" in str(refused.value)

    world.do(referral, "report_opinion_handling", reason="已作出罚款二十万元的行政处罚决定。")
    referral.refresh_from_db()
    assert referral.status == S.ADMIN_HANDLING_AFTER_REVERSE_TRANSFER
    assert referral.opinion_handling_reported_at is not None
    event = AuditEvent.objects.filter(referral=referral).latest("seq")
    assert (event.action, event.reason) == (
        "report_opinion_handling",
        "已作出罚款二十万元的行政处罚决定。",
    )
    # Reported once; the one open close-file clock is the one taking the case back started.
    assert referral.clocks.open().filter(rule="close_file").count() == 1
    _refused(
        world,
        referral,
        "report_opinion_handling",
        world.user("fc-msa", Role.CASE_OFFICER),
        ConditionNotMet,
        reason="再次报告。",
    )
    world.do(referral, "close", actor=head)
    referral.refresh_from_db()
    assert referral.status == S.CLOSED


def test_a_police_reverse_transfer_without_an_opinion_closes_without_a_report(world):
    referral = world.reach(S.ADMIN_HANDLING_AFTER_REVERSE_TRANSFER)
    assert referral.opinion_sent_at is None
    world.do(referral, "close")
    referral.refresh_from_db()
    assert referral.status == S.CLOSED


# --- The police head's decisions (MPS rules arts. 178, 181, 182, 184, 187) -----------------


@pytest.mark.parametrize(
    ("source", "name"),
    [
        (S.RECONSIDERATION_FILING_PROPOSED, "reconsider_file"),
        (S.RECONSIDERATION_UPHOLD_PROPOSED, "reconsider_uphold"),
        (S.FILING_AS_ORDERED_PROPOSED, "file_as_ordered"),
        (S.WITHDRAWAL_PROPOSED, "withdraw_case"),
        (S.TRANSFER_TO_OTHER_POLICE_PROPOSED, "transfer_to_other_police"),
    ],
)
def test_the_reviewer_may_not_take_the_police_heads_decisions(world, source, name):
    referral = world.reach(source)
    world.prepare(referral, name)
    reviewer = world.user("fc-police", Role.POLICE_REVIEWER)
    _refused(world, referral, name, reviewer, PermissionDenied, **world.inputs_for(name))
    world.do(referral, name, actor=world.user("fc-police", Role.POLICE_HEAD))
    assert referral.events.filter(action=name).get().actor.username == "fc-police_head"


def test_a_pending_reconsideration_is_the_reviewers_then_the_police_heads_task(flow_world):
    """The reviewer proposes the reconsideration decision, the police head takes it."""
    referral = flow_world.reach(S.RECONSIDERATION_PENDING)
    (task,) = task_open_for_referral(referral.pk)
    assert task.flow_task.name == Role.POLICE_REVIEWER
    flow_world.do(referral, "propose_upholding_non_filing")
    (task,) = task_open_for_referral(referral.pk)
    assert task.flow_task.name == Role.POLICE_HEAD


# --- The decision period through a supplement (DOMAIN.md §9.3) --------------------------------


def test_the_police_decision_period_runs_on_through_a_supplement(world):
    """No national text restarts the 3 days (MPS rules art. 180): the clock started at the
    receipt keeps running while the agency supplements."""
    referral = world.reach(S.MATERIALS_SUPPLEMENT_REQUESTED)
    clock = referral.clocks.get(rule="police_filing_decision")
    assert clock.state == ClockState.RUNNING
    world.do(referral, "supplement_materials")
    assert list(referral.clocks.filter(rule="police_filing_decision")) == [clock]
    clock.refresh_from_db()
    assert clock.state == ClockState.RUNNING


def test_a_local_rule_set_that_restarts_the_period_pauses_and_restarts_it(world):
    call_command("loaddata", "fixtures/rulesets.json", verbosity=0)

    RuleSet.objects.filter(code="suzhou").update(restarts_decision_after_supplement=True)
    for agency in world.agencies.values():
        if agency.code.startswith("fc-"):
            agency.region_code = "320508"  # 姑苏区, Suzhou
            agency.save()
    referral = world.reach(S.MATERIALS_SUPPLEMENT_REQUESTED)
    first = referral.clocks.get(rule="police_filing_decision")
    assert first.state == ClockState.CANCELLED and first.stopped_by == "request_supplement"
    world.advance(days=2)
    supplied = world.t
    world.do(referral, "supplement_materials")
    restarted = referral.clocks.open().get(rule="police_filing_decision")
    assert (restarted.started_at, restarted.started_by) == (supplied, "supplement_materials")
    event = referral.events.get(action="supplement_materials")
    assert [c["rule"] for c in event.payload["clocks_started"]] == ["police_filing_decision"]
