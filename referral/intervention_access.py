"""Who may see and act on which early intervention: one rule, read as a predicate and as a
query filter, and the doors that load an intervention for a user.

An intervention is seen by the requesting agency and by the agencies asked to intervene, and
by nobody else: the supervising procuratorate that was not asked does not see it, and a police
organ asked before the transfer sees the request (and what it shares of the case) without
seeing the case page. Another agency's intervention looks exactly like a missing one.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .meeting_access import CASE_ROLES
from .models import EarlyIntervention, InterventionAddressee, Role
from .services.errors import NotFound


def _agency_of(user) -> int | None:
    if user is None or not user.is_authenticated or not any(map(user.has_role, CASE_ROLES)):
        return None
    return user.agency_id


def may_view_intervention(user, intervention: EarlyIntervention) -> bool:
    """The rule as a predicate (reads `intervention.addressees`, prefetched or not)."""
    agency_id = _agency_of(user)
    if agency_id is None:
        return False
    return intervention.requesting_agency_id == agency_id or any(
        a.agency_id == agency_id for a in intervention.addressees.all()
    )


def intervention_visibility_filter(user, prefix: str = "") -> Q | None:
    """The rule as a query filter on interventions (or, with `prefix` "intervention__", on
    rows that point to one); None when the user sees none."""
    agency_id = _agency_of(user)
    if agency_id is None:
        return None
    asked = InterventionAddressee.objects.filter(
        intervention=OuterRef(f"{prefix}pk"), agency_id=agency_id
    )
    return Q(**{f"{prefix}requesting_agency_id": agency_id}) | Q(Exists(asked))


def interventions_visible_to(
    user, queryset: QuerySet[EarlyIntervention] | None = None
) -> QuerySet[EarlyIntervention]:
    queryset = EarlyIntervention.objects.all() if queryset is None else queryset
    condition = intervention_visibility_filter(user)
    return queryset.none() if condition is None else queryset.filter(condition)


def intervention_get_for_user(
    *, user, intervention_id: int, queryset: QuerySet[EarlyIntervention] | None = None
) -> EarlyIntervention:
    """The intervention, or NotFound alike for a missing one and one `user` may not see."""
    found = interventions_visible_to(user, queryset).filter(pk=intervention_id).first()
    if found is None:
        raise NotFound(_("No such early intervention."))
    return found


def intervention_lock_for_user(*, user, intervention_id: int) -> EarlyIntervention:
    """Loads and row-locks the intervention for the rest of the caller's transaction: every
    write to it or its parts takes this lock first, so two officers cannot both answer."""
    queryset = EarlyIntervention.objects.select_for_update(of=("self",), no_key=True)
    return intervention_get_for_user(user=user, intervention_id=intervention_id, queryset=queryset)


def is_requesting_side(user, intervention: EarlyIntervention) -> bool:
    agency_id = _agency_of(user)
    return agency_id is not None and intervention.requesting_agency_id == agency_id


def may_decide(user, intervention: EarlyIntervention) -> bool:
    """The requesting agency's head approves or refuses the request."""
    return is_requesting_side(user, intervention) and user.has_role(Role.AGENCY_HEAD)


def addressee_of(user, intervention: EarlyIntervention) -> InterventionAddressee | None:
    """The user's agency's place among the addressees, else None."""
    agency_id = _agency_of(user)
    if agency_id is None:
        return None
    return next((a for a in intervention.addressees.all() if a.agency_id == agency_id), None)


def may_add_note(user, intervention: EarlyIntervention) -> bool:
    """The requesting agency's case handlers, and the officers an addressee assigned."""
    if is_requesting_side(user, intervention):
        return True
    addressee = addressee_of(user, intervention)
    return addressee is not None and any(o.pk == user.pk for o in addressee.officers.all())
