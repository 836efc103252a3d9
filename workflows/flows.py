"""ReferralFlow: who does the next thing on a referral, by when. No legal rules here.

The lifecycle decides what may happen; this flow only queues the referral to the agency and role
that must act next (`nodes.py`), one human node per role, named by its role code. The graph
reads: start, route to the owner's node, and after every task route again until the referral is
closed. `routing.referral_route` moves an existing process along that graph after each step.
"""

from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.activation import Activation
from viewflow.workflow.nodes.view import ViewActivation
from viewflow.workflow.status import STATUS

from referral.models import Role, User

from .auth import task_permission
from .models import ReferralProcess
from .nodes import case_owner_id, node_agency, node_for


def task_page(request, *, task_pk, **kwargs):
    """viewflow's own URL for a task (its flow viewset is not mounted) leads to the task page."""
    return redirect("xianjie:task_detail", task_pk)


def _is_next(node: str):
    return lambda activation: node_for(activation.process.referral.status) == node


class TaskActivation(ViewActivation):
    """viewflow's human-task activation, plus giving an unclaimed task its owner without a
    write of its own: the router does so just before completing the task, whose save then
    writes owner and completion together (workflows/routing.py `_complete`)."""

    @Activation.status.transition(source=STATUS.NEW, target=STATUS.ASSIGNED)
    def assign_in_memory(self, user):
        self.task.owner = user


def _task(node: str):
    view = (
        flow.View(task_page)
        .Permission(task_permission(node), obj=lambda process: node_agency(process.referral, node))
        .Next(this.route)
    )
    view.activation_class = TaskActivation
    return view


class ReferralFlow(flow.Flow):
    process_class = ReferralProcess
    lock_impl = lock.select_for_update_lock
    process_title = _("Case referral")
    process_description = _("Queues each referral to the agency and role that must act next.")

    start = flow.StartHandle(this.start_process).Next(this.route)
    route = (
        flow.Switch()
        .Case(this.case_officer, _is_next(Role.CASE_OFFICER))
        .Case(this.agency_head, _is_next(Role.AGENCY_HEAD))
        .Case(this.police_intake, _is_next(Role.POLICE_INTAKE))
        .Case(this.police_reviewer, _is_next(Role.POLICE_REVIEWER))
        .Case(this.police_head, _is_next(Role.POLICE_HEAD))
        .Case(this.procurator, _is_next(Role.PROCURATOR))
        .Case(this.chief_procurator, _is_next(Role.CHIEF_PROCURATOR))
        .Default(this.end)
    )
    # The case officer's work goes straight to the officer who owns the case, step after step;
    # the queue holds it only when nobody qualifies (or after a release).
    case_officer = _task(Role.CASE_OFFICER).Assign(this.case_owner)
    agency_head = _task(Role.AGENCY_HEAD)
    police_intake = _task(Role.POLICE_INTAKE)
    police_reviewer = _task(Role.POLICE_REVIEWER)
    # The officials who approve what the reviewer or the procurator proposes (DOMAIN.md §9.2).
    police_head = _task(Role.POLICE_HEAD)
    procurator = _task(Role.PROCURATOR)
    chief_procurator = _task(Role.CHIEF_PROCURATOR)
    end = flow.End()

    def case_owner(self, activation):
        # `assign` stores only the key: the owner is referred to by primary key, not fetched.
        owner = case_owner_id(activation.process.artifact)
        return User(pk=owner) if owner else None

    def start_process(self, activation, referral):
        activation.process.artifact = referral
        activation.process.save()
        return activation.process
