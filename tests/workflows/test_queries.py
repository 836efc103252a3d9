"""Lists, the case and task pages run a fixed number of queries however many rows they show;
one step, routing included, stays within its budget."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from viewflow.workflow.status import STATUS

from referral.models import Role, User
from referral.services.referrals import penalty_record
from workflows.selectors import task_open_for_referral, task_queue_for_user
from workflows.services import step_take, task_claim

# Every page: the session (1), the user (1) and the user's roles, which the menu reads (1).
BASE = 3
LISTS = [
    # + the page of tasks, each annotated in the same query with its referral's reference,
    #   title and status and its earliest open clock for the task's agency (1)
    ("xianjie:inbox", BASE + 1),
    ("xianjie:archive", BASE + 1),
    ("xianjie:queue", BASE + 1),
    ("xianjie:agency_tasks", BASE + 1),
    # + the filter's agency choices (1) + the pager's count (1) + the page of referrals with
    #   their three agencies joined (1)
    ("xianjie:referral_list", BASE + 3),
    # + counts: inbox (1), queue (1), overdue clocks (1), warnings (1), referrals by stage (1)
    #   + the user's agency for the heading (1) + latest warnings (1)
    #   + joint meetings of the user's agency with follow-up counts (1) + its open follow-up
    #   items with their meetings (1)
    ("xianjie:index", BASE + 9),
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
# timeline with actors and agencies (1) + the special case group (1; the form's initial members
# are taken from it) + the form's choices (1) + parties (1) + attachments with uploaders (1)
# + the reads of those attachments by the user's agency, with reader and file (1) + the reads
# of the case file by the user's agency, with reader (1) + penalties (1) + clocks with owners
# (1) + seized items (1) + every document version with its issuing agency and issuer (1) = 15.
# A filed case has four documents already.
CASE_PAGE = 15
# A procurator's view is on record: + the read inserted (1; outside the audit chain, so no
# chain lock), and no case-team form (-1); the procurator has a step to offer on a filed case,
# so + the open tasks of the procuratorate with their holders, for the same check the step
# makes (1; issue 9; asked only when the page offers a step, so not for the head here).
CASE_PAGE_PROCURATOR = CASE_PAGE + 1
# The task page: the case page's + the task with its process and owner (1) + for the head the
# agency members who may take the task over, in the reassignment form (1).
TASK_PAGE_HEAD = CASE_PAGE + 2


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


def test_case_page_names_the_local_rule_set_in_one_more_query(
    client, flow_world, django_assert_num_queries
):
    """A clock whose period came from a local rule set shows the set's name beside it: the
    names of the sets in force cost one query (workflows/case_page.py), only when one applies."""
    from referral.models import DeadlineRule, RuleSet

    mianyang = RuleSet.objects.create(
        code="mianyang", name="绵阳市规则", region_prefix="5107", source="绵阳市规则"
    )
    DeadlineRule.objects.create(
        ruleset=mianyang, rule="items_handover", amount=2, unit="calendar_days", article="两日"
    )
    referral = flow_world.reach("FILED")
    assert referral.clocks.get(rule="items_handover").ruleset == "mianyang"
    client.force_login(flow_world.user("fc-msa", Role.AGENCY_HEAD))
    with django_assert_num_queries(CASE_PAGE + 1):
        page = client.get(reverse("xianjie:referral_detail", args=[referral.pk]))
    assert "绵阳市规则" in page.content.decode()


@pytest.mark.parametrize("penalties", [0, 5])
def test_task_page_query_count(client, flow_world, django_assert_num_queries, penalties):
    referral = flow_world.reach("FILED")
    head = flow_world.user("fc-msa", Role.AGENCY_HEAD)
    for n in range(penalties):
        penalty_record(
            referral_id=referral.pk,
            actor=head,
            decision_number=f"涪市监罚〔2026〕{n + 1}号",
            decided_on=date(2026, 3, 5),
            measures="罚款",
        )
    (task,) = task_open_for_referral(referral.pk)
    client.force_login(head)
    with django_assert_num_queries(TASK_PAGE_HEAD):
        assert client.get(reverse("xianjie:task_detail", args=[task.pk])).status_code == 200


# --- one step: the gate and the routing after commit ------------------------------------------
#
# Counted as PostgreSQL sends them: BEGIN and COMMIT are left out (SQLite's backend logs them as
# statements, PostgreSQL's does not). The step from the task page, its task claimed:
#   gate (referral/services/transitions.py): the referral locked with its agencies (1), the
#     actor's roles (1), the referral saved (1), the audit chain head locked (1), the event
#     inserted (1), the head moved (1) = 6, + the clocks the step stops and starts;
#   routing (workflows/routing.py): the referral locked with its latest step (1), its open task
#     with its process locked (1), that task completed (1), the next task inserted (1) and
#     linked to it (1) = 5.
ROUTE = 5
# One document issued in the step (referral/services/documents.py), the first of its type this
# year: a savepoint (1), the referral locked (1), the audit chain head locked (1), the counter
# read (1) and created (savepoint, insert, release: 3) and moved (1), the verification code
# checked unused (1), the document inserted (1), its audit event (head 1, insert 1, head moved
# 1 = 3), the savepoint released (1) = 14.
ISSUE_ONE = 14
# Its rendering after commit, in-process here (CELERY_TASK_ALWAYS_EAGER; a worker in production):
# claimed (its referral 1, the referral locked 1, the document locked 1, progress saved 1 = 4),
# progress (1), frozen (the same three locks 3, saved 1, its audit event 3 = 7) = 12.
RENDER_ONE = 12
STEPS = [
    # Owner unchanged (case officer -> case officer): starts and stops no clock.
    ("find_suspected_crime", 6 + ROUTE),
    # Owner changes (agency head -> case officer): stops the approval clock (select 1, update
    # 1) and starts the transfer clock (its rule 1, insert 1); issues the internal transfer
    # approval record (审批表, Decree 310 art 5).
    ("approve_transfer", 6 + 4 + ROUTE + ISSUE_ONE + RENDER_ONE),
    # Owner changes (case officer -> agency head): its two legal conditions, the case group
    # (count 1) and the written report (exists 1), and the approval clock, counted in days so
    # the holiday calendar is read: its rule 1, the year's calendar 1, insert 1. One over the
    # budget: a step cannot skip the conditions the law sets or the calendar it counts on.
    ("submit_transfer_report", 6 + 2 + 3 + ROUTE),
]
BUDGET = 15  # issue 7: the whole step without documents
DOCUMENTS = {"approve_transfer": ISSUE_ONE + RENDER_ONE}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(("name", "expected"), STEPS)
def test_step_from_the_task_page_query_count(tx_world, name, expected):
    referral, actor, task = _before(tx_world, name)
    with CaptureQueriesContext(connection) as queries, tx_world.at():
        step_take(referral_id=referral.pk, actor=actor, name=name, task=task)
    assert _statements(queries) == expected
    assert expected - DOCUMENTS.get(name, 0) <= BUDGET or name == "submit_transfer_report"
    task.refresh_from_db()
    assert task.status == STATUS.DONE and task.owner == actor


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(("name", "expected"), STEPS)
def test_step_from_the_case_page_query_count(tx_world, name, expected):
    """From the case page, the task held as on the task page (issue 9: the same check): + the
    step's open task looked up to see that the actor holds it (1)."""
    referral, actor, task = _before(tx_world, name)
    with CaptureQueriesContext(connection) as queries, tx_world.at():
        step_take(referral_id=referral.pk, actor=actor, name=name)
    assert _statements(queries) == expected + 1
    task.refresh_from_db()
    assert task.status == STATUS.DONE and task.owner == actor  # as from the task page


PATHS = {
    "find_suspected_crime": [],
    "approve_transfer": ["find_suspected_crime", "submit_transfer_report"],
    "submit_transfer_report": ["find_suspected_crime"],
}


def _before(world, name):
    referral = world.new_referral()
    for step in PATHS[name]:
        world.do(referral, step)
    world.prepare(referral, name)
    actor = world.actor_for(referral, name)
    (task,) = task_open_for_referral(referral.pk)
    if task.owner_id is None:  # the officer's task is theirs already (issue 9)
        task_claim(task_id=task.pk, user=actor)
        task.refresh_from_db()
    # As in a request of its own: the actor's roles are not loaded yet.
    return referral, User.objects.get(pk=actor.pk), task


def _statements(queries) -> int:
    return sum(q["sql"] not in ("BEGIN", "BEGIN IMMEDIATE", "COMMIT") for q in queries)


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
