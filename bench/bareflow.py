"""A bare viewflow lifecycle (StartHandle -> View -> End) on the default Process model: the
baseline a referral lifecycle is compared with. Import only inside a configured Django process
whose INSTALLED_APPS holds "bench" (viewflow stores flows by app label)."""

from django.db import transaction
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.flow.views import UpdateProcessView


class BareFlow(flow.Flow):
    """Bare benchmark flow"""

    # The lock the cookbook recommends and a real flow here would use.
    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle().Next(this.review)
    review = flow.View(UpdateProcessView.as_view(fields=[])).Next(this.end)
    end = flow.End()


def bare_lifecycle(user) -> None:
    """Starts a process, assigns its human task to `user` and executes it, as the task views do
    on POST: each step under the flow lock, with the permission asked first."""
    process = BareFlow.start.run()
    task_pk = process.task_set.get(flow_task=BareFlow.review).pk
    with BareFlow.lock(process.pk), transaction.atomic():
        activation = _activation(task_pk)
        if not BareFlow.review.can_assign(user, activation.task):
            raise PermissionError("cannot assign")
        activation.assign(user)
    with BareFlow.lock(process.pk), transaction.atomic():
        activation = _activation(task_pk)
        if not BareFlow.review.can_execute(user, activation.task):
            raise PermissionError("cannot execute")
        activation.start(None)  # the view passes its request; the activation does not use it
        activation.execute()


def _activation(task_pk: int):
    task = BareFlow.task_class._default_manager.get(pk=task_pk)
    return task.flow_task.activation_class(task)
