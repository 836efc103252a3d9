"""Who may see and act on which passed clue: one rule, read as a predicate and as a query
filter, and the door that loads a clue for a user.

A clue is seen by the station that passed it and the police station it went to, and by the
county agency above each (the bureau turns a clue into a referral; the county police oversee
their station). Another agency's clue looks exactly like a missing one.
"""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .meeting_access import CASE_ROLES
from .models import Clue, Role
from .services.errors import NotFound

SIDES = ("from_station", "to_station")


def _agency_of(user) -> int | None:
    if user is None or not user.is_authenticated or not any(map(user.has_role, CASE_ROLES)):
        return None
    return user.agency_id


def may_view_clue(user, clue: Clue) -> bool:
    """The rule as a predicate (reads both stations' parents: select them related)."""
    agency_id = _agency_of(user)
    if agency_id is None:
        return False
    return any(
        agency_id in (getattr(clue, f"{side}_id"), getattr(clue, side).parent_id) for side in SIDES
    )


def clue_visibility_filter(user) -> Q | None:
    agency_id = _agency_of(user)
    if agency_id is None:
        return None
    condition = Q(pk__in=[])
    for side in SIDES:
        condition |= Q(**{f"{side}_id": agency_id}) | Q(**{f"{side}__parent_id": agency_id})
    return condition


def clues_visible_to(user, queryset: QuerySet[Clue] | None = None) -> QuerySet[Clue]:
    queryset = Clue.objects.all() if queryset is None else queryset
    condition = clue_visibility_filter(user)
    return queryset.none() if condition is None else queryset.filter(condition)


def clue_get_for_user(*, user, clue_id: int, queryset: QuerySet[Clue] | None = None) -> Clue:
    """The clue, or NotFound alike for a missing one and one `user` may not see."""
    found = clues_visible_to(user, queryset).filter(pk=clue_id).first()
    if found is None:
        raise NotFound(_("No such clue."))
    return found


def clue_lock_for_user(*, user, clue_id: int) -> Clue:
    queryset = Clue.objects.select_for_update(of=("self",), no_key=True).select_related(
        "from_station", "to_station"
    )
    return clue_get_for_user(user=user, clue_id=clue_id, queryset=queryset)


def may_pass_clue(user) -> bool:
    """Case officers of a market-supervision station paired with a police station."""
    agency = user.agency if _agency_of(user) is not None else None
    return (
        agency is not None
        and user.has_role(Role.CASE_OFFICER)
        and agency.level == "station"
        and agency.paired_station_id is not None
    )


def may_answer_clue(user, clue: Clue) -> bool:
    """The police station the clue went to."""
    return _agency_of(user) == clue.to_station_id


def may_make_referral(user, clue: Clue) -> bool:
    """Case officers of the passing station's county bureau."""
    return (
        _agency_of(user) is not None
        and user.has_role(Role.CASE_OFFICER)
        and user.agency_id == clue.from_station.parent_id
    )
