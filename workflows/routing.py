"""The one way a referral's process moves: `referral_route`, called after every step and after
creation (settings.XIANJIE_REFERRAL_ROUTER, see referral/services/base.py).

It starts the process of a new referral; completes the open task whose step was just taken (by
whoever took it, from the task page or the case page alike); leaves alone an open task that is
still the one the status calls for; cancels any other (a step taken by another organ made it
stale); and creates the task the status calls for, or ends the process once the referral is
closed.
"""

import json
from functools import cache

from django.db import transaction
from django.db.models import JSONField, OuterRef, Subquery
from django.db.models.functions import JSONObject
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from referral import lifecycle
from referral.models import AuditEvent, Referral, User

from .flows import ReferralFlow
from .nodes import case_owner, expected_task, node_for
from .selectors import process_for, task_open_for_referral

# Task.data key: the audit sequence number of the step after which the task was created, so a
# route run twice after one step does not take the new task for the step's own.
AFTER_EVENT = "after_event"
LAST_STEP_FIELDS = ("seq", "action", "actor_id", "actor_agency_id")


def referral_route(referral_id: int) -> None:
    """Brings the referral's process in line with its status (see the module docstring)."""
    with transaction.atomic():
        referral = _referral_with_last_step(referral_id)
        # The process row is the flow's lock (ReferralFlow.lock): claims take it before touching
        # a task, and creating a task needs it too (its foreign key), so the route takes it
        # first as well; locking the task rows instead could deadlock with a claim.
        open_tasks = list(task_open_for_referral(referral_id).select_for_update(of=("process",)))
        if not open_tasks:
            _route_without_open_task(referral)
            return
        wanted, kept, closed = expected_task(referral), None, []
        for task in open_tasks:
            if _done_by_last_step(task, referral):
                _complete(task, referral)
                closed.append(task)
            elif kept is None and _is(task, wanted):
                kept = task
            else:
                task.flow_task.activation_class(task).cancel()
                closed.append(task)
        if kept is None:
            _create_next(after=closed[-1], referral=referral)


def _referral_with_last_step(referral_id: int) -> Referral:
    """The referral row-locked (routes of one referral run one at a time), with the audit event
    of its latest step (`last_seq`, `last_action`, ...; events a step writes after its own, such
    as issued documents, do not count) and the officer who owns its case-officer work
    (`case_owner_id`), in one query: the event's fields come back as one JSON object from one
    correlated subquery. The agencies its tasks go to are referred to by key (`node_agency`), so
    none is joined."""
    referral = _routing_queryset().get(pk=referral_id)
    step = referral.last_step or {}
    if isinstance(step, str):  # a backend that hands JSON back as text
        step = json.loads(step)
    for field in LAST_STEP_FIELDS:
        setattr(referral, f"last_{field}", step.get(field))
    return referral


@cache  # the lifecycle is fixed at import: building this query costs more than running it
def _routing_queryset():
    last = (
        AuditEvent.objects.filter(
            referral_id=OuterRef("pk"), action__in=list(lifecycle.transitions())
        )
        .order_by("-seq")
        .values(step=JSONObject(**{f: f for f in LAST_STEP_FIELDS}))[:1]
    )
    return Referral.objects.select_for_update().annotate(
        last_step=Subquery(last, output_field=JSONField()),
        # Who the case officer's task goes to, should the step call for one (nodes.py).
        case_owner_id=case_owner(),
    )


def _done_by_last_step(task: Task, referral: Referral) -> bool:
    """Whether the referral's latest step is one of the task's role taken in the task's agency
    after the task was created: the task's work is then done."""
    candidates = lifecycle.transitions().get(referral.last_action)
    if not candidates:
        return False
    return (
        lifecycle.step_of(candidates[0]).role == task.flow_task.name
        and str(referral.last_actor_agency_id) == task.owner_permission_obj_pk
        and task.data.get(AFTER_EVENT, 0) < referral.last_seq
    )


def _is(task: Task, wanted: tuple[str, int | None] | None) -> bool:
    return wanted is not None and (task.flow_task.name, task.owner_permission_obj_pk) == (
        wanted[0],
        str(wanted[1]),
    )


def _complete(task: Task, referral: Referral) -> None:
    """Completes the task as done by the step's actor (who becomes its owner if nobody had
    claimed it, so it lands in their archive). The actor is referred to by primary key rather
    than fetched. An unclaimed task is given its owner in memory (`assign_in_memory`, viewflow's
    `assign` without its own UPDATE): `complete` saves the row once, owner and all, so a step
    from the case page costs one task write like one from the task page."""
    activation = task.flow_task.activation_class(task)
    if task.owner_id is None:
        activation.assign_in_memory(User(pk=referral.last_actor_id))
    if task.status == STATUS.ASSIGNED:
        activation.start(None)
    activation.complete()


def _create_next(*, after: Task, referral: Referral) -> None:
    """Creates the task the referral's status calls for, following `after`; ends the process
    when the referral is closed.

    The graph's own Next chain (execute the task, the `route` Switch decides) would store and
    complete the Switch as a task of its own: five more queries a step (insert, link, savepoint
    pair, save), which the step's query budget (tests/workflows/test_queries.py) has no room for.
    So the node is chosen here with the Switch's own function (`nodes.node_for`) and created with
    the node's public activation API; the flow has no boundary events that creation would arm.
    """
    after.process.artifact = referral  # the new task's agency comes from the loaded referral
    previous = after.flow_task.activation_class(after)
    name = node_for(referral.status)
    node = getattr(ReferralFlow, name) if name else ReferralFlow.end
    activation = node.activation_class.create(
        node, previous, after.token, data={AFTER_EVENT: referral.last_seq or 0}
    )
    if name is None:
        activation.activate()  # End: finishes the process, no task being open any more
        activation.complete()


def _route_without_open_task(referral: Referral) -> None:
    process = process_for(referral)
    if process is None or (
        process.finished is not None and referral.status != lifecycle.Status.CLOSED
    ):
        # New, or a closed case reopened by a procurator's non-transfer review (以罚代刑): a
        # finished process does not move again, so the referral's work starts a new one.
        ReferralFlow.start.run(referral=referral)
    elif process.finished is None:
        _create_next(after=process.task_set.order_by("-pk").first(), referral=referral)
