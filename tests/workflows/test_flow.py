"""The flow queues each referral to the agency and role that must act next."""

from viewflow.workflow.status import STATUS

from referral import lifecycle
from referral.models import Role
from workflows.selectors import process_for

S = lifecycle.Status


def _open_tasks(referral):
    process = process_for(referral)
    return [
        (t.flow_task.name, t.owner_permission, t.owner_permission_obj_pk)
        for t in process.task_set.filter(status__in=(STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED))
    ]


def test_new_referral_is_queued_to_the_agencys_case_officers(flow_world):
    referral = flow_world.new_referral()
    agency = str(flow_world.agencies["fc-msa"].pk)
    assert _open_tasks(referral) == [("case_officer", "referral.case_officer", agency)]


def test_each_step_moves_the_task_to_the_next_owner(flow_world):
    referral = flow_world.new_referral()
    expected = {
        "find_suspected_crime": ("case_officer", "fc-msa"),
        "submit_transfer_report": ("agency_head", "fc-msa"),
        "approve_transfer": ("case_officer", "fc-msa"),
        "transfer": ("police_intake", "fc-police"),
        "sign_receipt": ("police_intake", "fc-police"),
        "begin_review": ("police_reviewer", "fc-police"),
        "decline_filing": ("case_officer", "fc-msa"),
        "request_filing_supervision": ("procurator", "fc-proc"),
    }
    for name, (node, agency) in expected.items():
        flow_world.do(referral, name)
        tasks = _open_tasks(referral)
        assert [(t[0], t[2]) for t in tasks] == [(node, str(flow_world.agencies[agency].pk))], name


def test_a_forward_moves_the_task_to_the_other_police_organ(flow_world):
    referral = flow_world.reach(S.RECEIVED_BY_POLICE)
    flow_world.do(referral, "forward_to_competent_police")
    assert _open_tasks(referral) == [
        ("police_intake", "referral.police_intake", str(flow_world.agencies["my-police"].pk))
    ]


def test_closing_ends_the_process(flow_world):
    referral = flow_world.reach(S.CASE_WITHDRAWN)
    flow_world.do(referral, "close")
    process = process_for(referral)
    assert _open_tasks(referral) == [] and process.finished is not None


def test_police_task_is_claimable_only_in_its_own_organ(flow_world):
    referral = flow_world.reach(S.TRANSFERRED_AWAITING_RECEIPT)
    task = process_for(referral).task_set.get(status=STATUS.NEW)
    node = task.flow_task
    assert node.can_assign(flow_world.user("fc-police", Role.POLICE_INTAKE), task)
    for other in [
        ("my-police", Role.POLICE_INTAKE),
        ("yx-police", Role.POLICE_INTAKE),
        ("fc-police", Role.POLICE_REVIEWER),
        ("fc-proc", Role.PROCURATOR),
    ]:
        assert not node.can_assign(flow_world.user(*other), task), other
