"""Reads of case consultations for pages, always scoped to the user
(referral.consultation_access)."""

from django.db.models import Prefetch, Q, QuerySet

from . import consultation_access
from .models import (
    Consultation,
    ConsultationParticipant,
    ConsultationReply,
    ConsultationState,
    Referral,
    User,
)


def consultation_list_for_user(
    user, *, open_only: bool = False, text: str = ""
) -> QuerySet[Consultation]:
    """Consultations the user's agency opened or was invited to, newest first; `text` narrows
    to title, question or summary."""
    rows = consultation_access.consultations_visible_to(
        user, Consultation.objects.select_related("referral", "opening_agency")
    )
    if open_only:
        rows = rows.filter(state=ConsultationState.OPEN)
    if text.strip():
        t = text.strip()
        rows = rows.filter(
            Q(title__icontains=t) | Q(question__icontains=t) | Q(summary__icontains=t)
        )
    return rows


def consultations_for_referral(user, referral: Referral) -> QuerySet[Consultation]:
    """The referral's consultations the user's agency takes part in (one query)."""
    return consultation_list_for_user(user).filter(referral=referral)


def consultation_detail_for_user(user: User, consultation_id: int) -> Consultation:
    """The consultation with what its page shows; NotFound alike when missing or not the
    user's agency's."""
    queryset = Consultation.objects.select_related(
        "referral", "opening_agency", "opened_by"
    ).prefetch_related(
        Prefetch("participants", queryset=ConsultationParticipant.objects.select_related("agency")),
        "shared_attachments",
        Prefetch("replies", queryset=ConsultationReply.objects.select_related("author", "agency")),
    )
    return consultation_access.consultation_get_for_user(
        user=user, consultation_id=consultation_id, queryset=queryset
    )
