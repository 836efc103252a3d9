"""Who may see and act on which joint meeting: one rule, read as a predicate and as a queryset
filter, and the doors that load a meeting for a user (the meeting counterpart of access.py).

A meeting is seen by the agencies taking part in it: the convening agency and every invited
one. The convening agency runs the meeting (agenda, attendance, decisions, follow-ups,
circulating and issuing the minutes); an invited agency that attended reports its figures,
gives its opinions and confirms the minutes. An invited agency that stayed away reads, but
neither writes nor confirms: it cannot vouch for a discussion it did not hear. A meeting
another agency holds looks exactly like a missing one.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Meeting, MeetingParticipant
from .roles import Role
from .services.errors import NotFound

# Roles that handle cases; the separated administrators never take part in meetings.
CASE_ROLES = (
    Role.CASE_OFFICER,
    Role.AGENCY_HEAD,
    Role.POLICE_INTAKE,
    Role.POLICE_REVIEWER,
    Role.POLICE_HEAD,
    Role.PROCURATOR,
    Role.CHIEF_PROCURATOR,
)


def _agency_of(user) -> int | None:
    if user is None or not user.is_authenticated or not any(map(user.has_role, CASE_ROLES)):
        return None
    return user.agency_id


def may_view_meeting(user, meeting: Meeting) -> bool:
    """The rule as a predicate (reads `meeting.participants`, prefetched or not)."""
    agency_id = _agency_of(user)
    if agency_id is None:
        return False
    return meeting.convening_agency_id == agency_id or any(
        p.agency_id == agency_id for p in meeting.participants.all()
    )


def meeting_visibility_filter(user) -> Q | None:
    """The rule as a query filter; None when the user sees no meeting."""
    agency_id = _agency_of(user)
    if agency_id is None:
        return None
    invited = MeetingParticipant.objects.filter(meeting=OuterRef("pk"), agency_id=agency_id)
    return Q(convening_agency_id=agency_id) | Q(Exists(invited))


def meetings_visible_to(user, queryset: QuerySet[Meeting] | None = None) -> QuerySet[Meeting]:
    queryset = Meeting.objects.all() if queryset is None else queryset
    condition = meeting_visibility_filter(user)
    return queryset.none() if condition is None else queryset.filter(condition)


def may_run_meeting(user, meeting: Meeting) -> bool:
    """The convening agency's case handlers run the meeting."""
    agency_id = _agency_of(user)
    return agency_id is not None and meeting.convening_agency_id == agency_id


def attending_participant(user, meeting: Meeting) -> MeetingParticipant | None:
    """The user's agency's participation if it attended the meeting, else None."""
    agency_id = _agency_of(user)
    if agency_id is None:
        return None
    return next(
        (p for p in meeting.participants.all() if p.agency_id == agency_id and p.attended), None
    )


def meeting_get_for_user(
    *, user, meeting_id: int, queryset: QuerySet[Meeting] | None = None
) -> Meeting:
    """The meeting, or NotFound alike for a missing one and one `user` may not see."""
    meeting = meetings_visible_to(user, queryset).filter(pk=meeting_id).first()
    if meeting is None:
        raise NotFound(_("No such meeting."))
    return meeting


def meeting_lock_for_user(*, user, meeting_id: int) -> Meeting:
    """Loads and row-locks the meeting for the rest of the caller's transaction: every write
    to a meeting or its parts takes this lock first, so they run one after another."""
    queryset = Meeting.objects.select_for_update(of=("self",), no_key=True).select_related(
        "convening_agency"
    )
    return meeting_get_for_user(user=user, meeting_id=meeting_id, queryset=queryset)


def may_convene(user) -> bool:
    """Any agency's case handlers may convene a meeting of their agency."""
    return _agency_of(user) is not None


def may_complete_follow_up(user, follow_up) -> bool:
    """The owner agency's case handlers report a follow-up item done."""
    agency_id = _agency_of(user)
    return agency_id is not None and follow_up.owner_agency_id == agency_id
