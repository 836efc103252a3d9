"""The flow queues each referral to the agency and role that must act next."""

import pytest
from viewflow.workflow.status import STATUS

import workflows
from referral import lifecycle
from referral.models import Role
from workflows.flows import ReferralFlow
from workflows.nodes import NODE_SIDES
from workflows.routing import referral_route
from workflows.selectors import process_for
from workflows.services import task_claim

S = lifecycle.Status
OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


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
        "propose_non_filing": ("police_head", "fc-police"),
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


def test_node_names_are_the_role_codes_of_the_owners():
    human = {node.name for node in ReferralFlow.instance.nodes() if node.task_type == "HUMAN"}
    owners = {owner for owner in lifecycle.STATE_OWNERS.values() if owner}
    assert human == set(NODE_SIDES) == {role for _side, role in owners}
    assert all((NODE_SIDES[role], role) in owners for role in human)


def test_a_step_of_another_organ_cancels_the_stale_task(flow_world):
    referral = flow_world.reach(S.SUSPECTED_CRIME_FOUND)
    (stale,) = process_for(referral).task_set.filter(status__in=OPEN)
    flow_world.do(referral, "open_non_transfer_review")  # the procurator's step
    stale.refresh_from_db()
    assert stale.status == STATUS.CANCELED
    assert _open_tasks(referral) == [
        ("procurator", "referral.procurator", str(flow_world.agencies["fc-proc"].pk))
    ]


def test_a_task_still_wanted_is_left_alone_with_its_claim(flow_world):
    referral = flow_world.reach(S.UNDER_POLICE_REVIEW)
    (task,) = process_for(referral).task_set.filter(status=STATUS.NEW)
    reviewer = flow_world.user("fc-police", Role.POLICE_REVIEWER)
    task_claim(task_id=task.pk, user=reviewer)
    flow_world.do(referral, "report_overdue_decision")  # the agency's step; the reviewer's turn
    task.refresh_from_db()
    assert (task.status, task.owner) == (STATUS.ASSIGNED, reviewer)
    assert [t[0] for t in _open_tasks(referral)] == ["police_reviewer"]


def test_routing_twice_after_one_step_changes_nothing(flow_world):
    referral = flow_world.reach(S.SUSPECTED_CRIME_FOUND)  # the officer's task done, a new one
    open_before = list(process_for(referral).task_set.filter(status__in=OPEN))
    referral_route(referral.pk)
    assert list(process_for(referral).task_set.filter(status__in=OPEN)) == open_before
    assert len(open_before) == 1


def test_a_step_done_without_claiming_closes_the_task_as_the_actors(flow_world):
    """Through the gate alone (as the demo and simulations do), a queued task ends as the
    actor's; the pages themselves ask for the task to be held first (services.step_take)."""
    referral = flow_world.reach(S.TRANSFERRED_AWAITING_RECEIPT)
    (task,) = process_for(referral).task_set.filter(status=STATUS.NEW)
    flow_world.do(referral, "sign_receipt")
    task.refresh_from_db()
    assert (task.status, task.owner) == (
        STATUS.DONE,
        flow_world.user("fc-police", Role.POLICE_INTAKE),
    )


def test_flow_modules_do_not_import_the_pages():
    """Regression: flows.py imported views lazily to reach its task view (an import cycle)."""
    import ast
    from pathlib import Path

    root = Path(workflows.__file__).parent
    for name in ("nodes", "flows", "routing", "selectors", "services", "case_page", "auth"):
        tree = ast.parse((root / f"{name}.py").read_text())
        imported = {
            alias.name if isinstance(node, ast.Import) else f"{node.module or ''}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        }
        imported |= {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.level and not node.module
            for alias in node.names
        }
        assert not imported & {"views", "actions", "site", "workflows.views"}, name


@pytest.mark.engine
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_renames_the_stored_node_of_case_officers(flow_world):
    from django.core.management import call_command
    from django.db import connection

    referral = flow_world.new_referral()
    (task,) = process_for(referral).task_set.filter(status__in=OPEN)

    def stored():
        with connection.cursor() as cursor:
            cursor.execute("SELECT flow_task FROM viewflow_task WHERE id = %s", [task.pk])
            return cursor.fetchone()[0]

    call_command("migrate", "workflows", "0003", verbosity=0)
    assert stored() == "workflows/flows.ReferralFlow.agency_officer"
    call_command("migrate", "workflows", verbosity=0)
    assert stored() == "workflows/flows.ReferralFlow.case_officer"
