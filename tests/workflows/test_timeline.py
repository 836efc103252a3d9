"""The case page's timeline: legal steps, documents or everything; reads and task claims only
under everything, and reads of the file only for the reader's own agency."""

import pytest
from django.urls import reverse

from referral.models import Role
from tests.workflows.test_queries import CASE_PAGE
from workflows.selectors import task_queue_for_user
from workflows.services import task_claim


@pytest.fixture
def case(flow_world, client, settings, tmp_path):
    """A referral awaiting the head's approval (steps, uploads), with the head's task claimed,
    the case file opened by the procurator and an attachment opened by the officer."""
    settings.MEDIA_ROOT = str(tmp_path)
    referral = flow_world.reach("TRANSFER_REPORT_PENDING_APPROVAL")
    head = flow_world.user("fc-msa", Role.AGENCY_HEAD)
    task_claim(task_id=task_queue_for_user(head)[0].pk, user=head)
    officer = flow_world.user("fc-msa", Role.CASE_OFFICER)
    attachment = referral.attachments.first()  # the transfer report, uploaded on the way
    procurator = flow_world.user("fc-proc", Role.PROCURATOR)
    client.force_login(procurator)
    client.get(reverse("xianjie:referral_detail", args=[referral.pk]))  # view_case_file
    client.get(reverse("xianjie:attachment_file", args=[attachment.pk]))
    client.force_login(officer)
    client.get(reverse("xianjie:attachment_file", args=[attachment.pk]) + "?download")
    return referral


def _actions(client, user, referral, scope=None):
    client.force_login(user)
    params = {"timeline": scope} if scope else {}
    response = client.get(reverse("xianjie:referral_detail", args=[referral.pk]), params)
    assert response.status_code == 200
    return [row.action for row in response.context["page"].timeline]


def test_default_timeline_leaves_out_reads_and_claims(client, flow_world, case):
    actions = _actions(client, flow_world.user("fc-msa", Role.AGENCY_HEAD), case)
    assert {"create", "submit_transfer_report", "add_attachment", "set_case_team"} <= set(actions)
    assert not {"claim_task", "view_case_file", "view_attachment", "download_attachment"} & set(
        actions
    )


def test_legal_steps_only(client, flow_world, case):
    actions = _actions(client, flow_world.user("fc-msa", Role.AGENCY_HEAD), case, "steps")
    assert actions[0] == "create" and "submit_transfer_report" in actions
    assert not {"add_attachment", "set_case_team", "claim_task"} & set(actions)


def test_documents_only(client, flow_world, case):
    actions = _actions(client, flow_world.user("fc-msa", Role.AGENCY_HEAD), case, "documents")
    assert "add_attachment" in actions
    assert set(actions) <= {"add_attachment", "issue_document", "render_document"}


def test_everything_shows_claims_and_the_own_agencys_reads(client, flow_world, case):
    actions = _actions(client, flow_world.user("fc-msa", Role.AGENCY_HEAD), case, "all")
    assert "claim_task" in actions and "download_attachment" in actions
    # The procuratorate's reading is not shown to the agency it supervises.
    assert "view_case_file" not in actions and "view_attachment" not in actions


def test_procurator_sees_the_procuratorates_reads_only(client, flow_world, case):
    procurator = flow_world.user("fc-proc", Role.PROCURATOR)
    actions = _actions(client, procurator, case, "all")
    assert "view_case_file" in actions and "view_attachment" in actions
    assert "download_attachment" not in actions  # the officer's


def test_police_never_see_the_procuratorates_reads(client, flow_world, case):
    for name in ("approve_transfer", "transfer"):
        flow_world.do(case, name)
    police = flow_world.user(case.police_agency.code, Role.POLICE_INTAKE)
    actions = _actions(client, police, case, "all")
    assert "transfer" in actions
    assert not {"view_case_file", "view_attachment", "download_attachment"} & set(actions)


def test_unknown_scope_is_the_default(client, flow_world, case):
    head = flow_world.user("fc-msa", Role.AGENCY_HEAD)
    assert _actions(client, head, case, "nonsense") == _actions(client, head, case)


def test_scope_links_are_in_chinese_and_mark_the_current_one(client, flow_world, case):
    client.force_login(flow_world.user("fc-msa", Role.AGENCY_HEAD))
    url = reverse("xianjie:referral_detail", args=[case.pk])
    body = client.get(url, {"timeline": "steps"}).content.decode()
    nav = body[body.index('data-testid="timeline-scopes"') :].split("</nav>")[0]
    assert "<b>法律步骤</b>" in nav
    assert f'href="{url}?timeline=all#timeline">全部记录</a>' in nav
    timeline = body[body.index('data-testid="timeline"') :]
    assert "领取任务" not in timeline and "系统 system" not in timeline


@pytest.mark.parametrize("scope", ["steps", "all"])
def test_every_scope_costs_the_case_pages_queries(
    client, flow_world, case, django_assert_num_queries, scope
):
    # The scopes filter the events and reads the page loads anyway (tests/workflows/
    # test_queries.py: CASE_PAGE), so none adds a query. The head has the approval to offer,
    # so the page looks up the task it needs held (+1, as for the procurator there).
    client.force_login(flow_world.user("fc-msa", Role.AGENCY_HEAD))
    url = reverse("xianjie:referral_detail", args=[case.pk])
    with django_assert_num_queries(CASE_PAGE + 1):
        assert client.get(url, {"timeline": scope}).status_code == 200
