"""Notifications of the coordination outside single referrals (services/notifications.py writes
them): joint meetings, early interventions, case consultations and clues between stations.

Each is written inside the transaction of the service that causes it, so it commits or rolls
back with the change (unlike a lifecycle step's, nothing here waits for a task to be routed
after commit); e-mail follows after commit as for every notification. Each event has its own
key, so a user is told of it once, and links the page of the meeting, intervention,
consultation or clue (never the case page, which an invited agency may not see).

Who is told, by agency:
- a meeting: the agency's head and the officers who prepare its situation report and answer for
  the minutes (`MEETING_ROLES`): the invited agencies when it is convened, the other attending
  ones when the minutes are circulated, all attending ones when they are issued, the convening
  one when another confirms or comments; a follow-up item's owner person (the owner agency's
  user of that full name, else its head) when the minutes are issued, and with the head once
  the item is overdue (from the clock sweep);
- an early intervention: the requesting agency's head when it awaits approval, the addressees'
  `MEETING_ROLES` once approved, the requesting officer and the case's officers of each answer
  and assignment, the assigned officers themselves, and everyone else once it is closed;
- a consultation: the invited agencies' `MEETING_ROLES` when it opens, then every other person
  of the thread (those, the opening agency's and its opener) of each reply and the conclusion;
- a clue: the police station's users when it is passed, the passing station's when it is
  answered (and the county bureau's case officers when it needs a formal transfer).
"""

from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from ..meeting_access import CASE_ROLES
from ..models import (
    Agency,
    AgencyKind,
    Clue,
    ClueAnswer,
    Consultation,
    ConsultationReply,
    EarlyIntervention,
    FollowUp,
    InterventionAddressee,
    Meeting,
    MinutesStatus,
    NotificationKind,
    Role,
    User,
)
from .notifications import holding_role, notifications_create, owning_case, users_where

COORDINATION = NotificationKind.COORDINATION

# The users of an agency who take part in meetings, consultations and interventions: its head
# (who answers for what the agency says) and the officers who handle its cases.
MEETING_ROLES = {
    AgencyKind.MARKET_SUPERVISION: (Role.AGENCY_HEAD, Role.CASE_OFFICER),
    AgencyKind.OTHER_ADMIN: (Role.AGENCY_HEAD, Role.CASE_OFFICER),
    AgencyKind.POLICE: (Role.POLICE_HEAD, Role.POLICE_REVIEWER),
    AgencyKind.PROCURATORATE: (Role.CHIEF_PROCURATOR, Role.PROCURATOR),
}
HEAD_ROLES = (Role.AGENCY_HEAD, Role.POLICE_HEAD, Role.CHIEF_PROCURATOR)


# --- recipients and writing ----------------------------------------------------------------------


def _agency_people(agency_ids) -> list[Q]:
    """One clause per agency: its users holding the meeting roles of its kind."""
    kinds = Agency.objects.filter(pk__in=list(agency_ids)).values_list("pk", "kind")
    return [holding_role(pk, MEETING_ROLES[kind]) for pk, kind in kinds]


def _link(name: str, pk: int) -> str:
    try:
        return reverse(f"xianjie:{name}", args=[pk])
    except NoReverseMatch:  # a bare domain without the workflow site
        return ""


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _notify(*, users, key, title, body, params, link, at, kind=COORDINATION):
    """Writes the notification `key` for `users`, texts in the site's language; `body` may be
    a tuple of texts, joined."""
    if not users:
        return []
    parts = body if isinstance(body, tuple) else (body,)
    with translation.override(settings.LANGUAGE_CODE):
        title, body = str(title) % params, "".join(str(p) % params for p in parts)
    return notifications_create(
        recipients=[(user, kind) for user in users],
        key=key,
        title=title,
        body=body,
        link=link,
        at=at,
    )


# --- joint meetings ------------------------------------------------------------------------------


def _meeting_params(meeting: Meeting) -> dict:
    return {
        "title": meeting.title,
        "agency": meeting.convening_agency.name,
        "held": _local(meeting.held_at),
        "place": meeting.place,
    }


def notify_meeting_convened(*, meeting: Meeting, actor, at: datetime):
    """The invited agencies' heads and officers: the meeting, and their report to prepare."""
    invited = meeting.participants.exclude(agency_id=meeting.convening_agency_id)
    return _notify(
        users=users_where(*_agency_people(invited.values_list("agency_id", flat=True))),
        key=f"meeting_convened:{meeting.pk}",
        title=_("Joint meeting convened: %(title)s"),
        body=_(
            "%(agency)s convenes “%(title)s” on %(held)s at %(place)s. Please check your "
            "agency's situation report for %(start)s to %(end)s before the meeting."
        ),
        params={
            **_meeting_params(meeting),
            "start": meeting.period_start.isoformat(),
            "end": meeting.period_end.isoformat(),
        },
        link=_link("meeting_detail", meeting.pk),
        at=at,
    )


def _attending_ids(meeting: Meeting, *, others: bool = False) -> list[int]:
    """The attending agencies; with `others`, but the convening one."""
    attending = meeting.participants.filter(attended=True)
    if others:
        attending = attending.exclude(agency_id=meeting.convening_agency_id)
    return list(attending.values_list("agency_id", flat=True))


def notify_minutes_circulated(*, meeting: Meeting, actor, seq: int):
    """Each other attending agency's heads and officers: confirm or comment by the due time
    (circulating them was the convening agency's confirmation)."""
    return _notify(
        users=users_where(*_agency_people(_attending_ids(meeting, others=True))),
        key=f"minutes_circulated:{seq}",
        title=_("Minutes to confirm: %(title)s"),
        body=_(
            "The draft minutes of “%(title)s” (%(held)s) were circulated by %(agency)s. "
            "Please confirm them or comment by %(due)s."
        ),
        params={**_meeting_params(meeting), "due": _local(meeting.confirm_due_at)},
        link=_link("meeting_detail", meeting.pk),
        at=meeting.circulated_at,
    )


def notify_minutes_answered(*, meeting: Meeting, participant, actor, seq: int, at: datetime):
    """The convening agency's heads and officers: another agency confirmed or commented."""
    if participant.agency_id == meeting.convening_agency_id:
        return []
    if participant.confirmed_at:
        title = _("Minutes confirmed by %(who)s: %(title)s")
        body = _("%(who)s confirmed the minutes of “%(title)s”.")
    else:
        title = _("Comment on the minutes by %(who)s: %(title)s")
        body = _("%(who)s commented on the minutes of “%(title)s” without confirming them.")
    if participant.comment:
        body = (body, _(" Comment: %(comment)s"))
    return _notify(
        users=users_where(*_agency_people([meeting.convening_agency_id]), without=actor.pk),
        key=f"minutes_answered:{seq}",
        title=title,
        body=body,
        params={
            **_meeting_params(meeting),
            "who": participant.agency.name,
            "comment": participant.comment,
        },
        link=_link("meeting_detail", meeting.pk),
        at=at,
    )


def notify_minutes_issued(*, meeting: Meeting, document, actor, at: datetime):
    """The attending agencies: the minutes are issued; each follow-up item's owner: the item."""
    _notify(
        users=users_where(*_agency_people(_attending_ids(meeting)), without=actor.pk),
        key=f"minutes_issued:{meeting.pk}",
        title=_("Minutes issued: %(title)s"),
        body=_("%(agency)s issued the minutes of “%(title)s” as %(number)s."),
        params={**_meeting_params(meeting), "number": document.number},
        link=_link("meeting_detail", meeting.pk),
        at=at,
    )
    for item in meeting.follow_ups.select_related("owner_agency"):
        _notify(
            users=_follow_up_owners(item, with_heads=False),
            key=f"follow_up_assigned:{item.pk}",
            title=_("Follow-up item for your agency: %(title)s"),
            body=_("“%(action)s” (%(person)s), due %(due)s, from the minutes of “%(title)s”."),
            params=_follow_up_params(item, meeting),
            link=_link("meeting_detail", meeting.pk),
            at=at,
        )


def _follow_up_params(item: FollowUp, meeting: Meeting) -> dict:
    return {
        "title": meeting.title,
        "action": item.action,
        "person": item.owner_person,
        "due": _local(item.due_at),
    }


def _follow_up_owners(item: FollowUp, *, with_heads: bool) -> list[User]:
    """The owner agency's user named as the responsible person (by full name, where exactly
    one has it), else its head; its head as well with `with_heads`."""
    handlers = User.objects.filter(
        agency_id=item.owner_agency_id, is_active=True, groups__name__in=list(CASE_ROLES)
    )
    named = list(handlers.filter(full_name=item.owner_person).distinct()[:2])
    heads = holding_role(item.owner_agency_id, HEAD_ROLES)
    if len(named) == 1:
        return users_where(Q(pk=named[0].pk), heads if with_heads else None)
    return users_where(heads)


def notifications_for_overdue_follow_ups(*, at: datetime) -> int:
    """Tells, once per item, the owner person and the head of the owner agency of each open
    follow-up item of issued minutes past its due time; returns how many items. Called by the
    clock sweep: follow-up items are not statutory clocks (they run on no referral), so the
    sweep reads their due time here."""
    items = (
        FollowUp.objects.open()
        .filter(
            meeting__minutes_status=MinutesStatus.ISSUED,
            due_at__lt=at,
            overdue_notified_at__isnull=True,
        )
        .select_related("meeting", "owner_agency")
        # A second sweep running at once passes over the items this one is telling.
        .select_for_update(of=("self",), skip_locked=True)
    )
    count = 0
    for item in items:
        _notify(
            users=_follow_up_owners(item, with_heads=True),
            key=f"follow_up_overdue:{item.pk}",
            kind=NotificationKind.CLOCK_OVERDUE,
            title=_("Follow-up item overdue: %(action)s"),
            body=_(
                "“%(action)s” (%(person)s) from the minutes of “%(title)s” was due %(due)s "
                "and is not reported done."
            ),
            params=_follow_up_params(item, item.meeting),
            link=_link("meeting_detail", item.meeting_id),
            at=at,
        )
        FollowUp.objects.filter(pk=item.pk).update(overdue_notified_at=at)
        count += 1
    return count


# --- early intervention --------------------------------------------------------------------------


def _intervention_params(intervention: EarlyIntervention) -> dict:
    return {
        "ref": intervention.referral.reference,
        "case": intervention.referral.title,
        "reason": intervention.get_reason_category_display(),
        "agency": intervention.requesting_agency.name,
    }


def _requesting_officers(intervention: EarlyIntervention) -> Q:
    """The officer who asked and the case's own officers."""
    return Q(pk=intervention.requested_by_id) | owning_case(intervention.referral)


def _intervention_notify(intervention, *, users, key, title, body, at, **params):
    return _notify(
        users=users,
        key=key,
        title=title,
        body=body,
        params={**_intervention_params(intervention), **params},
        link=_link("intervention_detail", intervention.pk),
        at=at,
    )


def notify_intervention_requested(*, intervention: EarlyIntervention, actor, at: datetime):
    """The requesting agency's head: a request awaits approval."""
    return _intervention_notify(
        intervention,
        users=users_where(
            holding_role(intervention.requesting_agency_id, [Role.AGENCY_HEAD]), without=actor.pk
        ),
        key=f"intervention_approval:{intervention.pk}",
        title=_("Early intervention to approve: %(ref)s"),
        body=_("%(who)s asks for early intervention in “%(case)s” (%(reason)s)."),
        who=str(actor),
        at=at,
    )


def notify_intervention_decided(*, intervention: EarlyIntervention, actor, at: datetime):
    """Approved: the addressees' heads and officers are asked, the requester told; refused:
    the requester told why."""
    requester = users_where(_requesting_officers(intervention), without=actor.pk)
    if intervention.state != "requested":
        return _intervention_notify(
            intervention,
            users=requester,
            key=f"intervention_refused:{intervention.pk}",
            title=_("Early intervention not approved: %(ref)s"),
            body=_("The head did not approve early intervention in “%(case)s”: %(note)s"),
            note=intervention.decision_note,
            at=at,
        )
    agencies = intervention.addressees.values_list("agency_id", flat=True)
    due = intervention.addressees.values_list("due_at", flat=True).first()
    _intervention_notify(
        intervention,
        users=requester,
        key=f"intervention_approved:{intervention.pk}",
        title=_("Early intervention approved: %(ref)s"),
        body=_("The head approved early intervention in “%(case)s”; the request is sent."),
        at=at,
    )
    return _intervention_notify(
        intervention,
        users=users_where(*_agency_people(agencies)),
        key=f"intervention_requested:{intervention.pk}",
        title=_("Early intervention requested by %(agency)s: %(ref)s"),
        body=_(
            "%(agency)s asks your agency to intervene early in “%(case)s” (%(reason)s). "
            "Please answer by %(due)s."
        ),
        due=_local(due) if due else "",
        at=at,
    )


def notify_intervention_answered(
    *, intervention: EarlyIntervention, addressee: InterventionAddressee, actor, at: datetime
):
    """The requesting officers: an addressee accepted or declined."""
    return _intervention_notify(
        intervention,
        users=users_where(_requesting_officers(intervention), without=actor.pk),
        key=f"intervention_answer:{addressee.pk}",
        title=_("Answer to early intervention from %(who)s: %(ref)s"),
        body=_("%(who)s answered the request for “%(case)s”: %(answer)s. %(why)s"),
        who=addressee.agency.name,
        answer=addressee.get_answer_display(),
        why=addressee.answer_reason,
        at=at,
    )


def notify_intervention_assigned(
    *, intervention: EarlyIntervention, addressee: InterventionAddressee, actor, seq: int, at
):
    """The requesting officers: who intervenes; the assigned officers: that they do."""
    officers = list(addressee.officers.all())
    names = "、".join(str(o) for o in officers)
    _intervention_notify(
        intervention,
        users=users_where(_requesting_officers(intervention), without=actor.pk),
        key=f"intervention_officers:{seq}",
        title=_("Officers assigned to early intervention: %(ref)s"),
        body=_("%(who)s assigned %(names)s to “%(case)s”."),
        who=addressee.agency.name,
        names=names,
        at=at,
    )
    return _intervention_notify(
        intervention,
        users=users_where(Q(pk__in=[o.pk for o in officers]), without=actor.pk),
        key=f"intervention_assigned:{seq}",
        title=_("You are assigned to early intervention: %(ref)s"),
        body=_("You intervene early in “%(case)s” for %(who)s, asked by %(agency)s (%(reason)s)."),
        who=addressee.agency.name,
        at=at,
    )


def notify_intervention_closed(*, intervention: EarlyIntervention, actor, at: datetime):
    """Everyone else on it: the addressees' heads and officers, the assigned officers, the
    requesting officers."""
    addressees = intervention.addressees.all()
    officers = InterventionAddressee.officers.through.objects.filter(
        interventionaddressee__intervention=intervention
    ).values("user_id")
    return _intervention_notify(
        intervention,
        users=users_where(
            *_agency_people([a.agency_id for a in addressees]),
            Q(pk__in=officers),
            _requesting_officers(intervention),
            without=actor.pk,
        ),
        key=f"intervention_closed:{intervention.pk}",
        title=_("Early intervention closed: %(ref)s"),
        body=_("%(agency)s closed the request for “%(case)s”. Outcome: %(outcome)s"),
        outcome=intervention.outcome,
        at=at,
    )


# --- case consultation ---------------------------------------------------------------------------


def _consultation_people(consultation: Consultation, *, invited_only: bool = False) -> list[Q]:
    agencies = list(consultation.participants.values_list("agency_id", flat=True))
    if invited_only:
        return _agency_people(agencies)
    return [
        *_agency_people([consultation.opening_agency_id, *agencies]),
        Q(pk=consultation.opened_by_id),
    ]


def _consultation_notify(consultation, *, users, key, title, body, at, **params):
    return _notify(
        users=users,
        key=key,
        title=title,
        body=body,
        params={"title": consultation.title, "agency": consultation.opening_agency.name, **params},
        link=_link("consultation_detail", consultation.pk),
        at=at,
    )


def notify_consultation_opened(*, consultation: Consultation, actor, at: datetime):
    """The invited agencies' heads and officers: the question put to them."""
    return _consultation_notify(
        consultation,
        users=users_where(*_consultation_people(consultation, invited_only=True)),
        key=f"consultation_opened:{consultation.pk}",
        title=_("Case consultation: %(title)s"),
        body=_("%(agency)s invites your agency to a case consultation. Question: %(question)s"),
        question=consultation.question,
        at=at,
    )


def notify_consultation_reply(*, consultation: Consultation, reply: ConsultationReply, actor):
    """Everyone else in the thread: a reply."""
    return _consultation_notify(
        consultation,
        users=users_where(*_consultation_people(consultation), without=actor.pk),
        key=f"consultation_reply:{reply.pk}",
        title=_("Reply in the consultation: %(title)s"),
        body=_("%(who)s (%(from)s): %(text)s"),
        who=str(actor),
        text=reply.text,
        at=reply.created_at,
        **{"from": reply.agency.name},
    )


def notify_consultation_closed(*, consultation: Consultation, actor, at: datetime):
    """Everyone else in the thread: the conclusion."""
    return _consultation_notify(
        consultation,
        users=users_where(*_consultation_people(consultation), without=actor.pk),
        key=f"consultation_closed:{consultation.pk}",
        title=_("Consultation concluded: %(title)s"),
        body=_("%(agency)s concluded the consultation. Conclusion: %(conclusion)s"),
        conclusion=consultation.conclusion,
        at=at,
    )


# --- clues between stations ----------------------------------------------------------------------


def _station_users(agency_id: int, roles=CASE_ROLES) -> Q:
    return holding_role(agency_id, roles)


def notify_clue_passed(*, clue: Clue, actor, at: datetime):
    """The police station's users: a clue to answer by its due time."""
    return _notify(
        users=users_where(_station_users(clue.to_station_id)),
        key=f"clue_passed:{clue.pk}",
        title=_("Clue from %(station)s: %(title)s"),
        body=_("%(station)s passed a clue (%(place)s). Please answer by %(due)s."),
        params={
            "station": clue.from_station.name,
            "title": clue.title,
            "place": clue.place,
            "due": _local(clue.due_at),
        },
        link=_link("clue_detail", clue.pk),
        at=at,
    )


def notify_clue_answered(*, clue: Clue, actor, at: datetime):
    """The passing station's users (and the county bureau's case officers where the clue
    needs a formal transfer, which they open): the answer."""
    bureau = None
    if clue.answer == ClueAnswer.NEEDS_TRANSFER:
        bureau = holding_role(clue.from_station.parent_id, [Role.CASE_OFFICER])
    return _notify(
        users=users_where(_station_users(clue.from_station_id), bureau, without=actor.pk),
        key=f"clue_answered:{clue.pk}",
        title=_("Answer to the clue: %(title)s"),
        body=_("%(station)s answered: %(answer)s. %(why)s"),
        params={
            "station": clue.to_station.name,
            "title": clue.title,
            "answer": clue.get_answer_display(),
            "why": clue.answer_reason,
        },
        link=_link("clue_detail", clue.pk),
        at=at,
    )
