"""Lists, the case and task pages run a fixed number of queries however many rows they show;
one step, routing included, stays within its budget."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from viewflow.workflow.status import STATUS

from referral.models import DeadlineRule, Role, RuleSet, User
from referral.services import referrals as case
from referral.services.referrals import penalty_record
from referral.services.seized_items import seized_item_add
from referral.services.supplements import supplement_record
from workflows.selectors import task_open_for_referral, task_queue_for_user
from workflows.services import step_take, task_claim

# Every page: the session (1), the user (1) and the user's roles, which the menu reads (1).
BASE = 3
LISTS = [
    # + the page of tasks, each annotated in the same query with its referral's reference,
    #   title and status and its earliest open clock for the task's agency (1)
    # + for the inbox, the open follow-up items of the agency's joint meetings (1)
    ("xianjie:inbox", BASE + 2),
    ("xianjie:archive", BASE + 1),
    ("xianjie:queue", BASE + 1),
    ("xianjie:agency_tasks", BASE + 1),
    # + the filter's agency choices (1) + the pager's count (1) + the page of referrals with
    #   their three agencies joined (1)
    ("xianjie:referral_list", BASE + 3),
    # + counts: inbox (1), queue (1), overdue clocks (1), referrals by stage (1); the unread
    #   notifications are counted on the user row (0) + the user's agency for the heading (1)
    #   + latest unread notifications (1) + joint meetings of the user's agency with follow-up
    #   counts (1) + its open follow-up items with their meetings (1) + its open early
    #   interventions, one row per agency asked, with the request, its case and both agencies
    #   joined (1) + its open case consultations with their cases and opening agencies (1)
    #   + open clues between stations with both stations (1)
    ("xianjie:index", BASE + 11),
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
# (1) + seized items (1) + every document version with its issuing agency and issuer (1)
# + the case's early interventions the user's agency takes part in, one row per agency asked
# with the request and both agencies joined (1) + its consultations on the case with their
# opening agencies (1) + joint meetings of the user's agency with the case on their agenda (1)
# + supplements after transfer with their authors and agencies (1; their files are taken from
# the attachments) + the receipt checklists with signer and police organ (1) = 20.
# A filed case has four documents already.
CASE_PAGE = 20
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


# The case page before transfer, for its officer: the same queries, with a correction form per
# party and per seized item (built from the rows loaded, no query each) and the record's form.
@pytest.mark.parametrize("rows", [0, 4])
def test_editable_case_page_query_count(client, flow_world, django_assert_num_queries, rows):
    referral = flow_world.new_referral()
    officer = flow_world.user("fc-msa", Role.CASE_OFFICER)
    with flow_world.at():
        for n in range(rows):
            case.party_add(referral_id=referral.pk, actor=officer, kind="person", name=f"当事人{n}")
            seized_item_add(
                referral_id=referral.pk, actor=officer, name=f"物品{n}", quantity=1, unit="箱"
            )
    client.force_login(officer)
    # The page offers the officer's steps: + the open tasks with their holders (1), as above.
    with django_assert_num_queries(CASE_PAGE + 1):
        html = client.get(reverse("xianjie:referral_detail", args=[referral.pk])).content
    assert html.count(b'data-testid="remove-party-') == rows
    assert html.count(b'data-testid="edit-item-') == rows


# After transfer, the police read supplements with their files and the receipt checklist: the
# same queries however many supplements there are.
@pytest.mark.parametrize("supplements", [0, 3])
def test_case_page_with_supplements_query_count(
    client, flow_world, django_assert_num_queries, supplements
):
    referral = flow_world.reach("RECEIVED_BY_POLICE")
    officer = flow_world.user("fc-msa", Role.CASE_OFFICER)
    for n in range(supplements):
        supplement_record(
            referral_id=referral.pk,
            actor=officer,
            kind="correction",
            subject=f"事项{n}",
            content="更正内容",
            reason="理由",
            file_name=f"{n}.pdf",
            file_data=b"%PDF-1.4 " + str(n).encode(),
        )
    client.force_login(flow_world.user("fc-police", Role.POLICE_INTAKE))
    # The page offers the intake's steps: + the open tasks with their holders (1), as above.
    with django_assert_num_queries(CASE_PAGE + 1):
        html = client.get(reverse("xianjie:referral_detail", args=[referral.pk])).content
    assert html.count(b'data-testid="supplement-') == supplements


# --- one step: the gate and the routing after commit ------------------------------------------
#
# Counted as PostgreSQL sends them: BEGIN and COMMIT are left out (SQLite's backend logs them as
# statements, PostgreSQL's does not). The step from the task page, its task claimed:
#   gate (referral/services/transitions.py): the referral locked with its agencies and the
#     actor's roles (1: the roles come with the locked row when the request has not read them,
#     referral/access.py), the referral saved (1), the audit chain head locked (1), the step's
#     events inserted (1, however many), the head moved (1) = 5, + the clocks the step stops
#     and starts;
#   routing (workflows/routing.py): the referral locked with its latest step (1), its open task
#     with its process locked (1), that task completed (1), the next task inserted (1) and
#     linked to it (1) = 5.
ROUTE = 5
# One document issued in the step (referral/services/documents.py), the first of its type this
# year, under the step's own lock and transaction (no savepoint, no second lock of the
# referral): the counter read (1) and created (savepoint, insert, release: 3) and moved (1),
# the verification code checked unused (1), the document inserted (1) = 7. Its audit event
# costs nothing more: the step writes all its events in one INSERT with the chain head locked
# and moved once (services/audit.py audit_batch; the gate's 3), which the document's own lock
# of the head (lock order) finds already held.
ISSUE_ONE = 7
# Its rendering after commit, in-process here (CELERY_TASK_ALWAYS_EAGER; a worker in production):
# claimed (its referral 1, the referral locked 1, the document locked 1, progress saved 1 = 4),
# progress (1), frozen (the same three locks 3, saved 1, its audit event 3 = 7) = 12.
RENDER_ONE = 12
# The users concerned are told after commit (referral/services/notifications.py), in a
# transaction of their own: the referral (1) and who acts next (1) = 2; where someone is told,
# + those already told under the step's key (1), the notifications inserted (1) and the
# recipients' unread counts set (1) = 3; a decision step also reads everyone else handling the
# case (1). Nobody here has an e-mail address, so nothing is queued to send.
NOTIFY_NOBODY = 2
NOTIFY = NOTIFY_NOBODY + 3
NOTIFY_DECISION = NOTIFY + 1
STEPS = [
    # Owner unchanged (case officer -> case officer): starts and stops no clock; the actor is
    # the one who acts next, so nobody is told.
    ("find_suspected_crime", 5 + ROUTE + NOTIFY_NOBODY),
    # Owner changes (agency head -> case officer): stops the approval clock (select 1, update
    # 1) and starts the transfer clock (its rule 1, insert 1); issues the internal transfer
    # approval record (审批表, Decree 310 art 5). A decision: the case's officers are told it
    # awaits them, the rest of the case's handlers what was decided.
    ("approve_transfer", 5 + 4 + ROUTE + ISSUE_ONE + RENDER_ONE + NOTIFY_DECISION),
    # Owner changes (case officer -> agency head): its two legal conditions, the case group
    # (a count) and the written report (an exists), read together in one query under the lock
    # (lifecycle/conditions.py facts_preload) = 1, and the approval clock, counted in days so
    # the holiday calendar is read: its rule 1, the year's calendar 1, insert 1 = 3.
    ("submit_transfer_report", 5 + 1 + 3 + ROUTE + NOTIFY),
]
BUDGET = 15  # issue 7: the whole step without documents and notifications
# Work after commit outside the step's budget: documents rendered, users told.
AFTER_COMMIT = {
    "find_suspected_crime": NOTIFY_NOBODY,
    "approve_transfer": ISSUE_ONE + RENDER_ONE + NOTIFY_DECISION,
    "submit_transfer_report": NOTIFY,
}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(("name", "expected"), STEPS)
def test_step_from_the_task_page_query_count(tx_world, name, expected):
    referral, actor, task = _before(tx_world, name)
    with CaptureQueriesContext(connection) as queries, tx_world.at():
        step_take(referral_id=referral.pk, actor=actor, name=name, task=task)
    assert _statements(queries) == expected
    assert expected - AFTER_COMMIT[name] <= BUDGET
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
