"""Issue 10: three requests that answered with a server error (500). Each is now refused with a
Chinese message and changes nothing."""

from django.urls import reverse
from viewflow.workflow.status import STATUS

from referral import lifecycle
from referral.models import AuditEvent, Role
from workflows.selectors import process_for
from workflows.services import task_release

S = lifecycle.Status
HUGE_ID = "99999999999999999999999"  # past SQLite's 64-bit integers


def _open_task(referral):
    return process_for(referral).task_set.get(status__in=(STATUS.NEW, STATUS.ASSIGNED))


def test_bug_step_posted_from_a_finished_tasks_page_gave_a_500_no_transition(
    client, flow_world, django_capture_on_commit_callbacks
):
    referral = flow_world.new_referral()
    officer = flow_world.user("fc-msa", Role.CASE_OFFICER)
    client.force_login(officer)
    task = _open_task(referral)  # the officer's own (issue 9)
    url = reverse("xianjie:task_step", args=[task.pk, "find_suspected_crime"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    events = AuditEvent.objects.count()

    # The same form posted again from the (now finished) task page, e.g. a second click.
    response = client.post(url, follow=True)

    assert response.status_code == 200
    assert "该任务已办结。" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == S.SUSPECTED_CRIME_FOUND
    assert AuditEvent.objects.count() == events


def test_bug_a_huge_id_in_the_case_group_form_gave_a_500_overflow_error(client, flow_world):
    referral = flow_world.new_referral()
    client.force_login(flow_world.user("fc-msa", Role.CASE_OFFICER))
    events = AuditEvent.objects.count()
    team = set(referral.case_team.values_list("pk", flat=True))

    response = client.post(
        reverse("xianjie:referral_case_team", args=[referral.pk]), {"members": [HUGE_ID]}
    )

    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert set(referral.case_team.values_list("pk", flat=True)) == team
    assert AuditEvent.objects.count() == events


def test_a_huge_id_in_an_address_is_not_found(client, flow_world):
    flow_world.new_referral()
    client.force_login(flow_world.user("fc-msa", Role.CASE_OFFICER))

    def huge(name):
        return reverse(name, args=[7]).replace("/7/", f"/{HUGE_ID}/")

    assert client.get(huge("xianjie:referral_detail")).status_code == 404
    assert client.get(huge("xianjie:task_detail")).status_code == 404
    assert client.post(huge("xianjie:task_claim")).status_code == 404


def test_bug_the_agency_head_claimed_an_officers_task_it_cannot_act_on(client, flow_world):
    referral = flow_world.new_referral()
    task = _open_task(referral)
    assert task.flow_task.name == Role.CASE_OFFICER
    task_release(task_id=task.pk, user=flow_world.user("fc-msa", Role.CASE_OFFICER))
    client.force_login(flow_world.user("fc-msa", Role.AGENCY_HEAD))
    events = AuditEvent.objects.count()

    response = client.post(reverse("xianjie:task_claim", args=[task.pk]), follow=True)

    assert response.status_code == 200
    assert "只能领取" in response.content.decode()
    task.refresh_from_db()
    assert task.status == STATUS.NEW and task.owner_id is None  # still in the officers' queue
    assert AuditEvent.objects.count() == events
    # An officer still claims it.
    officer = flow_world.user("fc-msa", Role.CASE_OFFICER)
    client.force_login(officer)
    client.post(reverse("xianjie:task_claim", args=[task.pk]))
    task.refresh_from_db()
    assert task.owner == officer


def test_the_agency_head_still_claims_a_task_of_its_own_role(client, flow_world):
    referral = flow_world.reach(S.TRANSFER_REPORT_PENDING_APPROVAL)
    head = flow_world.user("fc-msa", Role.AGENCY_HEAD)
    client.force_login(head)
    task = _open_task(referral)
    client.post(reverse("xianjie:task_claim", args=[task.pk]))
    task.refresh_from_db()
    assert task.owner == head
