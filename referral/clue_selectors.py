"""Reads of passed clues for pages, always scoped to the user (referral.clue_access)."""

from django.db.models import Q, QuerySet

from . import clue_access
from .models import Clue, User


def clue_list_for_user(user, *, open_only: bool = False, text: str = "") -> QuerySet[Clue]:
    """Clues the user's agency passed, received or oversees, newest first; `open_only`: not
    yet answered, or to be turned into a referral; `text` narrows to title, summary or place."""
    rows = clue_access.clues_visible_to(
        user, Clue.objects.select_related("from_station", "to_station")
    )
    if open_only:
        rows = rows.filter(Q(answered_at__isnull=True) | Q(answer="needs_transfer", referral=None))
    if text.strip():
        t = text.strip()
        rows = rows.filter(Q(title__icontains=t) | Q(summary__icontains=t) | Q(place__icontains=t))
    return rows


def clue_detail_for_user(user: User, clue_id: int) -> Clue:
    queryset = Clue.objects.select_related(
        "from_station", "to_station", "passed_by", "answered_by", "referral"
    ).prefetch_related("parties", "attachments")
    return clue_access.clue_get_for_user(user=user, clue_id=clue_id, queryset=queryset)
