"""The access matrix: every user (each role of each agency of the World, a user of no agency,
an anonymous client) against every endpoint that takes a referral, task, document or attachment
id, on referrals in four stages and on ids that do not exist.

What each cell should give is worked out from the rules, never from running the code:
`referral.access.may_view` for seeing, `referral.permissions` for acting (`may_edit_case_record`
with `lifecycle.EDITABLE_STATES`, `may_act` with the step's side and role,
`may_correct_document`), and the task rules of workflows/services.py (a task is its acting
agency's; its page is for the task's role and the head; claiming for the role, releasing and
stepping for the holder, reassigning for the head). Outcomes:

- "login": an anonymous client is sent to the login page;
- "404": the same page, byte for byte, as for an id that does not exist;
- "403" / "refused": the object is visible but the right is missing: a 403, or the page (or a
  redirect) carrying a Chinese error message; the database is unchanged;
- "ok": the action is done (its effect checked) or the page is served.

The World is built once for the module inside a transaction that is rolled back at its end;
each cell runs in its own savepoint (pytest-django's `db`), so an action that succeeds leaves
nothing behind for the next cell.
"""

import re
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from referral import lifecycle
from referral.access import may_view
from referral.demo import placeholder_pdf
from referral.models import (
    Attachment,
    AttachmentKind,
    AttachmentRead,
    AuditEvent,
    CaseFileRead,
    Document,
    Party,
    PartyKind,
    Referral,
    Role,
    SeizedItem,
    User,
)
from referral.permissions import may_act, may_correct_document, may_edit_case_record, side_agency_id
from referral.services import referrals as case
from referral.services import seized_items
from tests.factories import KIND_CODES, REGIONS, ROLES_BY_KIND, UserFactory, World, path_to
from workflows.services import task_reassign

# Needs no particular database: bin/test runs it once, on its PostgreSQL pass.
# One worker builds the module's world and checks every cell (bin/test runs on two workers).
pytestmark = [pytest.mark.system, pytest.mark.xdist_group("access_matrix")]

S = lifecycle.Status
MISSING = 2**31 - 7  # an id no row has

# Each stage: the state a referral is driven into and the step a cell tries there.
STAGES = {
    "before_transfer": (S.ADMIN_CASE_UNDER_INVESTIGATION, "find_suspected_crime"),
    "transferred": (S.TRANSFERRED_AWAITING_RECEIPT, "sign_receipt"),
    "filed": (S.FILED, "record_arrest_request"),
    "supervision": (S.FILING_SUPERVISION_REQUESTED, "accept_supervision_request"),
}
# Stages by which a document has been issued (the transfer letter and after).
DOCUMENT_STAGES = ("transferred", "filed", "supervision")
# The before-transfer stage's task, its owner's at first (issue 9), is reassigned by the head to
# the second officer, so that the task rules (the holder alone steps and releases, a held task
# is not claimed again) have cells for another holder than the case's owner.
CLAIMED_STAGE = "before_transfer"

USERNAMES = [
    f"{prefix}-{role}" for prefix in REGIONS for kind in KIND_CODES for role in ROLES_BY_KIND[kind]
] + ["fc-case_officer2", "nobody", "anonymous"]

# (name, method, what its id names)
ENDPOINTS = [
    ("case_page", "GET", "referral"),
    ("case_list_filtered", "GET", "referral"),
    ("task_page", "GET", "task"),
    ("document_pdf", "GET", "document"),
    ("document_status", "GET", "document"),
    ("verify_code", "GET", "document"),
    ("attachment_view", "GET", "attachment"),
    ("attachment_download", "GET", "attachment"),
    ("step", "POST", "referral"),
    ("task_step", "POST", "task"),
    ("claim", "POST", "task"),
    ("release", "POST", "task"),
    ("reassign", "POST", "task"),
    ("upload", "POST", "referral"),
    ("party", "POST", "referral"),
    ("team", "POST", "referral"),
    ("seized_item", "POST", "referral"),
    ("correction", "POST", "document"),
    ("retry", "POST", "document"),
]


@dataclass
class Stage:
    referral: Referral
    task: Task | None
    step: str
    document: Document | None
    attachment: Attachment


class Matrix:
    def __init__(self):
        self.world = World()
        self.users = {user.username: user for user in self.world.users.values()}
        self.users["nobody"] = UserFactory(username="nobody", agency=None, roles=[])
        self.stages = {name: self._stage(name, *spec) for name, spec in STAGES.items()}
        self.missing_pages: dict[tuple[str, str], bytes] = {}

    def _run(self, fn, *args, **kwargs):
        # The steps' after-commit work (task routing, document rendering) runs as it would live.
        with TestCase.captureOnCommitCallbacks(execute=True):
            return fn(*args, **kwargs)

    def _stage(self, name, state, step):
        w = self.world
        officer = w.user("fc-msa", Role.CASE_OFFICER)
        referral = self._run(w.new_referral)
        with w.at():
            self._run(
                case.party_add,
                referral_id=referral.pk,
                actor=officer,
                kind=PartyKind.values[0],
                name="某食品有限公司",
            )
            attachment = self._run(
                case.attachment_add,
                referral_id=referral.pk,
                actor=officer,
                kind=AttachmentKind.values[0],
                name="evidence.pdf",
                data=placeholder_pdf(f"evidence {name}"),
            )
            self._run(
                seized_items.seized_item_add,
                referral_id=referral.pk,
                actor=officer,
                name="有毒食品",
                quantity=3,
                unit="箱",
            )
        _kind, path = path_to(state, kind=referral.kind)
        for step_name in path:
            self._run(w.do, referral, step_name)
        referral.refresh_from_db()
        assert referral.status == state, (name, referral.status)
        self._run(w.prepare, referral, step)
        task = open_task(referral)
        if name == CLAIMED_STAGE:
            with w.at():
                self._run(
                    task_reassign,
                    task_id=task.pk,
                    head=w.user("fc-msa", Role.AGENCY_HEAD),
                    to_user_id=w.user("fc-msa", "case_officer2").pk,
                )
            task.refresh_from_db()
        document = referral.documents.filter(superseded_at=None).order_by("-pk").first()
        if name in DOCUMENT_STAGES:
            assert document is not None and document.is_ready, (name, document)
        return Stage(referral, task, step, document, attachment)


def open_task(referral) -> Task | None:
    return Task.objects.filter(
        process__artifact_object_id=str(referral.pk),
        flow_task_type="HUMAN",
        status__in=(STATUS.NEW, STATUS.ASSIGNED),
    ).first()


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker, tmp_path_factory):
    checkpoints = tmp_path_factory.mktemp("audit-checkpoints")
    with django_db_blocker.unblock(), override_settings(XIANJIE_AUDIT_CHECKPOINT_DIR=checkpoints):
        with transaction.atomic():
            yield Matrix()
            transaction.set_rollback(True)


# --- expectations, from the rules ---------------------------------------------------------------


def relation(user, referral) -> str:
    if user is None:
        return "anonymous"
    if user.agency_id is None:
        return "no_agency"
    for field in ("agency_id", "police_agency_id", "procuratorate_id"):
        if getattr(referral, field) == user.agency_id:
            return field.removesuffix("_id")
    return "other_agency"


def task_rules(referral):
    """(the task's agency, its node) from the state's owner: tasks follow the status."""
    side, role = lifecycle.STATE_OWNERS[referral.status]
    return side_agency_id(referral, side), role


def expected(endpoint, user, stage: Stage | None) -> str:
    if endpoint == "verify_code":
        return "ok" if stage else "404"
    if user is None:
        return "login"
    if stage is None:
        return "unlisted" if endpoint == "case_list_filtered" else "404"
    referral = stage.referral
    visible = may_view(user, referral)
    if endpoint == "case_list_filtered":
        return "listed" if visible else "unlisted"
    if endpoint in ("task_page", "task_step", "claim", "release", "reassign"):
        agency_id, node = task_rules(referral)
        if user.agency_id is None or user.agency_id != agency_id:
            return "404"
        sees_task = user.has_role(node) or user.has_role(Role.AGENCY_HEAD)
        if not sees_task:
            # The task page, its step and reassign load the task for the page (403); claim and
            # release say why on the task page they return to.
            return "refused" if endpoint in ("claim", "release") else "403"
        task = stage.task
        holder = task.owner_id
        if endpoint == "task_page":
            return "ok"
        if endpoint == "claim":
            return "ok" if user.has_role(node) and holder is None else "refused"
        if endpoint == "release":
            return "ok" if holder == user.pk else "refused"
        if endpoint == "reassign":
            return "ok" if user.has_role(Role.AGENCY_HEAD) else "refused"
        if endpoint == "task_step":
            step = lifecycle.step_of(lifecycle.transitions()[stage.step][0])
            mine = holder == user.pk and step.role == node
            return "ok" if mine and may_act(user, referral, step.side, step.role) else "refused"
    if not visible:
        return "404"
    if endpoint in ENDPOINTS_WITHOUT_REFUSAL:
        return "ok"
    if endpoint == "step":
        # The case page checks as the task page does (issue 9): where the step's role has the
        # open task in the user's agency, only its holder steps; a step no task stands for (a
        # procurator's supervision) needs none.
        step = lifecycle.step_of(lifecycle.transitions()[stage.step][0])
        agency_id, node = task_rules(referral)
        tasked = stage.task is not None and (agency_id, node) == (user.agency_id, step.role)
        holds = stage.task.owner_id == user.pk if tasked else True
        allowed = may_act(user, referral, step.side, step.role) and holds
        return "ok" if allowed else "refused"
    if endpoint in ("upload", "party", "team", "seized_item"):
        editable = referral.status in lifecycle.EDITABLE_STATES
        return "ok" if may_edit_case_record(user, referral) and editable else "refused"
    if endpoint == "correction":
        return "ok" if may_correct_document(user, stage.document) else "refused"
    if endpoint == "retry":
        # Every document here rendered: another try is refused even to those who may correct.
        return "refused"
    raise AssertionError(endpoint)


# --- requests -----------------------------------------------------------------------------------


def request(client, endpoint, stage: Stage | None, matrix: Matrix):
    referral_id = stage.referral.pk if stage else MISSING
    task_id = stage.task.pk if stage and stage.task else MISSING
    document = stage.document if stage else None
    document_id = document.pk if document else MISSING
    attachment_id = stage.attachment.pk if stage else MISSING
    step = stage.step if stage else "find_suspected_crime"
    world = matrix.world
    get = client.get
    post = client.post
    match endpoint:
        case "case_page":
            return get(reverse("xianjie:referral_detail", args=[referral_id]))
        case "case_list_filtered":
            reference = stage.referral.reference if stage else "NO-SUCH-REFERENCE"
            return get(reverse("xianjie:referral_list"), {"q": reference})
        case "task_page":
            return get(reverse("xianjie:task_detail", args=[task_id]))
        case "document_pdf":
            return get(reverse("referral:document_pdf", args=[document_id]))
        case "document_status":
            return get(reverse("referral:document_status", args=[document_id]))
        case "verify_code":
            code = document.verification_code if document else "ABCD-EFGH-JKLM"
            return get(reverse("referral:verify", args=[code]))
        case "attachment_view":
            return get(reverse("xianjie:attachment_file", args=[attachment_id]))
        case "attachment_download":
            return get(reverse("xianjie:attachment_file", args=[attachment_id]), {"download": ""})
        case "step":
            return post(
                reverse("xianjie:referral_step", args=[referral_id, step]), step_data(step, world)
            )
        case "task_step":
            return post(reverse("xianjie:task_step", args=[task_id, step]), step_data(step, world))
        case "claim":
            return post(reverse("xianjie:task_claim", args=[task_id]))
        case "release":
            return post(reverse("xianjie:task_release", args=[task_id]))
        case "reassign":
            target = reassign_target(stage, matrix) if stage else None
            return post(
                reverse("xianjie:task_reassign", args=[task_id]),
                {"to_user": target.pk if target else MISSING},
            )
        case "upload":
            upload = SimpleUploadedFile("more.pdf", placeholder_pdf("more"), "application/pdf")
            return post(
                reverse("xianjie:referral_upload", args=[referral_id]),
                {"kind": AttachmentKind.TEST_REPORT, "file": upload},
            )
        case "party":
            return post(
                reverse("xianjie:referral_party", args=[referral_id]),
                {"kind": PartyKind.values[0], "name": "张某"},
            )
        case "team":
            members = [
                world.user("fc-msa", Role.CASE_OFFICER).pk,
                world.user("fc-msa", "case_officer2").pk,
            ]
            return post(
                reverse("xianjie:referral_case_team", args=[referral_id]), {"members": members}
            )
        case "seized_item":
            return post(
                reverse("xianjie:referral_seized_item", args=[referral_id]),
                {"item-name": "冷冻肉", "item-quantity": "2", "item-unit": "箱"},
            )
        case "correction":
            return post(
                reverse("xianjie:referral_document_correction", args=[referral_id]),
                {"correct-document": document_id, "correct-reason": "笔误更正"},
            )
        case "retry":
            return post(reverse("referral:document_retry", args=[document_id]))
    raise AssertionError(endpoint)


def step_data(name, world) -> dict:
    step = lifecycle.step_of(lifecycle.transitions()[name][0])
    data = {}
    if step.reason_required:
        data[f"{name}-reason"] = "理由：测试"
    if "police_agency" in step.required_inputs:
        data[f"{name}-police_agency"] = world.agencies["my-police"].pk
    if "detention_days" in step.required_inputs:
        data[f"{name}-detention_days"] = 10
    if "receipt_checklist" in step.inputs:  # the receipt's five items (Decree 310 art. 6)
        for kind in lifecycle.MANDATORY_TRANSFER_ATTACHMENTS:
            data[f"{name}-item_{kind}"] = "complete"
    return data


def reassign_target(stage: Stage, matrix: Matrix) -> User | None:
    """A member of the task's agency holding its role, other than the holder."""
    agency_id, node = task_rules(stage.referral)
    return (
        User.objects.filter(agency_id=agency_id, groups__name=node, is_active=True)
        .exclude(pk=stage.task.owner_id or 0)
        .order_by("username")
        .first()
    )


def database_state():
    """What a refused request must leave as it was."""
    counts = tuple(
        model.objects.count()
        for model in (
            AuditEvent,
            Attachment,
            AttachmentRead,
            Party,
            SeizedItem,
            Document,
            CaseFileRead,
        )
    )
    referrals = tuple(Referral.objects.order_by("pk").values_list("pk", "status", "updated_at"))
    teams = tuple(
        Referral.case_team.through.objects.order_by("pk").values_list("referral_id", "user_id")
    )
    tasks = tuple(Task.objects.order_by("pk").values_list("pk", "status", "owner_id"))
    return counts, referrals, teams, tasks


CHINESE = re.compile(r"[\u4e00-\u9fff]")


def error_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level == message_levels.ERROR]


def effect(endpoint, stage: Stage, user, before) -> str | None:
    """Why a permitted action did not take effect (None when it did)."""
    counts, *_ = before
    now_counts, *_ = database_state()
    referral = Referral.objects.get(pk=stage.referral.pk)
    task = Task.objects.get(pk=stage.task.pk) if stage.task else None
    index = {"upload": 1, "party": 3, "seized_item": 4, "correction": 5}
    if endpoint in index:
        i = index[endpoint]
        return None if now_counts[i] == counts[i] + 1 else f"{endpoint}: no new row"
    if endpoint == "team":
        return None if referral.case_team.count() == 2 else "team not set"
    if endpoint == "step":
        return None if referral.status != stage.referral.status else "status unchanged"
    if endpoint == "claim":
        return None if task.owner_id == user.pk else "not claimed"
    if endpoint == "release":
        return None if task.owner_id is None else "not released"
    if endpoint == "reassign":
        return None if task.owner_id not in (None, stage.task.owner_id) else "not reassigned"
    if endpoint == "task_step":
        return None if referral.status != stage.referral.status else "status unchanged"
    return None


# One test per user and stage; inside it, one cell per endpoint, each in a savepoint rolled
# back after it (an action that succeeds leaves nothing for the next cell). Failures are
# collected so that a run names every failing cell: "user (relation) stage endpoint".
GROUPS = [
    pytest.param(username, stage, id=f"{username}-{stage or 'missing'}")
    for username in USERNAMES
    for stage in [*STAGES, None]
]
METHODS = {endpoint: method for endpoint, method, _target in ENDPOINTS}


def endpoints_for(stage_name: str | None) -> list[str]:
    """Document endpoints need an issued document (a missing id stands for one, too)."""
    return [
        endpoint
        for endpoint, _method, target in ENDPOINTS
        if target != "document" or stage_name is None or stage_name in DOCUMENT_STAGES
    ]


CELLS = [
    (u, s, e) for u, s in ((p.values[0], p.values[1]) for p in GROUPS) for e in endpoints_for(s)
]


@pytest.mark.parametrize(("username", "stage_name"), GROUPS)
def test_access_matrix(matrix, db, username, stage_name):
    user = matrix.users.get(username)
    session = None
    if user is not None:
        login = Client()
        login.force_login(user)
        session = login.cookies[settings.SESSION_COOKIE_NAME].value
    stage = matrix.stages[stage_name] if stage_name else None
    failures = []
    for endpoint in endpoints_for(stage_name):
        want = expected(endpoint, user, stage)
        cell = (
            f"{username} ({relation(user, stage.referral) if stage else 'missing'}) "
            f"{stage_name or 'missing'} {endpoint}: expected {want}"
        )
        cache.clear()  # the public verification page counts requests per address and minute
        with transaction.atomic():
            try:
                problem = run_cell(matrix, session, username, user, stage, endpoint, want)
            except Exception as exc:  # a server error is a failing cell like any other
                problem = f"raised {exc!r}"
            transaction.set_rollback(True)
        if problem:
            failures.append(f"{cell}: {problem}")
    assert not failures, "\n".join(failures)


def served(response) -> bytes:
    """The body; a served file is read to its end, which closes it the way the test client
    emulates a WSGI server (`response.close()` would also close the test's connection)."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def client_for(session: str | None) -> Client:
    client = Client()
    if session:
        client.cookies[settings.SESSION_COOKIE_NAME] = session
    return client


def run_cell(matrix, session, username, user, stage, endpoint, want) -> str | None:
    """Why the cell does not behave as `want` says (None when it does)."""
    before = database_state()
    response = request(client_for(session), endpoint, stage, matrix)
    body = served(response)
    status = response.status_code
    unchanged = database_state() == before
    if want == "login":
        if status != 302 or "/accounts/login/" not in response.get("Location", ""):
            return f"got {status}"
        return None if unchanged else "changed the database"
    if want == "404":
        if status != 404:
            return f"got {status}"
        if not unchanged:
            return "changed the database"
        if body != missing_page(matrix, session, username, endpoint):
            return "the 404 differs from a missing id's"
        return None
    if want == "403":
        if status != 403:
            return f"got {status}"
        return None if unchanged else "changed the database"
    if want == "refused":
        if status not in (200, 302, 403):
            return f"got {status}"
        if status != 403:
            said = error_messages(response) or form_errors(response)
            if not said or not all(CHINESE.search(m) for m in said):
                return f"got {status}, said {said}"
        return None if unchanged else f"got {status} and changed the database"
    if want in ("listed", "unlisted"):
        if status != 200:
            return f"got {status}"
        # The search box repeats the reference: a row is the link to the case page.
        link = reverse("xianjie:referral_detail", args=[stage.referral.pk if stage else MISSING])
        shown = f'href="{link}"' in body.decode()
        return None if shown == (want == "listed") else f"listed={shown}"
    # ok
    if METHODS[endpoint] == "GET":
        return None if status == 200 else f"got {status}"
    if status != 302 or error_messages(response):
        return f"got {status}: {error_messages(response)}"
    return effect(endpoint, stage, user, before)


def missing_page(matrix, session, username, endpoint) -> bytes:
    """The 404 page `username` gets from `endpoint` for an id that does not exist (once per
    user and endpoint: it changes nothing, so the module keeps it)."""
    key = (username, endpoint)
    if key not in matrix.missing_pages:
        response = request(client_for(session), endpoint, None, matrix)
        assert response.status_code == 404, (key, response.status_code)
        matrix.missing_pages[key] = response.content
    return matrix.missing_pages[key]


def test_the_matrix_has_permitted_and_refused_cells_for_every_endpoint(matrix, db):
    """The rules give each endpoint cells that succeed and cells that are refused or not found
    (a matrix whose expectations all agree says nothing). It asks for `db` like the cells do:
    pytest-django runs tests without it last, after transactional tests have flushed the role
    groups the module's world is built on."""
    outcomes = {endpoint: set() for endpoint, _m, _t in ENDPOINTS}
    for username, stage_name, endpoint in CELLS:
        stage = matrix.stages[stage_name] if stage_name else None
        outcomes[endpoint].add(expected(endpoint, matrix.users.get(username), stage))
    for endpoint, seen in outcomes.items():
        if endpoint == "retry":  # every document rendered: no retry is possible here
            assert seen == {"login", "404", "refused"}, seen
        elif endpoint == "case_list_filtered":
            assert seen == {"login", "listed", "unlisted"}, seen
        elif endpoint == "verify_code":
            assert seen == {"ok", "404"}, seen
        else:
            assert (
                {"ok", "404", "login"} <= seen
                and seen & {"403", "refused"}
                or (endpoint in ENDPOINTS_WITHOUT_REFUSAL and {"ok", "404", "login"} <= seen)
            ), (endpoint, seen)


# Seeing is all these need: whoever may see the referral gets the page or the file.
ENDPOINTS_WITHOUT_REFUSAL = {
    "case_page",
    "document_pdf",
    "document_status",
    "attachment_view",
    "attachment_download",
}


def form_errors(response) -> list[str]:
    """Field errors on a page rendered again with its bound form (a refused step's reason)."""
    if response.status_code != 200 or not response.context:
        return []
    # One context, or a list of them when the page includes other templates.
    contexts = response.context if isinstance(response.context, list) else [response.context]
    values = [v for context in contexts for v in context.flatten().values()]
    return [
        str(error)
        for value in values
        if hasattr(value, "errors") and hasattr(value, "is_bound") and value.is_bound
        for errors in value.errors.values()
        for error in errors
    ]
