"""Routing tables: which flow node serves which owner of a referral's next step.

The lifecycle says who must act in each state (`lifecycle.STATE_OWNERS`: side, role). A node is
named by its role code, so the task of a state is the node named after its owner's role, for the
agency standing on the owner's side. Every role acts for one side only, checked below, which is
what lets the role alone name the node.
"""

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce

from referral import lifecycle, permissions
from referral.models import Agency, AuditEvent, Referral, Role, User

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


def node_agency(referral, node: str) -> Agency | None:
    """The Agency whose members hold `node`'s tasks on this referral, referred to by key (a
    task stores only its agency's key, and the permission check compares keys): nothing is
    fetched."""
    agency_id = permissions.side_agency_id(referral, NODE_SIDES[node])
    return None if agency_id is None else Agency(pk=agency_id)


def expected_task(referral) -> tuple[str, int | None] | None:
    """(node, agency id) of the task the referral's status calls for; None when closed."""
    node = node_for(referral.status)
    if node is None:
        return None
    return node, permissions.side_agency_id(referral, NODE_SIDES[node])


def case_owner():
    """A subquery on Referral: the id of the officer who owns the referral's case-officer work,
    NULL when nobody qualifies (the task then waits in the agency's queue). An active case
    officer of the agency, preferring whoever took the latest case-officer step (a task a head
    reassigned stays with the new holder), then the officer who opened the case, then the
    special case group. A subquery so that routing reads it with the referral, in one query."""
    officer_steps = [
        name
        for name, ts in lifecycle.transitions().items()
        if lifecycle.step_of(ts[0]).role == Role.CASE_OFFICER
    ]
    last_officer = Subquery(
        AuditEvent.objects.filter(referral_id=OuterRef(OuterRef("pk")), action__in=officer_steps)
        .order_by("-seq")
        .values("actor_id")[:1]
    )
    team = Referral.case_team.through.objects.filter(referral_id=OuterRef(OuterRef("pk")))
    eligible = User.objects.filter(
        agency_id=OuterRef("agency_id"), is_active=True, groups__name=Role.CASE_OFFICER
    )
    # Three subqueries in order of preference rather than one ordered by preference: SQLite
    # cannot read the outer referral in a nested subquery's ORDER BY.
    return Coalesce(
        Subquery(eligible.filter(pk=last_officer).values("pk")[:1]),
        Subquery(eligible.filter(pk=OuterRef("case_officer_id")).values("pk")[:1]),
        Subquery(eligible.filter(pk__in=team.values("user_id")).order_by("pk").values("pk")[:1]),
    )


def case_owner_id(referral) -> int | None:
    """The owner (see `case_owner`) as routing loaded it, or read afresh."""
    if hasattr(referral, "case_owner_id"):
        return referral.case_owner_id
    return (
        Referral.objects.filter(pk=referral.pk)
        .annotate(owner=case_owner())
        .values_list("owner", flat=True)
        .first()
    )
