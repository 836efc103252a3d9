"""Reads of early interventions for pages, always scoped to the user
(referral.intervention_access)."""

from django.db.models import Prefetch, Q, QuerySet

from . import intervention_access
from .models import (
    OPEN_INTERVENTION_STATES,
    EarlyIntervention,
    InterventionAddressee,
    InterventionNote,
    Referral,
    User,
)


def _addressee_rows(user) -> QuerySet[InterventionAddressee]:
    """One row per addressee of an intervention the user may see, with what a list shows."""
    condition = intervention_access.intervention_visibility_filter(user, prefix="intervention__")
    if condition is None:
        return InterventionAddressee.objects.none()
    return (
        InterventionAddressee.objects.filter(condition)
        .select_related("intervention__referral", "intervention__requesting_agency", "agency")
        .order_by("-intervention__requested_at", "-intervention_id", "pk")
    )


def intervention_rows_for_user(user, *, open_only: bool = False, text: str = ""):
    """The addressee rows of the interventions the user's agency asked for or was asked in,
    newest request first; `text` narrows to reason, case reference or title."""
    rows = _addressee_rows(user)
    if open_only:
        rows = rows.filter(intervention__state__in=OPEN_INTERVENTION_STATES)
    if text.strip():
        t = text.strip()
        rows = rows.filter(
            Q(intervention__reason__icontains=t)
            | Q(intervention__referral__reference__icontains=t)
            | Q(intervention__referral__title__icontains=t)
        )
    return rows


def intervention_rows_for_referral(user, referral: Referral):
    """The addressee rows of the referral's interventions the user may see (one query)."""
    return _addressee_rows(user).filter(intervention__referral=referral)


def intervention_detail_for_user(user: User, intervention_id: int) -> EarlyIntervention:
    """The intervention with everything its page shows; NotFound alike when missing or not the
    user's agency's."""
    queryset = EarlyIntervention.objects.select_related(
        "referral", "requesting_agency", "requested_by", "decided_by"
    ).prefetch_related(
        Prefetch(
            "addressees",
            queryset=InterventionAddressee.objects.select_related(
                "agency", "answered_by"
            ).prefetch_related("officers"),
        ),
        Prefetch("notes", queryset=InterventionNote.objects.select_related("author", "agency")),
    )
    return intervention_access.intervention_get_for_user(
        user=user, intervention_id=intervention_id, queryset=queryset
    )


def officers_to_assign(user) -> QuerySet[User]:
    """The user's agency's active members, for the assignment form."""
    return User.objects.filter(agency_id=user.agency_id, is_active=True).order_by("username")
