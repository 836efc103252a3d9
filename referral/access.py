"""Who may see which referral: one rule, read as a predicate and as a queryset filter, and the
doors that load referrals and documents for a user.

A referral of another agency looks exactly like a missing one (NotFound), so nothing about its
existence leaks. Every view, service and selector loads a referral through these doors.
"""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .consultation_access import shares_attachment
from .documents.types import PRIVATE_TYPES
from .meeting_access import may_view_meeting
from .models import Attachment, Document, Referral
from .services.errors import NotFound

# The visibility rule. Each clause: the referral field that must hold the user's agency, and the
# field that must be set as well (None: nothing more). The transferring agency and the
# supervising procuratorate see the referral throughout; the police organ holding it sees it
# once it has been transferred (《行政执法机关移送涉嫌犯罪案件的规定》第六条、第七条).
VISIBILITY_CLAUSES: tuple[tuple[str, str | None], ...] = (
    ("agency_id", None),
    ("procuratorate_id", None),
    ("police_agency_id", "transferred_at"),
)


def _agency_of(user) -> int | None:
    if user is None or not user.is_authenticated:
        return None
    return user.agency_id


def may_view(user, referral: Referral) -> bool:
    """The rule as a predicate on a loaded referral."""
    agency_id = _agency_of(user)
    if agency_id is None:
        return False
    return any(
        getattr(referral, field) == agency_id
        and (required is None or getattr(referral, required) is not None)
        for field, required in VISIBILITY_CLAUSES
    )


def visibility_filter(user) -> Q | None:
    """The rule as a query filter; None when the user sees nothing."""
    agency_id = _agency_of(user)
    if agency_id is None:
        return None
    condition = Q(pk__in=[])
    for field, required in VISIBILITY_CLAUSES:
        clause = Q(**{field: agency_id})
        if required is not None:
            clause &= Q(**{f"{required}__isnull": False})
        condition |= clause
    return condition


def referrals_visible_to(user, queryset: QuerySet[Referral] | None = None) -> QuerySet[Referral]:
    """`queryset` (all referrals by default) narrowed to those `user` may see."""
    queryset = Referral.objects.all() if queryset is None else queryset
    condition = visibility_filter(user)
    return queryset.none() if condition is None else queryset.filter(condition)


def referral_get_for_user(
    *, user, referral_id: int, queryset: QuerySet[Referral] | None = None
) -> Referral:
    """The referral, or NotFound alike for a missing one and one `user` may not see."""
    referral = referrals_visible_to(user, queryset).filter(pk=referral_id).first()
    if referral is None:
        raise NotFound()
    return referral


def referral_lock_for_user(*, user, referral_id: int) -> Referral:
    """Loads and row-locks the referral (for the rest of the caller's transaction); NotFound
    when it is missing or invisible to `user`. Only the referral's own row is locked, and with
    FOR NO KEY UPDATE: writers of the referral wait for each other, while rows that merely
    reference it (audit events, clocks, documents) can still be inserted meanwhile."""
    referral = (
        Referral.objects.select_for_update(of=("self",), no_key=True)
        .select_related("agency", "police_agency", "procuratorate")
        .filter(pk=referral_id)
    )
    # The user's roles, asked next by every caller's permission check, come with the row when
    # this request has not read them yet: one round trip less per step.
    read_roles = _agency_of(user) is not None and "role_codes" not in user.__dict__
    if read_roles:
        referral = referral.annotate(user_role_codes=user.role_codes_subquery())
    referral = referral.first()
    if read_roles and referral is not None:
        user.role_codes_remember(referral.user_role_codes)
    # The rule as a predicate on the row just locked: a key lookup is cheaper to build and run
    # than the filter, and the answer is the same (tests/referral/test_access.py).
    if referral is None or not may_view(user, referral):
        raise NotFound()
    return referral


def document_get_for_user(*, user, document_id: int) -> Document:
    """The document if `user` may see its owner (referral or meeting); NotFound alike
    otherwise."""
    document = Document.objects.select_related("referral", "meeting").filter(pk=document_id).first()
    if document is None:
        raise NotFound(_("No such document."))
    if document.referral is not None:
        visible = may_view(user, document.referral)
        if document.doc_type in PRIVATE_TYPES:
            # The agency's own print (the case summary): its agency alone sees it.
            visible = visible and _agency_of(user) == document.issuing_agency_id
    else:
        visible = may_view_meeting(user, document.meeting)
    if not visible:
        raise NotFound(_("No such document."))
    return document


def attachment_get_for_user(*, user, attachment_id: int) -> Attachment:
    """The attachment if `user` may see its referral, or a case consultation shares it with
    them (consultation_access); NotFound alike otherwise."""
    attachment = Attachment.objects.select_related("referral").filter(pk=attachment_id).first()
    if attachment is None or not (
        may_view(user, attachment.referral) or shares_attachment(user, attachment)
    ):
        raise NotFound(_("No such attachment."))
    return attachment
