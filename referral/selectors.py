"""Reads shared by views, commands and exports, always scoped to the user (referral.access)."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from . import access, deadlines
from .clock_rules import REVIEW_EXTENSION_RULES
from .lifecycle import CLOSABLE_STATES, STATE_OWNERS
from .models import (
    AttachmentRead,
    CaseFileRead,
    Clock,
    ClockState,
    Document,
    Notification,
    Party,
    Referral,
    User,
)
from .roles import Side

# The stages a case list is filtered by: who holds the case now, read from the state table
# (the side that acts next; a closable outcome and a closed file are stages of their own).
STAGE_AGENCY = "agency"
STAGE_POLICE = "police"
STAGE_PROCURATORATE = "procuratorate"
STAGE_OUTCOME = "outcome"
STAGE_CLOSED = "closed"


def _stage_of(state: str) -> str:
    owner = STATE_OWNERS[state]
    if owner is None:
        return STAGE_CLOSED
    if state in CLOSABLE_STATES:
        return STAGE_OUTCOME
    return {
        Side.AGENCY: STAGE_AGENCY,
        Side.POLICE: STAGE_POLICE,
        Side.PROCURATORATE: STAGE_PROCURATORATE,
    }[owner[0]]


def stage_states(stage: str) -> tuple[str, ...]:
    """The states that make up `stage`."""
    return tuple(state for state in STATE_OWNERS if _stage_of(state) == stage)


def referral_list_for_user(user: User) -> QuerySet[Referral]:
    """Referrals the user may see, with what the lists show."""
    return access.referrals_visible_to(user, Referral.objects.for_list())


def referral_get_for_user(user: User, referral_id: int) -> Referral:
    """The referral, or NotFound alike for a missing one and one of another agency."""
    return access.referral_get_for_user(
        user=user, referral_id=referral_id, queryset=Referral.objects.for_list()
    )


def referral_search(*, referrals: QuerySet[Referral], text: str) -> QuerySet[Referral]:
    """`referrals` whose reference, title, a party's name or ID / credit code, or a document's
    number contains `text`. Parties and documents are matched in subqueries so a referral with
    several matches is listed once, without DISTINCT over the joined list."""
    text = text.strip()
    if not text:
        return referrals
    party = Party.objects.filter(referral=OuterRef("pk")).filter(
        Q(name__icontains=text) | Q(id_number__icontains=text)
    )
    document = Document.objects.filter(referral=OuterRef("pk"), number__icontains=text)
    return referrals.filter(
        Q(reference__icontains=text) | Q(title__icontains=text) | Exists(party) | Exists(document)
    )


def referral_overdue(*, referrals: QuerySet[Referral], now) -> QuerySet[Referral]:
    """`referrals` with a statutory clock past its due moment: marked overdue by the sweep, or
    still running past due because the sweep has not come round yet."""
    late = Clock.objects.filter(referral=OuterRef("pk")).filter(
        Q(state=ClockState.OVERDUE) | Q(state=ClockState.RUNNING, due_at__lt=now)
    )
    return referrals.filter(Exists(late))


def attachment_reads_for_user(*, user: User, referral: Referral) -> QuerySet[AttachmentRead]:
    """Reads of the referral's attachments that `user` may see: those by members of the
    user's own agency (the other sides' reading is theirs; the audit administrator sees every
    read in the admin). `referral` must have been loaded through referral.access."""
    if user.agency_id is None:
        return AttachmentRead.objects.none()
    return AttachmentRead.objects.filter(
        attachment__referral=referral, reader_agency_id=user.agency_id
    ).select_related("reader", "attachment")


def case_file_reads_for_user(*, user: User, referral: Referral) -> QuerySet[CaseFileRead]:
    """Openings of the case file `user` may see: those by members of the user's own agency
    (as for attachment reads). `referral` must have been loaded through referral.access."""
    if user.agency_id is None:
        return CaseFileRead.objects.none()
    return CaseFileRead.objects.filter(
        referral=referral, reader_agency_id=user.agency_id
    ).select_related("reader")


def notification_list_for_user(user) -> QuerySet[Notification]:
    """The user's own notifications, newest first (nobody reads another's)."""
    return Notification.objects.filter(recipient_id=user.pk).order_by("-created_at", "-pk")


def review_extensions_available(referral: Referral) -> list:
    """The extensions of the police review the rule set of the organ holding `referral`
    provides (e.g. Suzhou: 7 days when clues need checking, 30 for a major case), resolved with
    their periods and articles; none nationally (Decree 310 art. 8 sets 3 days)."""
    region = referral.police_agency.region_code if referral.police_agency_id else None
    if not region:
        return []
    resolved = (deadlines.resolve_rule(code, region_code=region) for code in REVIEW_EXTENSION_RULES)
    return [rule for rule in resolved if rule is not None]
