"""Reads of joint meetings for pages, always scoped to the user (referral.meeting_access), and
the figures an agency's situation report is pre-filled with."""

from datetime import date, datetime

from django.db.models import Count, Prefetch, Q, QuerySet

from . import meeting_access
from .models import (
    Agency,
    AgendaItem,
    AuditEvent,
    Clock,
    ClockState,
    FollowUp,
    Meeting,
    MeetingParticipant,
    MinutesStatus,
    Opinion,
    SituationReport,
    User,
)


def meeting_list_for_user(user: User, *, at: datetime) -> QuerySet[Meeting]:
    """Meetings the user's agency takes part in, with their open and overdue follow-up counts."""
    open_items = Q(follow_ups__done_at__isnull=True)
    return meeting_access.meetings_visible_to(
        user, Meeting.objects.select_related("convening_agency")
    ).annotate(
        open_follow_ups=Count("follow_ups", filter=open_items),
        overdue_follow_ups=Count("follow_ups", filter=open_items & Q(follow_ups__due_at__lt=at)),
    )


def meeting_detail_for_user(user: User, meeting_id: int) -> Meeting:
    """The meeting with everything its page shows; NotFound alike when missing or not the
    user's agency's."""
    queryset = Meeting.objects.select_related("convening_agency").prefetch_related(
        Prefetch("participants", queryset=MeetingParticipant.objects.select_related("agency")),
        Prefetch("reports", queryset=SituationReport.objects.select_related("agency")),
        Prefetch(
            "agenda",
            queryset=AgendaItem.objects.select_related("referral").prefetch_related(
                Prefetch("opinions", queryset=Opinion.objects.select_related("agency"))
            ),
        ),
        "decisions",
        Prefetch("follow_ups", queryset=FollowUp.objects.select_related("owner_agency")),
        "documents",
    )
    return meeting_access.meeting_get_for_user(user=user, meeting_id=meeting_id, queryset=queryset)


def follow_ups_open_for_agency(user: User) -> QuerySet[FollowUp]:
    """Open follow-up items of issued minutes owned by the user's agency, soonest due first."""
    if not meeting_access.may_convene(user):
        return FollowUp.objects.none()
    return (
        FollowUp.objects.open()
        .filter(owner_agency_id=user.agency_id, meeting__minutes_status=MinutesStatus.ISSUED)
        .select_related("meeting")
        .order_by("due_at", "pk")
    )


def agencies_to_invite(user: User) -> QuerySet[Agency]:
    """Agencies a meeting may invite: every agency but the user's own."""
    return Agency.objects.exclude(pk=user.agency_id).order_by("level", "code")


# The steps whose runs in the period make each figure of a situation report.
FIGURE_STEPS = {
    "transferred": ("transfer",),
    "received": ("sign_receipt",),
    "filed": ("file_case", "reconsider_file", "file_as_ordered"),
    "not_filed": ("decline_filing", "reconsider_uphold"),
    "reconsidered": ("request_reconsideration",),
    "supervised": ("request_filing_supervision", "open_supervision"),
}


def situation_figures(*, agency_id: int, start: date, end: date) -> dict[str, int]:
    """An agency's figures for the period, from the referrals it stands on any side of: one
    aggregate query over the audit trail for the steps, one over the clocks for the periods
    that ran out (overdue, or met late) with their due time in the period."""
    on_its_referrals = (
        Q(referral__agency_id=agency_id)
        | Q(referral__police_agency_id=agency_id)
        | Q(referral__procuratorate_id=agency_id)
    )
    events = AuditEvent.objects.filter(
        on_its_referrals, created_at__date__gte=start, created_at__date__lte=end
    ).aggregate(
        **{
            figure: Count("referral", filter=Q(action__in=steps), distinct=True)
            for figure, steps in FIGURE_STEPS.items()
        }
    )
    events["overdue"] = Clock.objects.filter(
        owner_agency_id=agency_id,
        state__in=(ClockState.OVERDUE, ClockState.MET_LATE),
        due_at__date__gte=start,
        due_at__date__lte=end,
    ).count()
    return events
