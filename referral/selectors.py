"""Reads shared by views, commands and exports, always scoped to the user."""

from django.db.models import Q, QuerySet

from .models import Referral, User
from .services.errors import NotFound


def referral_list_for_user(user: User) -> QuerySet[Referral]:
    """Referrals the user may see: their agency's own, those their procuratorate supervises, and
    those transferred to their police organ (same rule as permissions.may_view)."""
    if not user.is_authenticated or user.agency_id is None:
        return Referral.objects.none()
    return Referral.objects.for_list().filter(
        Q(agency_id=user.agency_id)
        | Q(procuratorate_id=user.agency_id)
        | Q(police_agency_id=user.agency_id, transferred_at__isnull=False)
    )


def referral_get_for_user(user: User, referral_id: int) -> Referral:
    """The referral, or NotFound alike for a missing one and one of another agency."""
    referral = referral_list_for_user(user).filter(pk=referral_id).first()
    if referral is None:
        raise NotFound()
    return referral
