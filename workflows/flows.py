"""ReferralFlow: who does the next thing on a referral, by when. No legal rules here.

The lifecycle (referral/lifecycle.py) decides what may happen; this flow only queues the
referral to the agency and role that must act next (`STATE_OWNERS`), loops after every step,
and ends when the referral is closed. Task views call the referral services.
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from referral import lifecycle, permissions
from referral.clock_rules import Side
from referral.models import Role

from .auth import task_permission
from .models import ReferralProcess

# One human task per (side, role) that can own a referral's next step.
OWNER_NODES = {
    (Side.AGENCY, Role.CASE_OFFICER): "agency_officer",
    (Side.AGENCY, Role.AGENCY_HEAD): "agency_head",
    (Side.POLICE, Role.POLICE_INTAKE): "police_intake",
    (Side.POLICE, Role.POLICE_REVIEWER): "police_reviewer",
    (Side.PROCURATORATE, Role.PROCURATOR): "procurator",
}
NODE_OWNERS = {node: owner for owner, node in OWNER_NODES.items()}


def owner_of(referral) -> tuple[str, str] | None:
    return lifecycle.STATE_OWNERS[referral.status]


def _owned_by(owner):
    return lambda activation: owner_of(activation.process.referral) == owner


def _side_agency(side):
    return lambda process: permissions.side_agency(process.referral, side)


def task_view(request, **kwargs):
    from .views import task_detail

    return task_detail(request, **kwargs)


def _task(side, role):
    return (
        flow.View(task_view)
        .Permission(task_permission(role), obj=_side_agency(side))
        .Next(this.route)
    )


class ReferralFlow(flow.Flow):
    process_class = ReferralProcess
    lock_impl = lock.select_for_update_lock
    process_title = _("Case referral")
    process_description = _("Queues each referral to the agency and role that must act next.")

    start = flow.StartHandle(this.start_process).Next(this.route)
    route = (
        flow.Switch()
        .Case(this.agency_officer, _owned_by((Side.AGENCY, Role.CASE_OFFICER)))
        .Case(this.agency_head, _owned_by((Side.AGENCY, Role.AGENCY_HEAD)))
        .Case(this.police_intake, _owned_by((Side.POLICE, Role.POLICE_INTAKE)))
        .Case(this.police_reviewer, _owned_by((Side.POLICE, Role.POLICE_REVIEWER)))
        .Case(this.procurator, _owned_by((Side.PROCURATORATE, Role.PROCURATOR)))
        .Default(this.end)
    )
    agency_officer = _task(Side.AGENCY, Role.CASE_OFFICER)
    agency_head = _task(Side.AGENCY, Role.AGENCY_HEAD)
    police_intake = _task(Side.POLICE, Role.POLICE_INTAKE)
    police_reviewer = _task(Side.POLICE, Role.POLICE_REVIEWER)
    procurator = _task(Side.PROCURATORATE, Role.PROCURATOR)
    end = flow.End()

    def start_process(self, activation, referral):
        activation.process.artifact = referral
        activation.process.save()
        return activation.process
