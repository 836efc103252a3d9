"""Bare viewflow lifecycles, the baselines a referral lifecycle is compared with. Import only
inside a configured Django process whose INSTALLED_APPS holds "bench" (viewflow stores flows by
app label).

- `BareFlow`: StartHandle -> one View -> End (the first baseline, kept for continuity).
- `BareMainLineFlow`: StartHandle -> nine Views -> End, the shape of a referral's main line
  (creation and nine human steps, each a task someone is given and completes): the same
  engine work, without the law (gate, clocks, audit, documents).
"""

from django.db import transaction
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.flow.views import UpdateProcessView


def _view():
    return flow.View(UpdateProcessView.as_view(fields=[]))


class BareFlow(flow.Flow):
    """Bare benchmark flow"""

    # The lock the cookbook recommends and a real flow here would use.
    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle().Next(this.review)
    review = _view().Next(this.end)
    end = flow.End()


class BareMainLineFlow(flow.Flow):
    """Bare benchmark flow of the main line's shape"""

    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle().Next(this.task_1)
    task_1 = _view().Next(this.task_2)
    task_2 = _view().Next(this.task_3)
    task_3 = _view().Next(this.task_4)
    task_4 = _view().Next(this.task_5)
    task_5 = _view().Next(this.task_6)
    task_6 = _view().Next(this.task_7)
    task_7 = _view().Next(this.task_8)
    task_8 = _view().Next(this.task_9)
    task_9 = _view().Next(this.end)
    end = flow.End()


def bare_lifecycle(user, flow_class=BareFlow) -> None:
    """Starts a process and, for each of its human tasks in turn, assigns it to `user` and
    executes it, as the task views do on POST: each act under the flow lock, with the
    permission asked first."""
    process = flow_class.start.run()
    while True:
        task = process.task_set.filter(flow_task_type="HUMAN", status="NEW").first()
        if task is None:
            return
        with flow_class.lock(process.pk), transaction.atomic():
            activation = _activation(task.pk)
            if not activation.flow_task.can_assign(user, activation.task):
                raise PermissionError("cannot assign")
            activation.assign(user)
        with flow_class.lock(process.pk), transaction.atomic():
            activation = _activation(task.pk)
            if not activation.flow_task.can_execute(user, activation.task):
                raise PermissionError("cannot execute")
            activation.start(None)  # the view passes its request; the activation does not use it
            activation.execute()


def _activation(task_pk: int):
    from viewflow.workflow.models import Task

    task = Task.objects.get(pk=task_pk)
    return task.flow_task.activation_class(task)
