"""Early intervention through its services: asked, approved, answered within its period,
officers assigned, notes, closed; each refused to the wrong agency or in the wrong state, and
each on the case's audit trail."""

from datetime import datetime, timedelta

import pytest

from referral.models import (
    AddresseeAnswer,
    AuditEvent,
    DeadlineRule,
    InterventionStatus,
    RuleSet,
)
from referral.services import interventions as svc
from referral.services.errors import IllegalTransition, InvalidInput, NotFound, PermissionDenied
from tests.factories import SHANGHAI

from .helpers import approved, asked, users


def test_request_waits_for_the_head_and_starts_no_period(world):
    intervention = asked(world)
    assert intervention.state == InterventionStatus.AWAITING_APPROVAL
    assert [a.due_at for a in intervention.addressees.all()] == [None, None]
    event = AuditEvent.objects.get(action="intervention_request")
    assert event.referral_id == intervention.referral_id
    assert event.reason == "涉案辣椒油易变质，需公安机关提前固定证据"


def test_approval_starts_three_working_days_per_addressee(world):
    # Monday 2 March 2026, 09:30: three working days end Thursday 5 March at 23:59:59.
    intervention = approved(world)
    assert intervention.state == InterventionStatus.REQUESTED
    dues = {a.due_at for a in intervention.addressees.all()}
    assert dues == {datetime(2026, 3, 5, 23, 59, 59, tzinfo=SHANGHAI)}
    assert {a.ruleset for a in intervention.addressees.all()} == {"national"}
    assert AuditEvent.objects.filter(action="intervention_approve", actor=users(world)["head"])


def test_a_jurisdictions_rule_set_changes_the_period(world):
    ruleset = RuleSet.objects.create(
        code="mianyang", name="绵阳市", region_prefix="5107", source="测试"
    )
    DeadlineRule.objects.create(
        ruleset=ruleset, rule="intervention_response", amount=24, unit="hours", article="测试"
    )
    intervention = approved(world)
    addressee = intervention.addressees.first()
    assert addressee.ruleset == "mianyang"
    assert addressee.due_at == datetime(2026, 3, 3, 10, 0, tzinfo=SHANGHAI)


def test_only_the_requesting_head_decides(world):
    intervention = asked(world)
    u = users(world)
    for who in ("officer", "proc", "police"):
        with pytest.raises(PermissionDenied), world.at():
            svc.intervention_decide(actor=u[who], intervention_id=intervention.pk, approve=True)
    with pytest.raises(NotFound), world.at():
        svc.intervention_decide(actor=u["outsider"], intervention_id=intervention.pk, approve=True)


def test_refusal_needs_a_note_and_closes(world):
    intervention = asked(world)
    head = users(world)["head"]
    with pytest.raises(InvalidInput), world.at():
        svc.intervention_decide(actor=head, intervention_id=intervention.pk, approve=False)
    with world.at():
        svc.intervention_decide(
            actor=head, intervention_id=intervention.pk, approve=False, note="证据已固定"
        )
    intervention.refresh_from_db()
    assert intervention.state == InterventionStatus.REFUSED and intervention.closed_at
    with pytest.raises(IllegalTransition), world.at():
        svc.intervention_respond(
            actor=users(world)["proc"], intervention_id=intervention.pk, accept=True
        )


def test_only_after_approval_may_an_addressee_answer(world):
    intervention = asked(world)
    with pytest.raises(IllegalTransition), world.at():
        svc.intervention_respond(
            actor=users(world)["proc"], intervention_id=intervention.pk, accept=True
        )


def test_each_addressee_answers_once_for_its_agency(world):
    intervention = approved(world)
    u = users(world)
    with world.at():
        svc.intervention_respond(actor=u["proc"], intervention_id=intervention.pk, accept=True)
        with pytest.raises(InvalidInput):
            svc.intervention_respond(
                actor=u["police"], intervention_id=intervention.pk, accept=False
            )
        svc.intervention_respond(
            actor=u["police"], intervention_id=intervention.pk, accept=False, reason="尚无犯罪线索"
        )
        with pytest.raises(IllegalTransition):
            svc.intervention_respond(
                actor=u["intake"], intervention_id=intervention.pk, accept=True
            )
    answers = {a.agency.code: a.answer for a in intervention.addressees.select_related("agency")}
    assert answers == {"fc-proc": AddresseeAnswer.ACCEPTED, "fc-police": AddresseeAnswer.DECLINED}
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"intervention_accept", "intervention_decline"} <= actions


def test_an_agency_not_asked_cannot_answer_and_a_stranger_finds_nothing(world):
    intervention = approved(world, agencies=("fc-proc",))
    u = users(world)
    # The requesting agency is not an addressee; fc-police was not asked: it does not see it.
    with pytest.raises(PermissionDenied), world.at():
        svc.intervention_respond(actor=u["officer"], intervention_id=intervention.pk, accept=True)
    for who in ("police", "outsider", "other_police"):
        with pytest.raises(NotFound), world.at():
            svc.intervention_respond(actor=u[who], intervention_id=intervention.pk, accept=True)


def test_late_answer_is_on_record(world):
    intervention = approved(world)
    world.advance(days=7)
    with world.at():
        svc.intervention_respond(
            actor=users(world)["proc"], intervention_id=intervention.pk, accept=True
        )
    assert AuditEvent.objects.get(action="intervention_accept").payload["late"] is True


def test_assigned_officers_write_notes_others_do_not(world):
    intervention = approved(world)
    u = users(world)
    with world.at():
        with pytest.raises(IllegalTransition):  # not accepted yet
            svc.intervention_assign(
                actor=u["police"], intervention_id=intervention.pk, officer_ids=[u["police"].pk]
            )
        svc.intervention_respond(actor=u["police"], intervention_id=intervention.pk, accept=True)
        with pytest.raises(InvalidInput):  # an officer of another agency
            svc.intervention_assign(
                actor=u["police"], intervention_id=intervention.pk, officer_ids=[u["proc"].pk]
            )
        svc.intervention_assign(
            actor=u["intake"], intervention_id=intervention.pk, officer_ids=[u["police"].pk]
        )
        note = svc.intervention_note_add(
            actor=u["police"], intervention_id=intervention.pk, text="已到现场固定证据"
        )
        with pytest.raises(PermissionDenied):  # of the police, but not assigned
            svc.intervention_note_add(actor=u["intake"], intervention_id=intervention.pk, text="x")
        with pytest.raises(PermissionDenied):  # the procuratorate assigned nobody
            svc.intervention_note_add(actor=u["proc"], intervention_id=intervention.pk, text="x")
        svc.intervention_note_add(
            actor=u["officer"], intervention_id=intervention.pk, text="已移交检测报告"
        )
    assert note.agency == world.agencies["fc-police"]
    assert intervention.notes.count() == 2


def test_the_requesting_agency_closes_with_the_outcome(world):
    intervention = approved(world)
    u = users(world)
    with world.at():
        with pytest.raises(PermissionDenied):
            svc.intervention_close(actor=u["proc"], intervention_id=intervention.pk, outcome="x")
        with pytest.raises(InvalidInput):
            svc.intervention_close(actor=u["officer"], intervention_id=intervention.pk, outcome=" ")
        svc.intervention_close(
            actor=u["officer"], intervention_id=intervention.pk, outcome="证据已固定，拟移送"
        )
        with pytest.raises(IllegalTransition):
            svc.intervention_note_add(actor=u["officer"], intervention_id=intervention.pk, text="x")
    intervention.refresh_from_db()
    assert intervention.state == InterventionStatus.CLOSED
    assert intervention.outcome == "证据已固定，拟移送"


def test_asked_only_before_the_transfer_and_only_by_the_cases_agency(world):
    u = users(world)
    transferred = world.reach("RECEIVED_BY_POLICE")
    with pytest.raises(IllegalTransition):
        asked(world, referral=transferred)
    referral = world.new_referral()
    with pytest.raises(NotFound), world.at():
        svc.intervention_request(
            actor=u["outsider"],
            referral_id=referral.pk,
            addressee_agency_ids=[world.agencies["fc-police"].pk],
            reason_category="joint_raid",
            reason="联合查处",
        )


@pytest.mark.parametrize(
    "change, message",
    [
        ({"addressee_agency_ids": []}, "Choose"),
        ({"addressee_agency_ids": ["fc-msa"]}, "Only a police organ"),
        ({"reason_category": "boredom"}, "Choose the reason"),
        ({"reason": "  "}, "Say why"),
    ],
)
def test_bad_requests_are_refused(world, change, message, settings):
    settings.LANGUAGE_CODE = "en"
    referral = world.new_referral()
    kwargs = {
        "addressee_agency_ids": [world.agencies["fc-police"].pk],
        "reason_category": "joint_raid",
        "reason": "联合查处",
    }
    if "addressee_agency_ids" in change:
        change = {
            "addressee_agency_ids": [world.agencies[c].pk for c in change["addressee_agency_ids"]]
        }
    kwargs.update(change)
    with pytest.raises(InvalidInput), world.at():
        svc.intervention_request(actor=users(world)["officer"], referral_id=referral.pk, **kwargs)


def test_overdue_is_read_from_the_due_time(world):
    intervention = approved(world)
    addressee = intervention.addressees.first()
    assert not addressee.is_overdue(world.t + timedelta(days=3))
    assert addressee.is_overdue(world.t + timedelta(days=4))
