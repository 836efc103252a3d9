"""Who is told of each joint meeting, early intervention, consultation and clue event: the
agencies concerned and nobody outside them, the actor never, each person once, with a link
to the object's page (services/coordination_notifications.py)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from referral.models import ClueAnswer, FollowUp, Notification, NotificationKind, Role
from referral.services import clues as clue_svc
from referral.services import consultations as consultation_svc
from referral.services import interventions as intervention_svc
from referral.services import meetings as meeting_svc
from referral.services.clocks import clocks_sweep
from tests.referral.clues.helpers import passed
from tests.referral.clues.helpers import users as clue_users
from tests.referral.consultations.helpers import opened
from tests.referral.consultations.helpers import users as consultation_users
from tests.referral.documents.fixtures import after_commit  # noqa: F401
from tests.referral.interventions.helpers import approved, asked
from tests.referral.interventions.helpers import users as intervention_users
from tests.referral.meetings.helpers import convene, drafted
from tests.referral.meetings.helpers import users as meeting_users


def told(prefix: str) -> set[str]:
    """Usernames told under keys starting with `prefix`."""
    rows = Notification.objects.filter(key__startswith=prefix)
    return set(rows.values_list("recipient__username", flat=True))


def once(prefix: str) -> None:
    rows = Notification.objects.filter(key__startswith=prefix)
    assert rows.count() == len(told(prefix))


MSA = {"fc-case_officer", "fc-case_officer2", "fc-agency_head", "fc-deputy_head"}
POLICE = {"fc-police_head", "fc-police_reviewer"}  # intake signs for documents, not meetings
PROC = {"fc-procurator", "fc-chief_procurator"}
MY_POLICE = {"my-police_head", "my-police_reviewer"}


# --- joint meetings ------------------------------------------------------------------------------


def test_a_convened_meeting_tells_the_invited_agencies_only(world):
    meeting = convene(world)
    assert told("meeting_convened:") == MSA | POLICE | MY_POLICE
    note = Notification.objects.filter(key=f"meeting_convened:{meeting.pk}").first()
    assert note.link == reverse("xianjie:meeting_detail", args=[meeting.pk])
    assert note.kind == NotificationKind.COORDINATION and note.referral_id is None
    assert meeting.title in note.title and "2026-01-01" in note.body


def _circulated(world):
    meeting = drafted(world)
    with world.at():
        meeting_svc.meeting_circulate(actor=meeting_users(world)["proc"], meeting_id=meeting.pk)
    return meeting


def test_circulated_minutes_tell_each_attending_agency_but_not_the_absent_one(world):
    meeting = _circulated(world)
    # my-police was invited but did not attend; the procuratorate circulated them, which was
    # its own confirmation.
    assert told("minutes_circulated:") == MSA | POLICE
    once("minutes_circulated:")
    meeting.refresh_from_db()
    body = Notification.objects.filter(key__startswith="minutes_circulated:").first().body
    assert meeting.confirm_due_at.astimezone().strftime("%Y-%m-%d") in body


def test_circulating_again_after_a_reopening_tells_them_again(world):
    meeting = _circulated(world)
    proc = meeting_users(world)["proc"]
    with world.at():
        meeting_svc.meeting_reopen(actor=proc, meeting_id=meeting.pk)
        meeting_svc.meeting_circulate(actor=proc, meeting_id=meeting.pk)
    reviewer = world.user("fc-police", Role.POLICE_REVIEWER)
    assert Notification.objects.filter(recipient=reviewer, key__startswith="minutes_c").count() == 2


def test_a_confirmation_or_comment_tells_the_convening_agency(world):
    meeting = _circulated(world)
    u = meeting_users(world)
    with world.at():
        meeting_svc.meeting_comment(actor=u["police"], meeting_id=meeting.pk, comment="第二项请改")
    assert told("minutes_answered:") == PROC
    comment = Notification.objects.filter(key__startswith="minutes_answered:").first()
    assert "第二项请改" in comment.body
    with world.at():
        meeting_svc.meeting_confirm(actor=u["msa"], meeting_id=meeting.pk)
    assert Notification.objects.filter(key__startswith="minutes_answered:").count() == 4
    # The convening agency's own confirmation tells nobody.
    with world.at():
        meeting_svc.meeting_confirm(actor=u["proc"], meeting_id=meeting.pk)
    assert Notification.objects.filter(key__startswith="minutes_answered:").count() == 4


def _issue(world, meeting, after_commit):  # noqa: F811
    u = meeting_users(world)
    with world.at():
        for who in ("proc", "msa", "police"):
            meeting_svc.meeting_confirm(actor=u[who], meeting_id=meeting.pk)
        with after_commit():
            return meeting_svc.meeting_issue(actor=u["proc"], meeting_id=meeting.pk)


def test_issued_minutes_tell_the_attending_agencies_and_each_follow_up_owner(
    world,
    after_commit,  # noqa: F811
):
    meeting = _circulated(world)
    reviewer = world.user("fc-police", Role.POLICE_REVIEWER)
    reviewer.full_name = "赵强"  # the person the police's item names
    reviewer.save()
    document = _issue(world, meeting, after_commit)
    assert told("minutes_issued:") == MSA | POLICE | {"fc-chief_procurator"}
    issued = Notification.objects.filter(key=f"minutes_issued:{meeting.pk}").first()
    assert document.number in issued.body
    police_item, msa_item = meeting.follow_ups.order_by("position")
    assert told(f"follow_up_assigned:{police_item.pk}") == {"fc-police_reviewer"}
    # Nobody at the bureau is called 张明: its heads are told instead.
    assert told(f"follow_up_assigned:{msa_item.pk}") == {"fc-agency_head", "fc-deputy_head"}


def test_a_follow_up_item_overdue_tells_its_owner_and_head_once(
    world,
    after_commit,  # noqa: F811
):
    meeting = _circulated(world)
    reviewer = world.user("fc-police", Role.POLICE_REVIEWER)
    reviewer.full_name = "赵强"
    reviewer.save()
    _issue(world, meeting, after_commit)
    police_item, msa_item = meeting.follow_ups.order_by("position")
    with world.at():
        meeting_svc.follow_up_complete(
            actor=world.user("fc-msa", Role.CASE_OFFICER), follow_up_id=msa_item.pk, note="已完成"
        )
    clocks_sweep(at=police_item.due_at - timedelta(minutes=1))
    assert not told("follow_up_overdue:")
    clocks_sweep(at=police_item.due_at + timedelta(minutes=1))
    clocks_sweep(at=police_item.due_at + timedelta(hours=1))
    assert told(f"follow_up_overdue:{police_item.pk}") == {"fc-police_reviewer", "fc-police_head"}
    once("follow_up_overdue:")
    assert not told(f"follow_up_overdue:{msa_item.pk}")  # reported done in time
    note = Notification.objects.filter(key=f"follow_up_overdue:{police_item.pk}").first()
    assert note.kind == NotificationKind.CLOCK_OVERDUE
    assert FollowUp.objects.get(pk=police_item.pk).overdue_notified_at is not None


def test_a_draft_meetings_follow_up_past_due_tells_nobody(world):
    meeting = drafted(world)
    item = meeting.follow_ups.first()
    clocks_sweep(at=item.due_at + timedelta(days=1))
    assert not told("follow_up_overdue:")


def test_a_meeting_notification_goes_by_email_to_who_chose_the_kind(
    world, django_capture_on_commit_callbacks
):
    officer = world.user("fc-msa", Role.CASE_OFFICER)
    officer.email, officer.email_notification_kinds = "officer@example.invalid", ["coordination"]
    officer.save()
    head = world.user("fc-msa", Role.AGENCY_HEAD)
    head.email, head.email_notification_kinds = "head@example.invalid", ["decision"]
    head.save()
    with django_capture_on_commit_callbacks(execute=True):
        convene(world)
    assert [m.to for m in mail.outbox] == [["officer@example.invalid"]]


# --- early intervention --------------------------------------------------------------------------


def test_a_request_tells_the_head_who_approves_it(world):
    intervention = asked(world)
    # Any head of the agency may approve it (a deputy too: intervention_access.may_decide).
    assert told("intervention_approval:") == {"fc-agency_head", "fc-deputy_head"}
    note = Notification.objects.filter(key=f"intervention_approval:{intervention.pk}").first()
    assert note.link == reverse("xianjie:intervention_detail", args=[intervention.pk])


def test_an_approved_request_tells_the_addressees_and_the_officer(world):
    intervention = approved(world)
    assert told("intervention_requested:") == POLICE | PROC
    assert told("intervention_approved:") == {"fc-case_officer"}
    body = Notification.objects.filter(key__startswith="intervention_requested:").first().body
    assert intervention.addressees.first().due_at.astimezone().strftime("%Y-%m-%d") in body


def test_a_refused_request_tells_the_officer_why_and_asks_nobody(world):
    intervention = asked(world)
    with world.at():
        intervention_svc.intervention_decide(
            actor=intervention_users(world)["head"],
            intervention_id=intervention.pk,
            approve=False,
            note="证据已固定",
        )
    assert told("intervention_refused:") == {"fc-case_officer"}
    assert "证据已固定" in Notification.objects.get(key__startswith="intervention_refused:").body
    assert not told("intervention_requested:")


def test_answers_and_assignments_tell_the_requesting_officers_and_the_assigned(world):
    intervention = approved(world)
    u = intervention_users(world)
    with world.at():
        intervention_svc.intervention_respond(
            actor=u["proc"], intervention_id=intervention.pk, accept=True
        )
        intervention_svc.intervention_respond(
            actor=u["police"], intervention_id=intervention.pk, accept=False, reason="非本所辖区"
        )
        intervention_svc.intervention_assign(
            actor=u["proc"],
            intervention_id=intervention.pk,
            officer_ids=[u["proc"].pk, world.user("fc-proc", Role.CHIEF_PROCURATOR).pk],
        )
    answers = Notification.objects.filter(key__startswith="intervention_answer:")
    assert set(answers.values_list("recipient__username", flat=True)) == {"fc-case_officer"}
    assert answers.count() == 2 and any("非本所辖区" in n.body for n in answers)
    assert told("intervention_officers:") == {"fc-case_officer"}
    # The procurator assigned himself: only the chief is told he is assigned.
    assert told("intervention_assigned:") == {"fc-chief_procurator"}


def test_the_outcome_tells_everyone_else_on_it(world):
    intervention = approved(world)
    u = intervention_users(world)
    with world.at():
        intervention_svc.intervention_respond(
            actor=u["proc"], intervention_id=intervention.pk, accept=True
        )
        intervention_svc.intervention_close(
            actor=u["head"], intervention_id=intervention.pk, outcome="已联合固定证据"
        )
    assert told("intervention_closed:") == POLICE | PROC | {"fc-case_officer"}


def test_intervention_notices_reach_no_outsider(world):
    intervention = approved(world)
    u = intervention_users(world)
    with world.at():
        intervention_svc.intervention_close(
            actor=u["officer"], intervention_id=intervention.pk, outcome="无需介入"
        )
    everyone = set(Notification.objects.values_list("recipient__username", flat=True))
    assert not {n for n in everyone if n.startswith(("yx-", "my-"))}


# --- case consultation ---------------------------------------------------------------------------


def test_an_opened_consultation_tells_the_invited_agencies(world):
    consultation, _shared, _private = opened(world, agencies=("fc-police", "fc-proc"))
    assert told("consultation_opened:") == POLICE | PROC
    note = Notification.objects.filter(key__startswith="consultation_opened:").first()
    assert note.link == reverse("xianjie:consultation_detail", args=[consultation.pk])
    assert note.referral_id is None  # an invited agency may not see the case page


def test_a_reply_tells_the_others_in_the_thread_and_the_conclusion_all(world):
    consultation, _shared, _private = opened(world)
    u = consultation_users(world)
    with world.at():
        reply = consultation_svc.consultation_reply(
            actor=u["police"], consultation_id=consultation.pk, text="建议先做毒理检验"
        )
    assert told(f"consultation_reply:{reply.pk}") == MSA | {"fc-police_head"}
    with world.at():
        consultation_svc.consultation_close(
            actor=u["officer"], consultation_id=consultation.pk, conclusion="先检验后移送"
        )
    assert told("consultation_closed:") == (MSA - {"fc-case_officer"}) | POLICE
    assert "fc-procurator" not in told("consultation_")  # not invited


# --- clues between stations ----------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_a_passed_clue_tells_the_police_station(world):
    u = clue_users(world)
    clue = passed(world, u)
    assert told("clue_passed:") == {"cj-police"}
    note = Notification.objects.get(key=f"clue_passed:{clue.pk}")
    assert note.link == reverse("xianjie:clue_detail", args=[clue.pk])


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (ClueAnswer.ACCEPTED_FOR_CHECKING, {"cj-msa"}),
        # The bureau's case officers open the referral.
        (ClueAnswer.NEEDS_TRANSFER, {"cj-msa", "fc-case_officer", "fc-case_officer2"}),
    ],
)
def test_an_answer_tells_the_passing_station(world, answer, expected):
    u = clue_users(world)
    clue = passed(world, u)
    with world.at():
        clue_svc.clue_answer(actor=u["ps"], clue_id=clue.pk, answer=answer)
    assert told("clue_answered:") == expected
