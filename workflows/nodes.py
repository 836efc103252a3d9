"""Routing tables: which flow node serves which owner of a referral's next step.

The lifecycle says who must act in each state (`lifecycle.STATE_OWNERS`: side, role). A node is
named by its role code, so the task of a state is the node named after its owner's role, for the
agency standing on the owner's side. Every role acts for one side only, checked below, which is
what lets the role alone name the node.
"""

from django.db.models import Case, Q, Value, When

from referral import lifecycle, permissions
from referral.models import Referral, Role, User

_OWNERS = {owner for owner in lifecycle.STATE_OWNERS.values() if owner is not None}

# node name (= role code) -> the side of the referral whose agency holds the node's tasks
NODE_SIDES: dict[str, str] = {role: side for side, role in _OWNERS}
if len(NODE_SIDES) != len(_OWNERS):
    raise RuntimeError(
        "A role owns steps on two sides; flow nodes named by role would be ambiguous."
    )


def node_for(status: str) -> str | None:
    """The node whose task the referral in `status` waits on; None once it is closed."""
    owner = lifecycle.STATE_OWNERS[status]
    return owner[1] if owner else None


def node_agency(referral, node: str):
    """The Agency whose members hold `node`'s tasks on this referral (through its relation)."""
    return permissions.side_agency(referral, NODE_SIDES[node])


def expected_task(referral) -> tuple[str, int | None] | None:
    """(node, agency id) of the task the referral's status calls for; None when closed."""
    node = node_for(referral.status)
    if node is None:
        return None
    return node, permissions.side_agency_id(referral, NODE_SIDES[node])


def case_owner_for(referral) -> User | None:
    """The officer who owns the referral's case-officer work, None when nobody qualifies (the
    task then waits in the agency's queue): an active case officer of the agency, preferring
    whoever took the last case-officer step (a task a head reassigned stays with the new
    holder), then the officer who opened the case, then the special case group; one query.
    `referral` may carry `last_action` / `last_actor_id` (routing loads them)."""
    last = getattr(referral, "last_action", None)
    candidates = lifecycle.transitions().get(last) if last else None
    last_officer = (
        getattr(referral, "last_actor_id", None)
        if candidates and lifecycle.step_of(candidates[0]).role == Role.CASE_OFFICER
        else None
    )
    team = Referral.case_team.through.objects.filter(referral_id=referral.pk).values("user_id")
    return (
        User.objects.filter(
            agency_id=referral.agency_id, is_active=True, groups__name=Role.CASE_OFFICER
        )
        .filter(Q(pk=last_officer) | Q(pk=referral.case_officer_id) | Q(pk__in=team))
        .annotate(
            preference=Case(
                When(pk=last_officer, then=Value(0)),
                When(pk=referral.case_officer_id, then=Value(1)),
                default=Value(2),
            )
        )
        .order_by("preference", "pk")
        .first()
    )
