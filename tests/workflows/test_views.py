"""Pages: home, lists, task page and case page, through the test client."""

import pytest
from django.urls import reverse
from viewflow.workflow.status import STATUS

from referral import lifecycle
from referral.models import AuditChainHead, AuditEvent, CaseFileRead, Clock, Role
from tests.factories import UserFactory
from workflows.selectors import process_for, task_inbox_for_user, task_queue_for_user
from workflows.services import task_claim, task_reassign

S = lifecycle.Status


def _task(referral):
    return process_for(referral).task_set.get(status__in=(STATUS.NEW, STATUS.ASSIGNED))


def _login(client, world, agency, role):
    user = world.user(agency, role)
    client.force_login(user)
    return user


def test_officer_takes_a_step_from_the_task_page_of_their_own_case(
    client, flow_world, django_capture_on_commit_callbacks
):
    """The officer's own new case is in their inbox, already theirs (issue 9), not in the
    queue."""
    referral = flow_world.new_referral()
    officer = _login(client, flow_world, "fc-msa", Role.CASE_OFFICER)
    task = _task(referral)
    assert "某食品公司" not in client.get(reverse("xianjie:queue")).content.decode()
    assert task.owner == officer
    assert "某食品公司" in client.get(reverse("xianjie:inbox")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("xianjie:task_step", args=[task.pk, "find_suspected_crime"]))
    assert response.status_code == 302
    referral.refresh_from_db()
    task.refresh_from_db()
    assert referral.status == S.SUSPECTED_CRIME_FOUND and task.status == STATUS.DONE
    assert "某食品公司" in client.get(reverse("xianjie:archive")).content.decode()


def test_officer_claims_a_released_task_from_the_queue(client, flow_world):
    referral = flow_world.new_referral()
    task = _task(referral)
    officer2 = _login(client, flow_world, "fc-msa", "case_officer2")
    client.force_login(flow_world.user("fc-msa", Role.CASE_OFFICER))
    assert client.post(reverse("xianjie:task_release", args=[task.pk])).status_code == 302
    client.force_login(officer2)
    assert "某食品公司" in client.get(reverse("xianjie:queue")).content.decode()
    assert client.post(reverse("xianjie:task_claim", args=[task.pk])).status_code == 302
    task.refresh_from_db()
    assert (task.status, task.owner) == (STATUS.ASSIGNED, officer2)


def test_refusal_without_reason_shows_a_chinese_error_and_changes_nothing(client, flow_world):
    referral = flow_world.reach(S.TRANSFER_REPORT_PENDING_APPROVAL)
    _login(client, flow_world, "fc-msa", Role.AGENCY_HEAD)
    task = _task(referral)
    client.post(reverse("xianjie:task_claim", args=[task.pk]))
    response = client.post(
        reverse("xianjie:task_step", args=[task.pk, "refuse_transfer"]),
        {"refuse_transfer-reason": ""},
    )
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == S.TRANSFER_REPORT_PENDING_APPROVAL


def test_step_on_an_unclaimed_task_is_refused(client, flow_world):
    referral = flow_world.reach(S.TRANSFER_REPORT_PENDING_APPROVAL)
    _login(client, flow_world, "fc-msa", Role.AGENCY_HEAD)
    task = _task(referral)
    url = reverse("xianjie:task_step", args=[task.pk, "approve_transfer"])
    response = client.post(url, follow=True)
    referral.refresh_from_db()
    assert referral.status == S.TRANSFER_REPORT_PENDING_APPROVAL
    assert "请先领取任务再办理。" in response.content.decode()


def test_step_on_a_task_claimed_by_a_colleague_is_refused_on_the_case_page(client, flow_world):
    referral = flow_world.new_referral()
    task_reassign(
        task_id=_task(referral).pk,
        head=flow_world.user("fc-msa", Role.AGENCY_HEAD),
        to_user_id=flow_world.user("fc-msa", "case_officer2").pk,
    )
    _login(client, flow_world, "fc-msa", Role.CASE_OFFICER)
    client.post(reverse("xianjie:referral_step", args=[referral.pk, "find_suspected_crime"]))
    referral.refresh_from_db()
    assert referral.status == S.ADMIN_CASE_UNDER_INVESTIGATION


def test_procurator_opening_a_case_file_is_recorded(client, flow_world):
    """On record in its own append-only table, not in the audit chain: a page view does not
    wait for the chain's head lock (issue 10)."""
    referral = flow_world.reach(S.FILED)
    procurator = _login(client, flow_world, "fc-proc", Role.PROCURATOR)
    events, head = AuditEvent.objects.count(), AuditChainHead.objects.get().last_seq
    page = client.get(reverse("xianjie:referral_detail", args=[referral.pk]))
    assert page.status_code == 200
    (read,) = CaseFileRead.objects.all()
    assert (read.reader, read.reader_agency, read.referral) == (
        procurator,
        procurator.agency,
        referral,
    )
    assert read.request_id  # the request's id, as audit events carry it
    assert (AuditEvent.objects.count(), AuditChainHead.objects.get().last_seq) == (events, head)
    police = _login(client, flow_world, "fc-police", Role.POLICE_REVIEWER)
    client.get(reverse("xianjie:referral_detail", args=[referral.pk]))
    assert CaseFileRead.objects.count() == 1 and police.agency != procurator.agency
    assert 'data-testid="step-' not in page.content.decode().split('data-testid="steps"')[0]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (("yx-police", Role.POLICE_INTAKE), 404),
        (("my-police", Role.POLICE_INTAKE), 404),
        (("fc-police", Role.POLICE_REVIEWER), 403),
        (("fc-proc", Role.PROCURATOR), 404),
        (("fc-msa", Role.CASE_OFFICER), 404),
    ],
)
def test_police_task_page_for_others(client, flow_world, who, status):
    referral = flow_world.reach(S.RECEIVED_BY_POLICE)
    task = _task(referral)
    _login(client, flow_world, *who)
    assert client.get(reverse("xianjie:task_detail", args=[task.pk])).status_code == status


def test_procurator_cannot_execute_a_police_task(client, flow_world):
    referral = flow_world.reach(S.UNDER_POLICE_REVIEW)
    task = _task(referral)
    _login(client, flow_world, "fc-proc", Role.PROCURATOR)
    response = client.post(reverse("xianjie:task_step", args=[task.pk, "file_case"]))
    assert response.status_code == 404
    response = client.post(reverse("xianjie:referral_step", args=[referral.pk, "file_case"]))
    referral.refresh_from_db()
    assert referral.status == S.UNDER_POLICE_REVIEW


@pytest.mark.parametrize(
    "who",
    [
        ("yx-msa", Role.CASE_OFFICER),
        ("yx-proc", Role.PROCURATOR),
        ("fc-police", Role.POLICE_INTAKE),
    ],
)
def test_case_page_of_another_agency_is_not_found(client, flow_world, who):
    referral = flow_world.new_referral()  # not yet transferred: police see nothing either
    _login(client, flow_world, *who)
    assert client.get(reverse("xianjie:referral_detail", args=[referral.pk])).status_code == 404


def test_case_page_for_a_member_without_a_role_is_forbidden(client, flow_world):
    referral = flow_world.new_referral()
    client.force_login(UserFactory(username="norole", agency=flow_world.agencies["fc-msa"]))
    assert client.get(reverse("xianjie:referral_detail", args=[referral.pk])).status_code == 403


def test_upload_rejected_by_content_shows_why(client, flow_world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    referral = flow_world.new_referral()
    _login(client, flow_world, "fc-msa", Role.CASE_OFFICER)
    url = reverse("xianjie:referral_upload", args=[referral.pk])
    bad = SimpleUploadedFile("report.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(url, {"kind": "evidence", "file": bad}, follow=True)
    assert "PDF" in response.content.decode() and not referral.attachments.exists()
    good = SimpleUploadedFile("report.pdf", b"%PDF-1.4 ok", content_type="application/pdf")
    client.post(url, {"kind": "evidence", "file": good})
    assert referral.attachments.count() == 1


def test_anonymous_user_is_sent_to_login(client, db):
    response = client.get(reverse("xianjie:inbox"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_inbox_sorts_by_due_date_with_undated_tasks_last(client, flow_world):
    head = flow_world.user("fc-msa", Role.AGENCY_HEAD)
    undated = flow_world.reach(S.CASE_WITHDRAWN)  # close_file clock: 15 working days
    dated = flow_world.reach(S.TRANSFER_REPORT_PENDING_APPROVAL)  # approval: 3 days
    Clock.objects.filter(referral=undated).delete()  # a task with no running period
    for task in task_queue_for_user(head):
        task_claim(task_id=task.pk, user=head)
    rows = list(task_inbox_for_user(head))
    assert [r.referral_id for r in rows] == [dated.pk, undated.pk]
    assert rows[0].due_at is not None and rows[1].due_at is None


def test_head_reassigns_an_officers_task_from_the_agency_list(client, flow_world):
    referral = flow_world.new_referral()
    task = _task(referral)
    officer2 = flow_world.user("fc-msa", "case_officer2")
    head = _login(client, flow_world, "fc-msa", Role.AGENCY_HEAD)
    page = client.get(reverse("xianjie:agency_tasks")).content.decode()
    assert reverse("xianjie:task_detail", args=[task.pk]) in page
    task_page = client.get(reverse("xianjie:task_detail", args=[task.pk])).content.decode()
    assert 'data-testid="step-' not in task_page  # the head does not act for the officer
    response = client.post(
        reverse("xianjie:task_reassign", args=[task.pk]), {"to_user": officer2.pk}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.owner == officer2 and task.status == STATUS.ASSIGNED
    assert AuditEvent.objects.filter(action="reassign_task", actor=head).exists()


def test_agency_task_list_is_for_heads_only(client, flow_world):
    _login(client, flow_world, "fc-msa", Role.CASE_OFFICER)
    assert client.get(reverse("xianjie:agency_tasks")).status_code == 403


def test_reassign_by_an_officer_is_refused(client, flow_world):
    referral = flow_world.new_referral()
    task = _task(referral)
    _login(client, flow_world, "fc-msa", Role.CASE_OFFICER)
    officer2 = flow_world.user("fc-msa", "case_officer2")
    client.post(reverse("xianjie:task_reassign", args=[task.pk]), {"to_user": officer2.pk})
    task.refresh_from_db()
    assert task.owner == flow_world.user("fc-msa", Role.CASE_OFFICER)  # still the owner's


def test_task_page_names_the_tasks_role_not_its_node(client, flow_world):
    from django.utils import translation

    referral = flow_world.new_referral()
    _login(client, flow_world, "fc-msa", Role.CASE_OFFICER)
    page = client.get(reverse("xianjie:task_detail", args=[_task(referral).pk])).content.decode()
    panel = page.split('data-testid="task-panel"')[1].split("</h3>")[0]
    with translation.override("zh-hans"):
        assert str(Role.CASE_OFFICER.label) in panel and "case_officer" not in panel


def test_a_step_from_the_case_page_ends_the_task_as_one_from_the_task_page(
    client, flow_world, django_capture_on_commit_callbacks
):
    officer = _login(client, flow_world, "fc-msa", Role.CASE_OFFICER)
    from_task, from_case = flow_world.new_referral(), flow_world.new_referral()
    task_a, task_b = _task(from_task), _task(from_case)  # both the officer's own already
    for url in (
        reverse("xianjie:task_step", args=[task_a.pk, "find_suspected_crime"]),
        reverse("xianjie:referral_step", args=[from_case.pk, "find_suspected_crime"]),
    ):
        with flow_world.at(), django_capture_on_commit_callbacks(execute=True):
            assert client.post(url).status_code == 302
    task_a.refresh_from_db()
    task_b.refresh_from_db()
    assert (task_a.status, task_a.owner) == (task_b.status, task_b.owner) == (STATUS.DONE, officer)
    assert [t.flow_task.name for t in (_task(from_task), _task(from_case))] == ["case_officer"] * 2


def test_an_invalid_form_comes_back_with_its_input_and_a_chinese_error(client, flow_world):
    referral = flow_world.new_referral()
    _login(client, flow_world, "fc-msa", Role.CASE_OFFICER)
    response = client.post(
        reverse("xianjie:referral_party", args=[referral.pk]),
        {"kind": "company", "name": "", "phone": "0816-2222333"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "这个字段是必填项" in html and "0816-2222333" in html
    assert not referral.parties.exists()


def test_the_pages_take_no_post(client, flow_world):
    referral = flow_world.new_referral()
    _login(client, flow_world, "fc-msa", Role.CASE_OFFICER)
    for url in (
        reverse("xianjie:referral_detail", args=[referral.pk]),
        reverse("xianjie:task_detail", args=[_task(referral).pk]),
    ):
        assert client.post(url, {"action": "find_suspected_crime"}).status_code == 405
