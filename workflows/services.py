"""Taking a step from a task or case page; claiming, releasing and reassigning tasks."""

from contextlib import contextmanager

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from referral import lifecycle
from referral.models import Referral, Role, User
from referral.services.audit import audit_append
from referral.services.errors import IllegalTransition, InvalidInput, NotFound, PermissionDenied
from referral.services.transitions import run_transition
from referral.timeutil import now

from .flows import ReferralFlow
from .selectors import task_open_for_referral


def step_take(
    *, referral_id: int, actor, name: str, task: Task | None = None, **inputs
) -> Referral:
    """Runs lifecycle step `name` through the gate, with the same check from the task page
    (`task`, loaded for it) and from the case page: where the step's role has an open task in
    the actor's agency, the actor must hold it (the owner's own, claimed from the queue, or
    reassigned by the head). A step no open task stands for (a procurator's supervision while
    the case is with another organ) needs no task. The task itself moves on after commit
    (routing.referral_route), whichever page the step came from."""
    candidates = lifecycle.transitions().get(name)
    if candidates:  # an unknown step is the gate's to refuse
        node = lifecycle.step_of(candidates[0]).role
        if task is not None and task.flow_task.name != node:
            raise PermissionDenied(_("This step is not this task's."))
        held = task or task_open_for_referral(referral_id, node=node).first()
        if held is not None and held.owner_permission_obj_pk == str(actor.agency_id or ""):
            check_holds(held, actor)
    return run_transition(referral_id=referral_id, actor=actor, name=name, **inputs)


def check_holds(task: Task, user) -> None:
    """Refuses unless `user` holds the open task: claim it first, or it is someone else's."""
    if task.status not in (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED):
        raise IllegalTransition(_("This task is no longer open."))
    if task.owner_id is None:
        raise PermissionDenied(_("Claim the task before acting on it."))
    if task.owner_id != user.pk:
        raise PermissionDenied(_("%(user)s has claimed this task."), user=str(task.owner))


def task_get_for_user(*, task_id: int, user, lock: bool = False) -> Task:
    """The task, NotFound when it belongs to another agency (or does not exist),
    PermissionDenied when it is this agency's but for a role the user does not hold."""
    tasks = Task.objects.filter(
        pk=task_id, process__flow_class=ReferralFlow, flow_task_type="HUMAN"
    )
    task = (
        (tasks.select_for_update(of=("self",)) if lock else tasks)
        .select_related("process", "owner")
        .first()
    )
    if task is None or task.owner_permission_obj_pk != str(user.agency_id or ""):
        raise NotFound(_("No such task."))
    # The agency head sees every task of the agency, to reassign it; acting stays with the role.
    if not (user.has_role(task.flow_task.name) or user.has_role(Role.AGENCY_HEAD)):
        raise PermissionDenied(_("This task is for another role."))
    return task


def _audit(task, actor, action, payload=None):
    audit_append(
        action=action,
        at=now(),
        actor=actor,
        referral=task.process.artifact,
        payload={"task": task.pk, "node": task.flow_task.name, **(payload or {})},
    )


def task_claim(*, task_id: int, user) -> Task:
    with _task_locks(task_id):
        task = task_get_for_user(task_id=task_id, user=user, lock=True)
        # The head sees every task of the agency (to reassign it), but claims only its own
        # roles' tasks: a claimed task leaves the queue of the officers who can act on it.
        if not user.has_role(task.flow_task.name):
            raise PermissionDenied(_("You can only claim tasks of your own roles."))
        if task.status != STATUS.NEW or task.owner_id:
            raise IllegalTransition(_("Someone has already claimed this task."))
        task.flow_task.activation_class(task).assign(user)
        _audit(task, user, "claim_task")
    return task


def task_release(*, task_id: int, user) -> Task:
    with _task_locks(task_id):
        task = task_get_for_user(task_id=task_id, user=user, lock=True)
        if task.owner_id != user.pk or task.status != STATUS.ASSIGNED:
            raise PermissionDenied(_("Only the officer holding the task may release it."))
        task.flow_task.activation_class(task).unassign()
        _audit(task, user, "release_task")
    return task


def task_reassign(*, task_id: int, head: User, to_user_id: int) -> Task:
    """A head gives an open task of the agency to another member holding the task's role."""
    with _task_locks(task_id):
        task = Task.objects.select_for_update(of=("self",)).filter(pk=task_id).first()
        if task is None or task.owner_permission_obj_pk != str(head.agency_id or ""):
            raise NotFound(_("No such task."))
        if not head.has_role(Role.AGENCY_HEAD):
            raise PermissionDenied(_("Only the agency head may reassign tasks."))
        role = task.flow_task.name  # nodes are named by role codes
        target = User.objects.filter(
            pk=to_user_id, agency_id=head.agency_id, is_active=True
        ).first()
        if target is None or not target.has_role(role):
            raise InvalidInput(
                _("Choose an active member of the agency who holds the task's role.")
            )
        if task.status not in (STATUS.NEW, STATUS.ASSIGNED):
            raise IllegalTransition(_("This task is no longer open."))
        previous = task.owner_id
        task.owner, task.status, task.assigned = target, STATUS.ASSIGNED, now()
        task.save(update_fields=["owner", "status", "assigned"])
        _audit(task, head, "reassign_task", {"from": previous, "to": target.pk})
    return task


@contextmanager
def _task_locks(task_id: int):
    """A transaction holding the locks a change to a task needs, in the order every writer of a
    referral's tasks takes them: the referral's row (as the step gate and the route do: a claim
    writes an audit event pointing at it, which would otherwise wait on a step holding it while
    the step waits on the audit chain the claim holds), then the process (ReferralFlow.lock)."""
    ids = (
        Task.objects.filter(pk=task_id)
        .values_list("process_id", "process__artifact_object_id")
        .first()
    )
    if ids is None:
        raise NotFound(_("No such task."))
    process_id, referral_id = ids
    with transaction.atomic():
        Referral.objects.select_for_update().filter(pk=referral_id).exists()
        with ReferralFlow.lock(process_id):
            yield
