"""Joint meetings (联席会议, DOMAIN.md §4.2): convening, the agencies' situation reports, the
agenda with each agency's opinions, attendance, decisions, follow-up items, and the minutes
from draft through circulation and confirmation to the issued, numbered document.

Every write locks the meeting row first (`meeting_access.meeting_lock_for_user`) and appends
its audit event in the same transaction. Who may do what is read from `meeting_access`.
"""

from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from .. import access, meeting_access
from ..deadlines import compute_due
from ..meeting_selectors import situation_figures
from ..models import (
    REPORT_FIGURES,
    Agency,
    AgendaItem,
    AgendaKind,
    Decision,
    FollowUp,
    Meeting,
    MeetingKind,
    MeetingParticipant,
    MinutesStatus,
    Opinion,
    SituationReport,
)
from ..models.clocks import Unit
from ..timeutil import now
from . import coordination_notifications as notify
from .audit import audit_append
from .documents import document_issue_for_meeting, documents_render_after_commit
from .errors import IllegalTransition, InvalidInput, NotFound, PermissionDenied

MINUTES_DOC_TYPE = "meeting_minutes"

# --- Convening -------------------------------------------------------------------------------


def meeting_convene(
    *,
    actor,
    kind: str,
    title: str,
    held_at: datetime,
    place: str,
    chair: str,
    period_start: date,
    period_end: date,
    invited_agency_ids: list[int],
) -> Meeting:
    """Convenes a meeting of the actor's agency with the invited agencies: each gets its
    situation report pre-filled from the referrals, and the agenda opens with the follow-up
    items of earlier meetings still open for any of them."""
    if not meeting_access.may_convene(actor):
        raise PermissionDenied(_("Only case handlers of an agency may convene a joint meeting."))
    if kind not in MeetingKind.values:
        raise InvalidInput(_("Unknown meeting type."))
    if period_start > period_end:
        raise InvalidInput(_("The reporting period ends before it starts."))
    if not (title.strip() and place.strip() and chair.strip()):
        raise InvalidInput(_("Give the title, place and chair."))
    agency_ids = [actor.agency_id, *(i for i in invited_agency_ids if i != actor.agency_id)]
    if Agency.objects.filter(pk__in=agency_ids).count() != len(set(agency_ids)):
        raise InvalidInput(_("Unknown agency."))
    if len(agency_ids) < 2:
        raise InvalidInput(_("Invite at least one other agency."))
    at = now()
    with transaction.atomic():
        meeting = Meeting.objects.create(
            kind=kind,
            title=title.strip(),
            held_at=held_at,
            place=place.strip(),
            chair=chair.strip(),
            period_start=period_start,
            period_end=period_end,
            convening_agency_id=actor.agency_id,
            convened_by=actor,
            convened_at=at,
        )
        for agency_id in agency_ids:
            MeetingParticipant.objects.create(
                meeting=meeting, agency_id=agency_id, attended=agency_id == actor.agency_id
            )
            SituationReport.objects.create(
                meeting=meeting,
                agency_id=agency_id,
                **situation_figures(agency_id=agency_id, start=period_start, end=period_end),
            )
        carried = _carry_open_follow_ups(meeting, agency_ids, actor)
        _audit(meeting, "meeting_convene", actor, at, agencies=agency_ids, carried=carried)
        notify.notify_meeting_convened(meeting=meeting, actor=actor, at=at)
    return meeting


def _carry_open_follow_ups(meeting: Meeting, agency_ids: list[int], actor) -> list[int]:
    """Puts the open follow-up items owned by any participant at the head of the agenda: those
    of earlier issued meetings the convening agency took part in (another meeting's items stay
    with the agencies that held it); returns their ids."""
    earlier = meeting_access.meetings_visible_to(actor).filter(minutes_status=MinutesStatus.ISSUED)
    open_items = (
        FollowUp.objects.open()
        .filter(owner_agency_id__in=agency_ids, meeting__in=earlier)
        .exclude(meeting=meeting)
        .select_related("owner_agency", "meeting")
        .order_by("due_at", "pk")
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            position=position,
            kind=AgendaKind.FOLLOW_UP,
            follow_up=item,
            text=f"{item.meeting.title}：{item.action}（{item.owner_agency.name}）",
        )
        for position, item in enumerate(open_items, start=1)
    )
    return [item.pk for item in open_items]


# --- Drafting (the convening agency) ---------------------------------------------------------


def _lock_to_run(actor, meeting_id: int) -> Meeting:
    meeting = meeting_access.meeting_lock_for_user(user=actor, meeting_id=meeting_id)
    if not meeting_access.may_run_meeting(actor, meeting):
        raise PermissionDenied(_("Only the convening agency may change this."))
    _require_status(meeting, MinutesStatus.DRAFT)
    return meeting


def _require_status(meeting: Meeting, status: str) -> None:
    if meeting.minutes_status != status:
        raise IllegalTransition(
            _("Not possible while the meeting is “%(status)s”."),
            status=meeting.get_minutes_status_display(),
        )


def meeting_attendance_set(
    *, actor, meeting_id: int, agency_id: int, attended: bool, attendees: str = ""
) -> MeetingParticipant:
    """Records whether an invited agency attended, and by whom (name and post, one a line)."""
    with transaction.atomic():
        meeting = _lock_to_run(actor, meeting_id)
        participant = meeting.participants.filter(agency_id=agency_id).first()
        if participant is None:
            raise NotFound(_("The agency was not invited."))
        if not attended and agency_id == meeting.convening_agency_id:
            raise InvalidInput(_("The convening agency attends its own meeting."))
        participant.attended, participant.attendees = attended, attendees.strip()
        participant.save(update_fields=["attended", "attendees"])
        _audit(meeting, "meeting_attendance", actor, now(), agency=agency_id, attended=attended)
    return participant


def meeting_agenda_add(
    *,
    actor,
    meeting_id: int,
    kind: str,
    text: str,
    referral_id: int | None = None,
) -> AgendaItem:
    """Adds an agenda item: a referral (one the convening agency may see), an administrative
    penalty case described in text, or a topic."""
    if kind not in (AgendaKind.REFERRAL, AgendaKind.PENALTY_CASE, AgendaKind.TOPIC):
        raise InvalidInput(_("Unknown agenda item type."))
    with transaction.atomic():
        meeting = _lock_to_run(actor, meeting_id)
        referral = None
        if kind == AgendaKind.REFERRAL:
            if referral_id is None:
                raise InvalidInput(_("Choose the referral."))
            referral = access.referral_get_for_user(user=actor, referral_id=referral_id)
            text = text.strip() or f"{referral.reference} {referral.title}"
        if not text.strip():
            raise InvalidInput(_("Give the subject."))
        item = AgendaItem.objects.create(
            meeting=meeting,
            position=_next_position(meeting.agenda),
            kind=kind,
            text=text.strip(),
            referral=referral,
        )
        _audit(meeting, "meeting_agenda_add", actor, now(), item=item.pk, kind=kind)
    return item


def meeting_decision_add(*, actor, meeting_id: int, text: str, basis: str = "") -> Decision:
    """Records a decision (议定事项) with its basis."""
    if not text.strip():
        raise InvalidInput(_("Give the decision."))
    with transaction.atomic():
        meeting = _lock_to_run(actor, meeting_id)
        decision = Decision.objects.create(
            meeting=meeting,
            position=_next_position(meeting.decisions),
            text=text.strip(),
            basis=basis.strip(),
        )
        _audit(meeting, "meeting_decision_add", actor, now(), decision=decision.pk)
    return decision


def meeting_follow_up_add(
    *,
    actor,
    meeting_id: int,
    action: str,
    owner_agency_id: int,
    owner_person: str,
    due_at: datetime,
) -> FollowUp:
    """Gives a participating agency a follow-up item with its person and due time."""
    if not (action.strip() and owner_person.strip()):
        raise InvalidInput(_("Give the action and the responsible person."))
    with transaction.atomic():
        meeting = _lock_to_run(actor, meeting_id)
        if not meeting.participants.filter(agency_id=owner_agency_id).exists():
            raise InvalidInput(_("A follow-up item belongs to an agency taking part."))
        if due_at <= meeting.held_at:
            raise InvalidInput(_("The due time must be after the meeting."))
        item = FollowUp.objects.create(
            meeting=meeting,
            position=_next_position(meeting.follow_ups),
            action=action.strip(),
            owner_agency_id=owner_agency_id,
            owner_person=owner_person.strip(),
            due_at=due_at,
        )
        _audit(meeting, "meeting_follow_up_add", actor, now(), follow_up=item.pk)
    return item


def _next_position(related) -> int:
    return (related.aggregate(last=Max("position"))["last"] or 0) + 1


# --- Drafting (each attending agency) --------------------------------------------------------


def _lock_as_attendee(actor, meeting_id: int, status: str) -> tuple[Meeting, MeetingParticipant]:
    meeting = meeting_access.meeting_lock_for_user(user=actor, meeting_id=meeting_id)
    participant = meeting_access.attending_participant(actor, meeting)
    if participant is None:
        raise PermissionDenied(_("Only an agency that attended the meeting may do this."))
    _require_status(meeting, status)
    return meeting, participant


def meeting_report_update(
    *, actor, meeting_id: int, note: str = "", **figures: int
) -> SituationReport:
    """The actor's agency corrects its own situation report (figures and note)."""
    unknown = set(figures) - set(REPORT_FIGURES)
    if unknown:
        raise InvalidInput(_("Unknown figure."))
    if any(not isinstance(v, int) or v < 0 for v in figures.values()):
        raise InvalidInput(_("A figure is a whole number, zero or more."))
    with transaction.atomic():
        meeting, participant = _lock_as_attendee(actor, meeting_id, MinutesStatus.DRAFT)
        report = meeting.reports.get(agency_id=participant.agency_id)
        for name, value in figures.items():
            setattr(report, name, value)
        report.note, report.edited_at = note.strip(), now()
        report.save()
        _audit(meeting, "meeting_report_update", actor, report.edited_at, figures=figures)
    return report


def meeting_opinion_set(*, actor, meeting_id: int, item_id: int, text: str) -> Opinion:
    """The actor's agency states (or restates) its opinion on an agenda item."""
    if not text.strip():
        raise InvalidInput(_("Give the opinion."))
    with transaction.atomic():
        meeting, participant = _lock_as_attendee(actor, meeting_id, MinutesStatus.DRAFT)
        item = meeting.agenda.filter(pk=item_id).first()
        if item is None:
            raise NotFound(_("No such agenda item."))
        opinion, _created = Opinion.objects.update_or_create(
            item=item, agency_id=participant.agency_id, defaults={"text": text.strip()}
        )
        _audit(meeting, "meeting_opinion", actor, now(), item=item.pk)
    return opinion


# --- Minutes ---------------------------------------------------------------------------------


def meeting_circulate(*, actor, meeting_id: int) -> Meeting:
    """Sends the draft minutes to the attending agencies, each to confirm or comment within
    XIANJIE_MEETING_CONFIRM_WORKING_DAYS working days; earlier answers no longer count. The
    convening agency drafted them: circulating them is its confirmation."""
    with transaction.atomic():
        meeting = _lock_to_run(actor, meeting_id)
        if not meeting.decisions.exists() and not meeting.follow_ups.exists():
            raise IllegalTransition(_("The minutes record no decision or follow-up item yet."))
        at = now()
        days = settings.XIANJIE_MEETING_CONFIRM_WORKING_DAYS
        meeting.minutes_status = MinutesStatus.CIRCULATED
        meeting.circulated_at = at
        meeting.confirm_due_at = compute_due(at, days, Unit.WORKING_DAYS)
        meeting.save(update_fields=["minutes_status", "circulated_at", "confirm_due_at"])
        meeting.participants.exclude(agency_id=meeting.convening_agency_id).update(
            confirmed_at=None
        )
        meeting.participants.filter(agency_id=meeting.convening_agency_id).update(
            confirmed_at=at, comment=""
        )
        event = _audit(
            meeting, "meeting_circulate", actor, at, confirm_due_at=meeting.confirm_due_at
        )
        notify.notify_minutes_circulated(meeting=meeting, actor=actor, seq=event.seq)
    return meeting


def meeting_confirm(*, actor, meeting_id: int, comment: str = "") -> MeetingParticipant:
    """The actor's (attending) agency confirms the circulated minutes, optionally with a
    comment printed beside its confirmation."""
    return _answer(actor, meeting_id, comment=comment, confirm=True)


def meeting_comment(*, actor, meeting_id: int, comment: str) -> MeetingParticipant:
    """The actor's agency comments on the minutes without confirming them; the convening
    agency may take them back to draft to revise them."""
    if not comment.strip():
        raise InvalidInput(_("Give the comment."))
    return _answer(actor, meeting_id, comment=comment, confirm=False)


def _answer(actor, meeting_id, *, comment, confirm) -> MeetingParticipant:
    with transaction.atomic():
        meeting, participant = _lock_as_attendee(actor, meeting_id, MinutesStatus.CIRCULATED)
        at = now()
        participant.comment = comment.strip()
        participant.confirmed_at = at if confirm else None
        participant.save(update_fields=["comment", "confirmed_at"])
        action = "meeting_confirm" if confirm else "meeting_comment"
        event = _audit(meeting, action, actor, at, agency=participant.agency_id, comment=comment)
        notify.notify_minutes_answered(
            meeting=meeting, participant=participant, actor=actor, seq=event.seq, at=at
        )
    return participant


def meeting_reopen(*, actor, meeting_id: int) -> Meeting:
    """Takes circulated minutes back to draft (to answer comments); circulate again after."""
    with transaction.atomic():
        meeting = meeting_access.meeting_lock_for_user(user=actor, meeting_id=meeting_id)
        if not meeting_access.may_run_meeting(actor, meeting):
            raise PermissionDenied(_("Only the convening agency may change this."))
        _require_status(meeting, MinutesStatus.CIRCULATED)
        meeting.minutes_status = MinutesStatus.DRAFT
        meeting.save(update_fields=["minutes_status"])
        _audit(meeting, "meeting_reopen", actor, now())
    return meeting


def meeting_issue(*, actor, meeting_id: int):
    """Issues the minutes as the convening agency's numbered document, copied to the attending
    agencies: once every attending agency has confirmed, or its period to answer has run out.
    The minutes are frozen from here on; the PDF is rendered after commit."""
    with transaction.atomic():
        meeting = meeting_access.meeting_lock_for_user(user=actor, meeting_id=meeting_id)
        if not meeting_access.may_run_meeting(actor, meeting):
            raise PermissionDenied(_("Only the convening agency may change this."))
        _require_status(meeting, MinutesStatus.CIRCULATED)
        at = now()
        waiting = meeting.participants.filter(attended=True, confirmed_at__isnull=True)
        if waiting.exists() and at <= meeting.confirm_due_at:
            raise IllegalTransition(
                _("Attending agencies have not all confirmed and their period is still running.")
            )
        meeting.minutes_status, meeting.issued_at = MinutesStatus.ISSUED, at
        meeting.save(update_fields=["minutes_status", "issued_at"])
        document = document_issue_for_meeting(
            meeting=meeting, doc_type=MINUTES_DOC_TYPE, actor=actor, at=at
        )
        _audit(meeting, "meeting_issue", actor, at, document=document.pk)
        notify.notify_minutes_issued(meeting=meeting, document=document, actor=actor, at=at)
        documents_render_after_commit(document_ids=[document.pk])
    return document


# --- Follow-up -------------------------------------------------------------------------------


def follow_up_complete(*, actor, follow_up_id: int, note: str) -> FollowUp:
    """The owner agency reports a follow-up item of issued minutes done, saying how."""
    if not note.strip():
        raise InvalidInput(_("Say how the item was done."))
    meeting_id = FollowUp.objects.filter(pk=follow_up_id).values_list("meeting", flat=True)
    if not meeting_id:
        raise NotFound(_("No such follow-up item."))
    with transaction.atomic():
        meeting = meeting_access.meeting_lock_for_user(user=actor, meeting_id=meeting_id[0])
        item = FollowUp.objects.select_for_update().get(pk=follow_up_id)
        if not meeting_access.may_complete_follow_up(actor, item):
            raise PermissionDenied(_("Only the owner agency may report this item done."))
        _require_status(meeting, MinutesStatus.ISSUED)
        if item.done_at is not None:
            raise IllegalTransition(_("The item is done already."))
        item.done_at, item.done_note = now(), note.strip()
        item.save(update_fields=["done_at", "done_note"])
        _audit(meeting, "meeting_follow_up_done", actor, item.done_at, follow_up=item.pk)
    return item


def _audit(meeting: Meeting, action: str, actor, at: datetime, **payload):
    return audit_append(
        action=action,
        at=at,
        actor=actor,
        payload={"meeting": meeting.pk, **_plain(payload)},
    )


def _plain(payload: dict) -> dict:
    """JSON-safe values for the audit payload."""
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in payload.items()}
