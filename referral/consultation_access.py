"""Who may see which case consultation: one rule, read as a predicate and as a query filter,
and the door that loads a consultation for a user.

A consultation is seen by the agency that opened it and by the agencies it invited. An
invited agency sees what the consultation shares (the summary and the chosen attachments) and
not the case page, unless the case itself is visible to it (referral.access). Another agency's
consultation looks exactly like a missing one.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .meeting_access import CASE_ROLES
from .models import Consultation, ConsultationParticipant
from .services.errors import NotFound


def _agency_of(user) -> int | None:
    if user is None or not user.is_authenticated or not any(map(user.has_role, CASE_ROLES)):
        return None
    return user.agency_id


def may_view_consultation(user, consultation: Consultation) -> bool:
    """The rule as a predicate (reads `consultation.participants`, prefetched or not)."""
    agency_id = _agency_of(user)
    if agency_id is None:
        return False
    return consultation.opening_agency_id == agency_id or any(
        p.agency_id == agency_id for p in consultation.participants.all()
    )


def consultation_visibility_filter(user, prefix: str = "") -> Q | None:
    """The rule as a query filter on consultations (or, with a `prefix` such as
    "consultation__", on rows that point to one); None when the user sees none."""
    agency_id = _agency_of(user)
    if agency_id is None:
        return None
    invited = ConsultationParticipant.objects.filter(
        consultation=OuterRef(f"{prefix}pk"), agency_id=agency_id
    )
    return Q(**{f"{prefix}opening_agency_id": agency_id}) | Q(Exists(invited))


def consultations_visible_to(
    user, queryset: QuerySet[Consultation] | None = None
) -> QuerySet[Consultation]:
    queryset = Consultation.objects.all() if queryset is None else queryset
    condition = consultation_visibility_filter(user)
    return queryset.none() if condition is None else queryset.filter(condition)


def consultation_get_for_user(
    *, user, consultation_id: int, queryset: QuerySet[Consultation] | None = None
) -> Consultation:
    """The consultation, or NotFound alike for a missing one and one `user` may not see."""
    found = consultations_visible_to(user, queryset).filter(pk=consultation_id).first()
    if found is None:
        raise NotFound(_("No such consultation."))
    return found


def consultation_lock_for_user(*, user, consultation_id: int) -> Consultation:
    """Loads and row-locks the consultation for the rest of the caller's transaction."""
    queryset = Consultation.objects.select_for_update(of=("self",), no_key=True)
    return consultation_get_for_user(user=user, consultation_id=consultation_id, queryset=queryset)


def is_opening_side(user, consultation: Consultation) -> bool:
    agency_id = _agency_of(user)
    return agency_id is not None and consultation.opening_agency_id == agency_id


def shares_attachment(user, attachment) -> bool:
    """Whether a consultation the user may see shares `attachment` with them."""
    condition = consultation_visibility_filter(user)
    if condition is None:
        return False
    return (
        Consultation.objects.filter(condition, shared_attachments=attachment).values("pk").exists()
    )
