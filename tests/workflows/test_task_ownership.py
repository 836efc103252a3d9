"""Issue 9: a case's officer tasks go to the officer who owns the case and stay with them across
steps; the queue serves intake and reassignment; the case page and the task page ask the same."""

from django.urls import reverse
from viewflow.workflow.status import STATUS

from referral import lifecycle
from referral.models import Role
from workflows.selectors import task_inbox_for_user, task_open_for_referral, task_queue_for_user
from workflows.services import task_reassign, task_release

S = lifecycle.Status


def _open(referral):
    (task,) = task_open_for_referral(referral.pk)
    return task


def test_a_new_case_goes_to_its_officers_inbox_not_the_queue(flow_world):
    officer = flow_world.user("fc-msa", Role.CASE_OFFICER)
    officer2 = flow_world.user("fc-msa", "case_officer2")
    referral = flow_world.new_referral()
    task = _open(referral)
    assert (task.status, task.owner) == (STATUS.ASSIGNED, officer)
    assert [t.pk for t in task_inbox_for_user(officer)] == [task.pk]
    assert list(task_queue_for_user(officer)) == list(task_queue_for_user(officer2)) == []


def test_the_officers_task_stays_with_them_across_steps(flow_world):
    officer = flow_world.user("fc-msa", Role.CASE_OFFICER)
    referral = flow_world.new_referral()
    flow_world.do(referral, "find_suspected_crime")
    assert (_open(referral).flow_task.name, _open(referral).owner) == ("case_officer", officer)
    flow_world.do(referral, "submit_transfer_report")
    head_task = _open(referral)  # the head's approval waits in the head's queue
    assert (head_task.flow_task.name, head_task.status, head_task.owner) == (
        "agency_head",
        STATUS.NEW,
        None,
    )
    flow_world.do(referral, "approve_transfer")
    assert (_open(referral).status, _open(referral).owner) == (STATUS.ASSIGNED, officer)


def test_police_intake_is_served_by_the_queue(flow_world):
    referral = flow_world.reach(S.TRANSFERRED_AWAITING_RECEIPT)
    task = _open(referral)
    intake = flow_world.user("fc-police", Role.POLICE_INTAKE)
    assert task.owner is None and [t.pk for t in task_queue_for_user(intake)] == [task.pk]


def test_a_reassigned_task_stays_with_the_new_officer_after_the_step(flow_world):
    officer2 = flow_world.user("fc-msa", "case_officer2")
    referral = flow_world.new_referral()
    task_reassign(
        task_id=_open(referral).pk,
        head=flow_world.user("fc-msa", Role.AGENCY_HEAD),
        to_user_id=officer2.pk,
    )
    flow_world.do(referral, "find_suspected_crime", actor=officer2)
    assert _open(referral).owner == officer2


def test_a_released_task_goes_to_the_queue_and_the_next_one_back_to_the_owner(flow_world):
    officer = flow_world.user("fc-msa", Role.CASE_OFFICER)
    referral = flow_world.new_referral()
    task_release(task_id=_open(referral).pk, user=officer)
    assert [t.pk for t in task_queue_for_user(flow_world.user("fc-msa", "case_officer2"))] == [
        _open(referral).pk
    ]
    flow_world.do(referral, "find_suspected_crime")
    assert _open(referral).owner == officer


def test_an_inactive_owner_hands_over_to_the_case_group_then_to_the_queue(flow_world):
    officer = flow_world.user("fc-msa", Role.CASE_OFFICER)
    officer2 = flow_world.user("fc-msa", "case_officer2")
    referral = flow_world.reach(S.TRANSFER_REPORT_PENDING_APPROVAL)  # group: officer, officer2
    other = flow_world.reach(S.TRANSFER_REPORT_PENDING_APPROVAL)
    other.case_team.remove(officer2)
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    flow_world.do(referral, "approve_transfer")
    assert _open(referral).owner == officer2
    flow_world.do(other, "approve_transfer")
    assert (_open(other).status, _open(other).owner) == (STATUS.NEW, None)


def test_the_case_page_asks_to_claim_a_queued_task_as_the_task_page_does(
    client, flow_world, django_capture_on_commit_callbacks
):
    referral = flow_world.reach(S.TRANSFERRED_AWAITING_RECEIPT)
    task = _open(referral)
    client.force_login(flow_world.user("fc-police", Role.POLICE_INTAKE))
    page = client.get(reverse("xianjie:referral_detail", args=[referral.pk])).content.decode()
    assert f'data-testid="claim-{task.pk}"' in page and "请先领取任务再办理。" in page
    for url in (
        reverse("xianjie:referral_step", args=[referral.pk, "sign_receipt"]),
        reverse("xianjie:task_step", args=[task.pk, "sign_receipt"]),
    ):
        response = client.post(url)
        assert "请先领取任务再办理。" in response.content.decode()
        referral.refresh_from_db()
        assert referral.status == S.TRANSFERRED_AWAITING_RECEIPT
    claimed = client.post(reverse("xianjie:task_claim", args=[task.pk]))
    assert claimed["Location"] == reverse("xianjie:task_detail", args=[task.pk])
    # Held now, the receipt goes through with its checklist (Decree 310 art. 6).
    checklist = {
        f"sign_receipt-item_{kind}": "complete" for kind in lifecycle.MANDATORY_TRANSFER_ATTACHMENTS
    }
    with flow_world.at(), django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("xianjie:referral_step", args=[referral.pk, "sign_receipt"]), checklist)
    referral.refresh_from_db()
    assert referral.status == S.RECEIVED_BY_POLICE


def test_a_colleague_cannot_take_the_owners_step_from_the_case_page(client, flow_world):
    referral = flow_world.new_referral()
    held = f"{flow_world.user('fc-msa', Role.CASE_OFFICER)}已领取该任务。"
    client.force_login(flow_world.user("fc-msa", "case_officer2"))
    page = client.get(reverse("xianjie:referral_detail", args=[referral.pk])).content.decode()
    assert held in page
    url = reverse("xianjie:referral_step", args=[referral.pk, "find_suspected_crime"])
    assert held in client.post(url).content.decode()
    referral.refresh_from_db()
    assert referral.status == S.ADMIN_CASE_UNDER_INVESTIGATION


def test_task_words_are_claim_and_release_and_receipt_stays_for_cases(client, flow_world):
    """签收 means receiving a case or a document; a task is 领取 / 释放."""
    referral = flow_world.reach(S.TRANSFERRED_AWAITING_RECEIPT)
    client.force_login(flow_world.user("fc-police", Role.POLICE_INTAKE))
    client.post(reverse("xianjie:task_claim", args=[_open(referral).pk]))
    page = client.get(reverse("xianjie:task_detail", args=[_open(referral).pk])).content.decode()
    panel = page.split('data-testid="task-panel"')[1].split("</div>")[0]
    heading = panel.split("</h3>")[0]
    assert "受案民警" in heading and "police_intake" not in heading  # the role, not its code
    assert "释放" in panel and "签收" not in panel
    assert "签收回执" in page  # the step: the police sign the receipt for the case
