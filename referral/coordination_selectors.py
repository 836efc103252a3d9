"""Reads across the coordination outside single referrals (joint meetings, early
interventions, case consultations, clues between stations), scoped to the user by each
one's access module: a search over all of them, and what a case list and case page mark."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from . import (
    clue_selectors,
    consultation_access,
    consultation_selectors,
    intervention_access,
    intervention_selectors,
    meeting_access,
    meeting_selectors,
)
from .models import AgendaItem, Consultation, EarlyIntervention, Meeting, Referral

SEARCH_LIMIT = 50


@dataclass
class CoordinationSearch:
    meetings: list
    interventions: list
    consultations: list
    clues: list

    @property
    def empty(self) -> bool:
        return not (self.meetings or self.interventions or self.consultations or self.clues)


def coordination_search(user, *, text: str, at) -> CoordinationSearch:
    """The items of each kind the user may see whose title or summary text holds `text`:
    one query per kind."""
    meetings = meeting_selectors.meeting_list_for_user(user, at=at).filter(
        Q(title__icontains=text) | Q(place__icontains=text)
    )
    return CoordinationSearch(
        meetings=list(meetings[:SEARCH_LIMIT]),
        interventions=list(
            intervention_selectors.intervention_rows_for_user(user, text=text)[:SEARCH_LIMIT]
        ),
        consultations=list(
            consultation_selectors.consultation_list_for_user(user, text=text)[:SEARCH_LIMIT]
        ),
        clues=list(clue_selectors.clue_list_for_user(user, text=text)[:SEARCH_LIMIT]),
    )


def referrals_with_coordination(user, queryset: QuerySet[Referral]) -> QuerySet[Referral]:
    """`queryset` annotated, in the same query, with whether an early intervention or a case
    consultation the user's agency takes part in runs on each referral."""
    interventions = intervention_access.interventions_visible_to(
        user, EarlyIntervention.objects.filter(referral=OuterRef("pk"))
    )
    consultations = consultation_access.consultations_visible_to(
        user, Consultation.objects.filter(referral=OuterRef("pk"))
    )
    return queryset.annotate(
        has_intervention=Exists(interventions), has_consultation=Exists(consultations)
    )


def meetings_on_referral(user, referral: Referral) -> QuerySet[Meeting]:
    """The joint meetings the user's agency takes part in whose agenda holds the referral."""
    on_agenda = AgendaItem.objects.filter(meeting=OuterRef("pk"), referral=referral)
    return meeting_access.meetings_visible_to(user).filter(Exists(on_agenda))
