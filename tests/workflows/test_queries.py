"""Lists and the case page run a fixed number of queries however many rows they show."""

from datetime import date

import pytest
from django.urls import reverse

from referral.models import Role
from referral.services.referrals import penalty_record
from workflows.selectors import task_queue_for_user
from workflows.services import task_claim

# Every page: the session (1), the user (1) and the user's roles, which the menu reads (1).
BASE = 3
LISTS = [
    # + the page of tasks, each annotated in the same query with its referral's reference,
    #   title and status and its earliest open clock for the task's agency (1)
    ("xianjie:inbox", BASE + 1),
    ("xianjie:archive", BASE + 1),
    ("xianjie:queue", BASE + 1),
    ("xianjie:agency_tasks", BASE + 1),
    # + the page of referrals with their three agencies joined (1)
    ("xianjie:referral_list", BASE + 1),
    # + counts: inbox (1), queue (1), overdue clocks (1), warnings (1), referrals by stage (1)
    #   + the user's agency for the heading (1) + latest warnings (1)
    ("xianjie:index", BASE + 7),
]


@pytest.mark.parametrize("referrals", [1, 6])
@pytest.mark.parametrize(("page", "expected"), LISTS)
def test_list_query_count_does_not_grow_with_rows(
    client, flow_world, django_assert_num_queries, referrals, page, expected
):
    for _ in range(referrals):
        flow_world.reach("TRANSFER_REPORT_PENDING_APPROVAL")
    head = flow_world.user("fc-msa", Role.AGENCY_HEAD)
    for task in task_queue_for_user(head)[:3]:
        task_claim(task_id=task.pk, user=head)
    client.force_login(head)
    with django_assert_num_queries(expected):
        response = client.get(reverse(page))
    assert response.status_code == 200


# The case page: session, user (2) + the referral with its agencies (1) + roles (1) + the
# timeline with actors and agencies (1) + the special case group (1 for the list, 1 for the
# form's choices and 1 for its initial members) + parties (1) + attachments with uploaders (1)
# + penalties (1) + clocks with owners (1) + seized items (1) + every document version with
# its issuing agency and issuer (1) = 14. A filed case has four documents already.
CASE_PAGE = 14
# A procurator's view is on record: + the audit chain head locked (1), the event inserted (1)
# and the head moved (1), inside a savepoint (2), and no case-team form (-2).
CASE_PAGE_PROCURATOR = CASE_PAGE + 3


@pytest.mark.parametrize("penalties", [0, 5])
def test_case_page_query_count(client, flow_world, django_assert_num_queries, penalties):
    referral = flow_world.reach("FILED")
    for n in range(penalties):  # each adds a penalty row and a timeline event
        penalty_record(
            referral_id=referral.pk,
            actor=flow_world.user("fc-msa", Role.AGENCY_HEAD),
            decision_number=f"涪市监罚〔2026〕{n + 1}号",
            decided_on=date(2026, 3, 5),
            measures="罚款",
        )
    client.force_login(flow_world.user("fc-msa", Role.AGENCY_HEAD))
    with django_assert_num_queries(CASE_PAGE):
        assert client.get(reverse("xianjie:referral_detail", args=[referral.pk])).status_code == 200
    client.force_login(flow_world.user("fc-proc", Role.PROCURATOR))
    with django_assert_num_queries(CASE_PAGE_PROCURATOR):
        assert client.get(reverse("xianjie:referral_detail", args=[referral.pk])).status_code == 200


@pytest.mark.parametrize(
    "columns", [["owner_permission_obj_pk", "status"], ["owner_id", "status"]], ids=str
)
def test_task_lists_have_their_indexes(db, columns):
    """The queue filters tasks by agency and status, the inbox by owner and status: without
    these indexes the queue read every new task of every agency (bench/inbox.py, 100k)."""
    from django.db import connection

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "viewflow_task")
    assert any(c["index"] and c["columns"] == columns for c in constraints.values())
