"""Reads shared by views, commands and exports, always scoped to the user (referral.access)."""

from django.db.models import QuerySet

from . import access
from .models import Referral, User


def referral_list_for_user(user: User) -> QuerySet[Referral]:
    """Referrals the user may see, with what the lists show."""
    return access.referrals_visible_to(user, Referral.objects.for_list())


def referral_get_for_user(user: User, referral_id: int) -> Referral:
    """The referral, or NotFound alike for a missing one and one of another agency."""
    return access.referral_get_for_user(
        user=user, referral_id=referral_id, queryset=Referral.objects.for_list()
    )
