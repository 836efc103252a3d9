"""The police head's decisions are proposed by the reviewer first (DOMAIN.md §9.2; MPS rules
arts. 178, 181, 182, 184, 187): reconsideration, filing as notified, withdrawal and transfer to
another police organ. Both steps audited with their actors; the head's step keeps its name and
issues the documents; sent back, the case is where it was with its clocks still running."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from referral import access, lifecycle
from referral.models import AuditEvent, ClockState, Notification, NotificationKind, Role
from referral.services.errors import InvalidInput, NotFound, PermissionDenied
from referral.services.transitions import run_transition

S = lifecycle.Status

# (state proposed from, proposal, the head's step, where the head's step leaves the case)
PROPOSALS = [
    (S.RECONSIDERATION_PENDING, "propose_filing_on_reconsideration", "reconsider_file", S.FILED),
    (
        S.RECONSIDERATION_PENDING,
        "propose_upholding_non_filing",
        "reconsider_uphold",
        S.RECONSIDERATION_UPHELD_NOT_FILED,
    ),
    (S.FILING_ORDERED, "propose_filing_as_ordered", "file_as_ordered", S.FILED),
    (S.CORRECTION_NOTICE_ISSUED, "propose_filing_as_ordered", "file_as_ordered", S.FILED),
    (S.FILED, "propose_withdrawal", "withdraw_case", S.CASE_WITHDRAWN),
    (S.ITEMS_HANDED_OVER, "propose_withdrawal", "withdraw_case", S.CASE_WITHDRAWN),
    (
        S.ITEMS_HANDED_OVER,
        "propose_transfer_to_other_police",
        "transfer_to_other_police",
        S.ITEMS_HANDED_OVER,
    ),
    (
        S.PROSECUTION_STAGE_ARREST,
        "propose_transfer_to_other_police",
        "transfer_to_other_police",
        S.PROSECUTION_STAGE_ARREST,
    ),
]
# The police's clock that runs while each proposal waits: the period is the organ's.
RUNNING_CLOCK = {
    "propose_filing_on_reconsideration": "reconsideration_decision",
    "propose_upholding_non_filing": "reconsideration_decision",
    "propose_filing_as_ordered": "ordered_filing",
}


def _steps(referral):
    """(action, actor, reason, documents issued) of the lifecycle steps, in order."""
    names = lifecycle.transitions()
    rows = []
    for event in AuditEvent.objects.filter(referral=referral).order_by("seq"):
        if event.action in names:
            rows.append([event.action, event.actor.username, event.reason, 0])
        elif event.action == "issue_document" and rows:
            rows[-1][3] += 1
    return [tuple(row) for row in rows]


def _proposed_state(proposal: str) -> str:
    return lifecycle.transitions()[proposal][0].target


@pytest.mark.parametrize(("source", "proposal", "decision", "target"), PROPOSALS)
def test_the_reviewer_proposes_and_the_police_head_decides(
    world, source, proposal, decision, target
):
    referral = world.reach(source)
    reviewer = world.user("fc-police", Role.POLICE_REVIEWER)
    head = world.user("fc-police", Role.POLICE_HEAD)
    documents = referral.documents.count()
    world.do(referral, proposal, actor=reviewer, reason="办案部门意见：理由如下。")
    referral.refresh_from_db()
    assert referral.status == _proposed_state(proposal)
    assert lifecycle.STATE_OWNERS[referral.status] == ("police", "police_head")
    assert referral.proposed_from == source
    assert referral.documents.count() == documents  # documents come with the head's decision
    world.do(referral, decision, actor=head, reason="同意。")
    referral.refresh_from_db()
    assert referral.status == target
    assert referral.documents.count() > documents
    (*_, proposed, decided) = _steps(referral)
    assert proposed == (proposal, "fc-police_reviewer", "办案部门意见：理由如下。", 0)
    assert decided[:3] == (decision, "fc-police_head", "同意。") and decided[3] >= 1


@pytest.mark.parametrize(("source", "proposal", "decision", "target"), PROPOSALS)
def test_sent_back_the_case_is_where_it_was_with_its_clocks_running(
    world, source, proposal, decision, target
):
    referral = world.reach(source)
    running = set(referral.clocks.open().values_list("pk", flat=True))
    rule = RUNNING_CLOCK.get(proposal, "items_handover" if source == S.FILED else None)
    if rule:  # the period the proposal must not stop
        assert referral.clocks.open().filter(rule=rule).exists(), rule
    world.do(referral, proposal)
    world.advance(days=1)
    world.do(referral, "return_police_proposal", reason="报告理由不充分，退回补充。")
    referral.refresh_from_db()
    assert referral.status == source
    # Not one clock stopped, cancelled or restarted by the proposal and its return.
    assert set(referral.clocks.open().values_list("pk", flat=True)) == running
    assert not referral.clocks.filter(stopped_by__in=(proposal, "return_police_proposal"))
    event = referral.events.get(action="return_police_proposal")
    assert (event.actor.username, event.from_status, event.to_status) == (
        "fc-police_head",
        _proposed_state(proposal),
        source,
    )
    # The reviewer may propose again.
    world.do(referral, proposal)
    referral.refresh_from_db()
    assert referral.status != source


def test_the_proposed_organ_is_recorded_and_moved_to_only_by_the_head(world):
    """MPS rules art. 184: the reviewer names the organ, the head's approval moves the case."""
    referral = world.reach(S.FILED)
    fc_police, my_police = world.agencies["fc-police"], world.agencies["my-police"]
    world.do(referral, "propose_transfer_to_other_police", police_agency_id=my_police.pk)
    referral.refresh_from_db()
    assert referral.police_agency == fc_police
    event = referral.events.get(action="propose_transfer_to_other_police")
    assert event.payload["police_agency"] == my_police.pk
    assert "from_police_agency" not in event.payload
    # The head of the organ the case would go to decides nothing yet: it is not theirs.
    with world.at(), pytest.raises(NotFound):
        run_transition(
            referral_id=referral.pk,
            actor=world.user("my-police", Role.POLICE_HEAD),
            name="transfer_to_other_police",
            reason="同意",
            police_agency_id=my_police.pk,
        )
    world.do(referral, "transfer_to_other_police", police_agency_id=my_police.pk)
    referral.refresh_from_db()
    assert (referral.status, referral.police_agency) == (S.FILED, my_police)
    assert referral.documents.filter(doc_type="police_transfer_notice").count() == 1
    # Now the other organ's head decides and the first organ's cannot.
    world.do(referral, "propose_withdrawal", actor=world.user("my-police", Role.POLICE_REVIEWER))
    with world.at(), pytest.raises(NotFound):
        run_transition(
            referral_id=referral.pk,
            actor=world.user("fc-police", Role.POLICE_HEAD),
            name="withdraw_case",
            reason="同意",
        )
    world.do(referral, "withdraw_case", actor=world.user("my-police", Role.POLICE_HEAD))


def test_the_reviewer_may_not_propose_a_transfer_to_the_organ_it_is_with(world):
    referral = world.reach(S.FILED)
    with world.at(), pytest.raises(InvalidInput):
        run_transition(
            referral_id=referral.pk,
            actor=world.user("fc-police", Role.POLICE_REVIEWER),
            name="propose_transfer_to_other_police",
            reason="理由",
            police_agency_id=world.agencies["fc-police"].pk,
        )
    referral.refresh_from_db()
    assert referral.status == S.FILED


@pytest.mark.parametrize(
    ("source", "proposal"),
    sorted({(source, proposal) for source, proposal, _, _ in PROPOSALS}),
)
def test_only_the_reviewer_of_the_police_organ_proposes(world, source, proposal):
    """Denied: the agency's officers and head, police intake, the police head (who decides,
    not proposes), the procuratorate, and every officer of another police organ."""
    referral = world.reach(source)
    inputs = world.inputs_for(proposal)
    before = (referral.status, AuditEvent.objects.count())
    for key, user in world.users.items():
        if key == ("fc-police", Role.POLICE_REVIEWER):
            continue
        expected = PermissionDenied if access.may_view(user, referral) else NotFound
        with world.at(), pytest.raises(expected):
            run_transition(referral_id=referral.pk, actor=user, name=proposal, **inputs)
        referral.refresh_from_db()
        assert (referral.status, AuditEvent.objects.count()) == before, key


@pytest.mark.parametrize("decision", ["reconsider_file", "withdraw_case", "return_police_proposal"])
def test_only_the_police_head_of_the_organ_decides(world, decision):
    proposal = {"reconsider_file": "propose_filing_on_reconsideration"}.get(
        decision, "propose_withdrawal"
    )
    source = S.RECONSIDERATION_PENDING if decision == "reconsider_file" else S.FILED
    referral = world.reach(source)
    world.do(referral, proposal)
    before = AuditEvent.objects.count()
    for key, user in world.users.items():
        if key == ("fc-police", Role.POLICE_HEAD):
            continue
        expected = PermissionDenied if access.may_view(user, referral) else NotFound
        with world.at(), pytest.raises(expected):
            run_transition(
                referral_id=referral.pk, actor=user, name=decision, **world.inputs_for(decision)
            )
        assert AuditEvent.objects.count() == before, key


def test_the_police_head_is_told_a_proposal_awaits_him(world, django_capture_on_commit_callbacks):
    referral = world.reach(S.FILED)
    with django_capture_on_commit_callbacks(execute=True):
        world.do(referral, "propose_withdrawal")
    told = Notification.objects.filter(referral=referral, kind=NotificationKind.CASE_ARRIVED)
    assert list(told.values_list("recipient__username", flat=True)) == ["fc-police_head"]
    # A proposal decides nothing: the other organs hear of the head's decision, not of it.
    assert not Notification.objects.filter(referral=referral, kind=NotificationKind.DECISION)
    with django_capture_on_commit_callbacks(execute=True):
        world.do(referral, "withdraw_case")
    decided = Notification.objects.filter(referral=referral, kind=NotificationKind.DECISION)
    assert "fc-case_officer" in set(decided.values_list("recipient__username", flat=True))


def test_the_proposed_non_filing_ground_is_recorded_for_the_head(world):
    referral = world.reach(S.UNDER_POLICE_REVIEW)
    world.do(referral, "propose_non_filing", non_filing_ground="trivial")
    event = referral.events.get(action="propose_non_filing")
    assert event.payload["non_filing_ground"] == "trivial"


def test_lifecycle_json_lists_the_proposals_with_their_actors():
    out = StringIO()
    call_command("lifecycle", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    by_name = {t["name"]: t for t in data["transitions"]}
    for _, proposal, decision, _ in PROPOSALS:
        assert by_name[proposal]["actor_role"] == "police_reviewer"
        assert by_name[proposal]["proposes"] == [decision]
        assert by_name[decision]["actor_role"] == "police_head"
        assert by_name[proposal]["code"] == by_name[decision]["code"]
        assert by_name[proposal]["article"].startswith("《")
    assert by_name["return_police_proposal"]["actor_role"] == "police_head"
    owners = {s["code"]: s["owner_role"] for s in data["states"]}
    for state in (
        "RECONSIDERATION_FILING_PROPOSED",
        "RECONSIDERATION_UPHOLD_PROPOSED",
        "FILING_AS_ORDERED_PROPOSED",
        "WITHDRAWAL_PROPOSED",
        "TRANSFER_TO_OTHER_POLICE_PROPOSED",
    ):
        assert owners[state] == "police_head"


def test_every_head_decision_of_the_police_follows_a_proposal():
    """A police head's step (other than sending a proposal back) leaves only the state some
    proposal of the reviewer leads into, and names that proposal's decision."""
    transitions = lifecycle.transitions()
    decided_by = {
        t.target: set(lifecycle.step_of(t).proposes)
        for ts in transitions.values()
        for t in ts
        if lifecycle.step_of(t).proposes
    }
    for name, ts in transitions.items():
        step = lifecycle.step_of(ts[0])
        if step.role != Role.POLICE_HEAD or name.startswith("return_"):
            continue
        for t in ts:
            assert name in decided_by.get(t.source, set()), (name, t.source)


@pytest.mark.parametrize("decision", ["return_police_proposal", "transfer_to_other_police"])
def test_the_agency_hands_over_its_items_while_the_head_decides(world, decision):
    """Decree 310 art. 12: the agency's 3 days run on while a withdrawal or a transfer of the
    filed case awaits the police head, so it may hand over meanwhile; sent back or moved, the
    case stands handed over."""
    referral = world.reach(S.FILED)
    proposal = "propose_transfer_to_other_police" if decision.startswith("transfer") else None
    world.do(referral, proposal or "propose_withdrawal")
    referral.refresh_from_db()
    proposed = referral.status
    world.do(referral, "hand_over_items")
    referral.refresh_from_db()
    assert referral.status == proposed and referral.items_handed_over_at is not None
    assert referral.clocks.get(rule="items_handover").state == ClockState.MET
    world.do(referral, decision)
    referral.refresh_from_db()
    assert referral.status == S.ITEMS_HANDED_OVER
