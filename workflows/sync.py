"""Keeps each referral's process on the task its status calls for.

Most steps are taken from the task itself, which then routes on. Steps taken elsewhere (a
procurator opening supervision, an agency reporting an overdue decision, a forward that moves
the case to another organ) leave a stale task: the sync cancels it and routes again.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from viewflow.workflow.status import STATUS

from referral import permissions
from referral.models import Referral

from .flows import OWNER_NODES, ReferralFlow, owner_of
from .models import ReferralProcess

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def process_for(referral) -> ReferralProcess | None:
    return ReferralProcess.objects.filter(
        artifact_content_type=ContentType.objects.get_for_model(Referral),
        artifact_object_id=referral.pk,
    ).first()


def expected_task(referral) -> tuple[str, int] | None:
    """(node name, agency id) of the task the referral's status calls for; None when closed."""
    owner = owner_of(referral)
    if owner is None:
        return None
    agency = permissions.side_agency(referral, owner[0])
    return OWNER_NODES[owner], agency.pk if agency else None


def referral_flow_sync(referral_id: int) -> None:
    with transaction.atomic():
        referral = (
            Referral.objects.select_for_update(of=("self",))
            .select_related("agency", "police_agency", "procuratorate")
            .get(pk=referral_id)
        )
        process = process_for(referral)
        if process is None:
            ReferralFlow.start.run(referral=referral)
            return
        with ReferralFlow.lock(process.pk):
            _realign(process, referral)


def _realign(process, referral) -> None:
    open_tasks = list(
        process.task_set.filter(status__in=OPEN, flow_task_type="HUMAN").order_by("pk")
    )
    wanted = expected_task(referral)
    if wanted and any(_matches(task, wanted) for task in open_tasks):
        return
    if not open_tasks and (wanted is None or process.finished):
        return
    last = open_tasks[-1] if open_tasks else process.task_set.order_by("-pk").first()
    for task in open_tasks:
        activation = task.flow_task.activation_class(task)
        activation.cancel()
    route = ReferralFlow.route._create(last.flow_task.activation_class(last), last.token)
    # viewflow's own chain driver (activate, complete, create and activate what follows);
    # viewflow is pinned to 2.4.*, and tests/workflows cover this path.
    route._activate_next({route})


def _matches(task, wanted) -> bool:
    node, agency_id = wanted
    return task.flow_task.name == node and task.owner_permission_obj_pk == str(agency_id)
