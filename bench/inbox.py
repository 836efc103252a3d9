"""Benchmark: server time and SQL queries of the inbox and queue pages of a user with 500 open
tasks, at 1 000 and at 100 000 referrals in the database, on PostgreSQL. Run as
`.venv/bin/python bench/inbox.py [--scale 1000,100000] [--open 500] [--queue 200] [--requests 20]`:
starts a throwaway PostgreSQL unless DATABASE_URL is set. The building and measuring functions
take a configured database (tests/bench runs them on SQLite).

The user's tasks are made by the product: referrals opened and driven with the services (their
flow sync after each commit), the tasks claimed with `task_claim`. Every other referral is
filler, bulk-written (COPY on PostgreSQL) in the shape the product writes: a plausible status
reached along a real path of the lifecycle, its process with one task per step (done through
the task by its owner, or cancelled when the step was taken elsewhere) and the clocks those
steps start, meet or cancel. Filler belongs to other agencies and their users, so the user's
inbox and queue stay the same at every scale."""

import argparse
import json
import os
import random
import re
import signal
import statistics
import sys
import tempfile
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.lifecycle import database, setup_django  # noqa: E402

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 3, 2, 9, 30, tzinfo=SHANGHAI)  # tests.factories.World's first moment
SPACING = timedelta(minutes=15)  # between two of the user's referrals: due dates spread over days
WARMUP = 3
FILLER_REGIONS = 50  # other counties, each with its bureau, police organ and procuratorate
CHUNK = 5000  # filler referrals written per round
CLAIMED = 0.5  # share of filler open tasks claimed by the holder of the role (else in the queue)
CLOSED = "CLOSED"
# Referral fields a step sets to its moment (referral/lifecycle.py), or to True.
STAMPS = {
    "transfer": ("transferred_at", "procuratorate_copied_at"),
    "approve_detention_transfer": ("transferred_at",),
    "file_case": ("filed_at",),
    "reconsider_file": ("filed_at",),
    "file_as_ordered": ("filed_at", "supervised_filing"),
    "hand_over_items": ("items_handed_over_at",),
    "demand_transfer": ("procuratorate_demanded",),
}
FLAGS = {"supervised_filing", "procuratorate_demanded"}
TITLES = (
    "某食品公司销售有毒有害食品案",
    "某药店销售假药案",
    "某商贸公司销售假冒注册商标的商品案",
    "某加工厂生产不符合安全标准的食品案",
    "某医疗器械公司销售不符合标准的医用器材案",
)
NOTE = """\
user: the agency head of fc-msa; open tasks: referrals opened and submitted for approval through
the services, each task claimed with task_claim (inbox); queue: the same, left unclaimed. Other
referrals: bulk-written filler of other agencies. "now" is frozen for the requests so the due
column mixes overdue and running periods. Times: django.test.Client GET, server side, after
{warmup} warm-up requests; queries counted in one further request."""


# --- The user's tasks, made by the product ----------------------------------------------------


@dataclass
class Subject:
    """The measured user, the referrals behind their inbox and queue, and the moment the pages
    are requested at."""

    user: object
    open_ids: list[int]
    queue_ids: list[int]
    now: datetime


def build_subject(world, n_open: int, n_queue: int, *, step_context=nullcontext) -> Subject:
    """Referrals of fc-msa opened and submitted for the head's approval through the services,
    `n_open` of them claimed by the head: each has its approval clock running. The flow sync
    runs after each commit; inside a test transaction pass `step_context` (a context manager
    factory wrapped around each service call) that runs the on-commit callbacks."""
    from viewflow.workflow.status import STATUS

    from referral.models import Clock, Role
    from workflows.selectors import process_for, task_inbox_for_user, task_queue_for_user
    from workflows.services import task_claim

    head = world.user("fc-msa", Role.AGENCY_HEAD)
    total = n_open + n_queue
    queued = {j * total // n_queue for j in range(n_queue)} if n_queue else set()
    open_ids, queue_ids = [], []
    for i in range(total):
        world.t = START + i * SPACING
        with step_context():
            referral = world.new_referral()
        for name in ("find_suspected_crime", "submit_transfer_report"):
            with step_context():
                world.do(referral, name)
        if i in queued:
            queue_ids.append(referral.pk)
            continue
        task = process_for(referral).task_set.get(flow_task_type="HUMAN", status=STATUS.NEW)
        with world.at(), step_context():
            task_claim(task_id=task.pk, user=head)
        open_ids.append(referral.pk)
    inbox, queue = task_inbox_for_user(head).count(), task_queue_for_user(head).count()
    if (inbox, queue) != (n_open, n_queue):
        raise RuntimeError(
            f"expected {n_open} tasks in the inbox and {n_queue} in the queue, "
            f"found {inbox} and {queue}"
        )
    # The pages are requested when a sixth of the user's approval periods have run out: the
    # inbox, earliest due first, then shows overdue, due-within-a-day and later periods.
    dues = sorted(
        Clock.objects.open()
        .filter(referral_id__in=open_ids + queue_ids)
        .values_list("due_at", flat=True)
    )
    now = dues[len(dues) // 6] + timedelta(seconds=1)
    return Subject(head, open_ids, queue_ids, now)


# --- Filler: bulk rows in the shape the product writes ----------------------------------------


@dataclass
class Plan:
    """A status and the lifecycle path that reaches it: (step name, Step, from, to) per step."""

    kind: str
    status: str
    steps: list[tuple]


def _plans() -> list[Plan]:
    from referral import lifecycle
    from tests.factories import shortest_paths

    plans = []
    for kind in lifecycle.ReferralKind.values:
        paths = shortest_paths(kind)
        by_path = {path: state for state, path in paths.items()}
        for state, path in paths.items():
            states = [by_path[path[:k]] for k in range(len(path) + 1)]
            steps = [
                (
                    name,
                    lifecycle.step_of(lifecycle.transitions()[name][0]),
                    states[k],
                    states[k + 1],
                )
                for k, name in enumerate(path)
            ]
            plans.append(Plan(kind, state, steps))
    return plans


class Table:
    """Rows of one model's table as tuples in column order, written with COPY on PostgreSQL
    and executemany elsewhere. Values are database values (flow references as their strings)."""

    def __init__(self, model, *, skip=()):
        from django.db import connection
        from django.db.models import JSONField

        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if f.attname not in skip]
        self.columns = [f.column for f in self.fields]
        self.defaults = {}
        for f in self.fields:
            value = f.get_default()  # "" for a text column without a default, like the ORM
            if isinstance(f, JSONField):
                value = json.dumps(value)
            elif value is not None:
                value = f.get_db_prep_save(value, connection)
            self.defaults[f.attname] = value
        self.names = [f.attname for f in self.fields]
        self.rows: list[tuple] = []

    def add(self, **values) -> None:
        defaults = self.defaults
        self.rows.append(tuple(values.get(n, defaults[n]) for n in self.names))

    def flush(self) -> int:
        from django.db import connection

        rows, self.rows = self.rows, []
        if not rows:
            return 0
        qn = connection.ops.quote_name
        table, columns = qn(self.model._meta.db_table), ", ".join(map(qn, self.columns))
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})",
                    [tuple(map(_adapt, row)) for row in rows],
                )
        return len(rows)


def _adapt(value):
    from django.db import connection

    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, Decimal):
        return str(value)
    return value


def _next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


class Filler:
    """Other agencies with their users, and referrals of theirs in plausible statuses."""

    def __init__(
        self,
        now: datetime,
        *,
        regions: int = FILLER_REGIONS,
        claimed: float = CLAIMED,
        seed: int = 20261201,
    ):
        from django.contrib.contenttypes.models import ContentType
        from django.db import connection
        from viewflow.workflow.models import Process, Task

        from referral.deadlines import WorkCalendar
        from referral.models import Agency, Referral
        from workflows.flows import ReferralFlow
        from workflows.nodes import NODE_SIDES

        self.now, self.rng = now, random.Random(seed)
        self.claimed = claimed
        self.calendar = WorkCalendar()  # one for all filler: the stored calendar does not change
        self.referral_ct = ContentType.objects.get_for_model(Referral).pk
        self.agency_ct = ContentType.objects.get_for_model(Agency).pk
        self.flow_ref = Process._meta.get_field("flow_class").get_db_prep_save(
            ReferralFlow, connection
        )
        node_field = Task._meta.get_field("flow_task")
        self.node_ref = {
            name: node_field.get_db_prep_save(getattr(ReferralFlow, name), connection)
            for name in ("start", "route", "end", *NODE_SIDES)
        }
        self.regions, self.users = self._agencies(regions)
        plans = _plans()
        self.plans = {
            kind: (
                next(p for p in plans if p.kind == kind and p.status == CLOSED),
                [p for p in plans if p.kind == kind and p.status != CLOSED],
            )
            for kind in {p.kind for p in plans}
        }
        self.rules = {}

    @staticmethod
    def _agencies(regions: int):
        """Per region {side: Agency}, and (agency id, role) -> user id of its one user per role."""
        from django.contrib.auth.models import Group

        from referral.models import Agency, AgencyKind, AgencyLevel, Role, User
        from tests.factories import KIND_CODES, ROLES_BY_KIND

        if Agency.objects.filter(code__startswith="bench-").exists():
            raise RuntimeError("filler agencies exist already: use an empty database")
        sides = {
            AgencyKind.MARKET_SUPERVISION: "agency",
            AgencyKind.POLICE: "police",
            AgencyKind.PROCURATORATE: "procuratorate",
        }
        agencies = Agency.objects.bulk_create(
            Agency(
                code=f"bench-{r:03d}-{KIND_CODES[kind]}",
                name=f"Bench county {r} {KIND_CODES[kind]}",
                short_name=f"滇{r}{KIND_CODES[kind]}",
                kind=kind,
                level=AgencyLevel.COUNTY,
                region_code=f"53{r:04d}",  # no rule set covers it: national periods
            )
            for r in range(regions)
            for kind in sides
        )
        members = [
            (agency, str(role), User(username=f"{agency.code}-{role}", agency=agency))
            for agency in agencies
            for role in ROLES_BY_KIND[agency.kind]
        ]
        for _agency, _role, user in members:
            user.set_unusable_password()
        User.objects.bulk_create(
            [user for _a, _r, user in members]
        )  # sets pks (PostgreSQL, SQLite)
        groups = dict(Group.objects.filter(name__in=Role.values).values_list("name", "pk"))
        User.groups.through.objects.bulk_create(
            User.groups.through(user_id=user.pk, group_id=groups[role])
            for _agency, role, user in members
        )
        users = {(agency.pk, role): user.pk for agency, role, user in members}
        by_region = [
            {sides[a.kind]: a for a in agencies[3 * r : 3 * r + 3]} for r in range(regions)
        ]
        return by_region, users

    def _plan(self) -> Plan:
        """One referral in ten a detention transfer; four in ten closed, the rest spread evenly
        over the open statuses."""
        rng = self.rng
        kind = "admin_detention" if rng.random() < 0.1 else "criminal_transfer"
        closed, open_ = self.plans[kind]
        return closed if rng.random() < 0.4 else rng.choice(open_)

    def _other_police(self, police):
        index = next(i for i, r in enumerate(self.regions) if r["police"] == police)
        return self.regions[(index + 1) % len(self.regions)]["police"]

    def _rule(self, code, region_code):
        from referral.deadlines import resolve_rule

        if code not in self.rules:  # every filler region has the national periods
            self.rules[code] = resolve_rule(code, region_code=region_code)
        return self.rules[code]

    def fill_to(self, total: int) -> int:
        """Adds filler referrals until the database holds `total`; returns how many it added.
        On PostgreSQL it then moves the id sequences past the rows and, as autovacuum would,
        vacuums and analyses (only analyses inside a transaction, e.g. a test's)."""
        from django.core.management.color import no_style
        from django.db import connection, transaction
        from viewflow.workflow.models import Process, Task

        from referral.models import Referral

        missing = total - Referral.objects.count()
        if missing < 0:
            raise ValueError(f"the database holds more than {total} referrals already")
        for start in range(0, missing, CHUNK):
            with transaction.atomic():
                self.write([None] * min(CHUNK, missing - start))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), [Referral, Process, Task]):
                    cursor.execute(sql)
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        return missing

    def write(self, plans: list[Plan | None]) -> None:
        """One referral per plan (None: a plan drawn at random), in the caller's transaction."""
        from viewflow.workflow.models import Process, Task

        from referral.models import Clock, Referral

        tables = {
            "referral": Table(Referral),
            "process": Table(Process),
            "task": Table(Task),
            "previous": Table(Task.previous.through, skip=("id",)),
            "clock": Table(Clock, skip=("id",)),
        }
        ids = {"referral": _next_id(Referral), "process": _next_id(Process), "task": _next_id(Task)}
        for plan in plans:
            self._referral(tables, ids, plan)
            ids["referral"] += 1
            ids["process"] += 1
        for table in tables.values():
            table.flush()

    def _referral(self, tables, ids, plan: Plan | None = None) -> None:
        """One filler referral along its plan: the referral row, its process with a task per
        step the flow would have made, and the clocks its steps started, met or cancelled."""
        from viewflow.workflow.status import PROCESS, STATUS

        from referral import lifecycle
        from referral.clock_rules import RULES
        from referral.deadlines import compute_due
        from referral.models import ClockState
        from workflows.auth import task_permission

        rng, now, owners = self.rng, self.now, lifecycle.STATE_OWNERS
        plan = plan or self._plan()
        region = dict(rng.choice(self.regions))
        rid, pid = ids["referral"], ids["process"]
        # Steps hours to days apart, the last one up to 90 days before now.
        gap = timedelta(hours=rng.uniform(6, 120))
        last = now - timedelta(hours=rng.uniform(1, 24 * 90))
        created = last - gap * len(plan.steps)
        times = [created + gap * (k + 1) for k in range(len(plan.steps))]
        referral = {
            "id": rid,
            "status": plan.status,
            "reference": f"XJ-{created.year}-{rid:06d}",
            "kind": plan.kind,
            "title": TITLES[rid % len(TITLES)],
            "agency_id": region["agency"].pk,
            "police_agency_id": region["police"].pk,
            "procuratorate_id": region["procuratorate"].pk,
            "case_officer_id": self.users[(region["agency"].pk, "case_officer")],
            "suspected_charge": "生产、销售有毒、有害食品罪",
            "facts": "经查，当事人在生产的食品中添加国家禁用物质。",
            "amount_involved": Decimal(rng.randrange(5_000, 2_000_000)),
            "created_at": created,
            "updated_at": times[-1] if times else created,
        }
        closed = owners[plan.status] is None
        tables["process"].add(
            id=pid,
            flow_class=self.flow_ref,
            status=PROCESS.DONE if closed else PROCESS.NEW,
            created=created,
            finished=times[-1] if closed else None,
            artifact_content_type_id=self.referral_ct,
            artifact_object_id=rid,
        )
        chain = []  # task ids in order: each task's `previous` is the one before

        def task(node, task_type, status, at, **values):
            tid = ids["task"]
            ids["task"] += 1
            tables["task"].add(
                id=tid,
                flow_task=self.node_ref[node],
                flow_task_type=task_type,
                status=status,
                created=at,
                process_id=pid,
                **values,
            )
            if chain:
                tables["previous"].add(from_task_id=tid, to_task_id=chain[-1])
            chain.append(tid)

        def human(owner, at):
            """The open task of `owner` (side, role): written when it is closed or at the end."""
            side, role = str(owner[0]), str(owner[1])
            agency_id = region[side].pk
            values = {
                "owner_permission": task_permission(role),
                "owner_permission_content_type_id": self.agency_ct,
                "owner_permission_obj_pk": str(agency_id),
            }
            return {
                "node": role,  # nodes are named by role codes
                "user": self.users[(agency_id, role)],
                "created": at,
                "values": values,
            }

        task("start", "START", STATUS.DONE, created, started=created, finished=created)
        task("route", "SWITCH", STATUS.DONE, created, finished=created)
        current = human(owners[lifecycle.Status.ADMIN_CASE_UNDER_INVESTIGATION], created)
        clocks = {}
        for (name, step, source, target), at in zip(plan.steps, times, strict=True):
            moved = "police_agency" in step.required_inputs  # forwarded to another organ
            if moved:
                region["police"] = self._other_police(region["police"])
                referral["police_agency_id"] = region["police"].pk
            for code in step.stops:
                if code in clocks and clocks[code]["state"] == ClockState.RUNNING.value:
                    met = at <= clocks[code]["due_at"]
                    clocks[code].update(
                        state=(ClockState.MET if met else ClockState.MET_LATE).value,
                        stopped_at=at,
                        stopped_by=name,
                    )
            for code in step.cancels:
                if code in clocks and clocks[code]["state"] == ClockState.RUNNING.value:
                    clocks[code].update(
                        state=ClockState.CANCELLED.value, stopped_at=at, stopped_by=name
                    )
            for code in lifecycle.clocks_started(step, target):
                rule = RULES[code]
                owner_agency = region[str(rule.owner_side)]
                resolved = self._rule(code, owner_agency.region_code)
                if resolved is None:
                    continue
                if code in clocks:  # started again: the earlier one is history
                    tables["clock"].add(**clocks.pop(code))
                clocks[code] = {
                    "referral_id": rid,
                    "rule": code,
                    "amount": resolved.amount,
                    "unit": resolved.unit,
                    "article": resolved.article,
                    "ruleset": resolved.ruleset,
                    "owner_agency_id": owner_agency.pk,
                    "owner_role": str(rule.owner_role),
                    "started_at": at,
                    "due_at": compute_due(
                        at, resolved.amount, resolved.unit, calendar=self.calendar
                    ),
                    "state": ClockState.RUNNING.value,
                    "started_by": name,
                }
            for stamp in STAMPS.get(name, ()):
                referral[stamp] = True if stamp in FLAGS else at
            before, after = owners[source], owners[target]
            # The router's rules (workflows/routing.py): a step of the task's own role completes
            # the task, from the task page or the case page alike; another's leaves the task
            # alone when it is still the one wanted, else cancels it; the next task follows.
            if (step.side, step.role) == before:
                task(
                    current["node"],
                    "HUMAN",
                    STATUS.DONE,
                    current["created"],
                    started=at,
                    finished=at,
                    owner_id=current["user"],
                    **current["values"],
                )
            elif after == before and not moved:  # taken elsewhere, same owner: the task stays
                continue
            else:
                task(
                    current["node"],
                    "HUMAN",
                    STATUS.CANCELED,
                    current["created"],
                    finished=at,
                    **current["values"],
                )
            if after is None:
                task("end", "END", STATUS.DONE, at, started=at, finished=at)
                current = None
            else:
                current = human(after, at)
        if current is not None:
            # A case officer's task is the case owner's from the start (workflows/nodes.py,
            # issue 9): the filler's owner is the region's case officer, who opened the case.
            claimed = rng.random() < self.claimed or current["node"] == "case_officer"
            task(
                current["node"],
                "HUMAN",
                STATUS.ASSIGNED if claimed else STATUS.NEW,
                current["created"],
                owner_id=current["user"] if claimed else None,
                **current["values"],
            )
        for clock in clocks.values():
            if clock["state"] == ClockState.RUNNING.value and clock["due_at"] < now:
                clock["state"] = ClockState.OVERDUE.value  # as the sweep would have marked it
            tables["clock"].add(**clock)
        tables["referral"].add(**referral)


# --- Measuring ---------------------------------------------------------------------------------


@dataclass
class Page:
    """One page at one scale: server times (ms), queries of one request, rows it listed."""

    name: str
    times_ms: list[float] = field(default_factory=list)
    queries: int = 0
    rows: int = 0
    with_due: int = 0
    overdue: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        if len(self.times_ms) < 2:
            return self.times_ms[0]
        return statistics.quantiles(self.times_ms, n=100, method="inclusive")[94]


TBODY = re.compile(r'data-testid="task-list".*?<tbody>(.*?)</tbody>', re.S)


def count_rows(html: str) -> tuple[int, int, int]:
    """(task rows, rows with a due date, overdue rows) in a task list page."""
    from django.urls import reverse

    body = TBODY.search(html).group(1)
    link = reverse("xianjie:task_detail", args=[1]).removesuffix("1/")
    return (
        body.count(f'href="{link}'),
        body.count('class="xj-badge xj-badge--'),
        body.count("xj-badge--overdue"),
    )


def measure_page(client, name: str, requests: int, *, now, warmup: int = WARMUP) -> Page:
    """GETs the page `warmup` + `requests` times (timed), then once more counting queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from referral.timeutil import frozen_now

    url, page = reverse(f"xianjie:{name}"), Page(name)
    with frozen_now(now):
        for i in range(warmup + requests):
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
            assert response.status_code == 200, response.status_code
            if i >= warmup:
                page.times_ms.append(elapsed * 1e3)
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
    page.queries = len(captured)
    page.rows, page.with_due, page.overdue = count_rows(response.content.decode())
    return page


@dataclass
class QueryPlan:
    """EXPLAIN (ANALYZE) of a list query: the plan text, its execution time, its scans."""

    text: str
    execution_ms: float | None
    scans: list[str]


SCAN = re.compile(
    r"((?:Parallel )?(?:Seq Scan|Index Scan|Index Only Scan|Bitmap Heap Scan|Bitmap Index Scan)"
    r"(?: Backward)?(?: using \S+)? on \S+(?: \w+)?)"
    r"(?:.*?actual time=\S+ rows=(\d+) loops=(\d+))?"
)


def explain(queryset, runs: int = 3) -> QueryPlan:
    """The plan of the page's query (its first LIST_LIMIT rows): on PostgreSQL analysed
    `runs` times, the fastest kept; elsewhere the plan only."""
    from django.db import connection

    from workflows.views import LIST_LIMIT

    query = queryset[:LIST_LIMIT]
    if connection.vendor != "postgresql":
        return QueryPlan(query.explain(), None, [])
    plans = []
    for _ in range(runs):
        text = query.explain(analyze=True, buffers=True)
        plans.append((float(re.search(r"Execution Time: ([\d.]+) ms", text).group(1)), text))
    execution_ms, text = min(plans)
    return QueryPlan(text, execution_ms, _scans(text))


def _scans(text: str) -> list[str]:
    """Each scan of an analysed plan: what it scans with, rows x loops, rows it filtered out."""
    scans, lines = [], text.splitlines()
    for i, line in enumerate(lines):
        match = SCAN.search(line)
        if not match:
            continue
        desc = match.group(1)
        if match.group(2):
            desc += f" (rows {match.group(2)} x loops {match.group(3)}"
            for detail in lines[i + 1 :]:
                if "->" in detail:
                    break
                if found := re.search(r"Rows Removed by (?:Index )?Filter: (\d+)", detail):
                    desc += f", removed by filter {found.group(1)}"
            desc += ")"
        scans.append(desc)
    return scans


def busiest_other_user():
    """The filler user owning the most finished tasks (a long history beside an open inbox)."""
    from django.db.models import Count, Q
    from viewflow.workflow.models import Task

    row = (
        Task.objects.filter(owner__username__startswith="bench-")
        .values("owner")
        .annotate(
            done=Count("pk", filter=Q(status="DONE")),
            open=Count("pk", filter=Q(status__in=("ASSIGNED", "STARTED"))),
        )
        .order_by("-done")
        .first()
    )
    if row is None:
        return None, 0, 0
    from referral.models import User

    return User.objects.get(pk=row["owner"]), row["open"], row["done"]


def table_sizes() -> dict[str, int]:
    from viewflow.workflow.models import Process, Task

    from referral.models import Clock, Referral

    return {
        "referrals": Referral.objects.count(),
        "processes": Process.objects.count(),
        "tasks": Task.objects.count(),
        "open tasks": Task.objects.filter(
            flow_task_type="HUMAN", status__in=("NEW", "ASSIGNED", "STARTED")
        ).count(),
        "clocks": Clock.objects.count(),
        "open clocks": Clock.objects.filter(state__in=("running", "overdue")).count(),
    }


@dataclass
class Scale:
    referrals: int
    build_s: float
    sizes: dict
    pages: dict[str, Page]
    plans: dict[str, QueryPlan]


def measure_scale(subject: Subject, requests: int, *, warmup: int = WARMUP) -> dict[str, Page]:
    from django.test import Client

    client = Client()
    client.force_login(subject.user)
    return {
        name: measure_page(client, name, requests, now=subject.now, warmup=warmup)
        for name in ("inbox", "queue")
    }


def explain_scale(subject: Subject) -> dict[str, QueryPlan]:
    from workflows.selectors import task_inbox_for_user, task_queue_for_user

    plans = {
        "inbox": explain(task_inbox_for_user(subject.user)),
        "queue": explain(task_queue_for_user(subject.user)),
    }
    other, n_open, n_done = busiest_other_user()
    if other is not None:
        key = f"inbox of {other.username} ({n_open} open, {n_done} done tasks)"
        plans[key] = explain(task_inbox_for_user(other))
    return plans


# --- Report --------------------------------------------------------------------------------------


def report(subject: Subject, scales: list[Scale], subject_s: float, requests: int, full_plans):
    from django.db import connection

    version = getattr(connection, "pg_version", 0)
    print(f"{connection.display_name} {version // 10000}.{version % 10000}; ", end="")
    print(
        f"user {subject.user.username}: {len(subject.open_ids)} open tasks in the inbox, ", end=""
    )
    print(f"{len(subject.queue_ids)} unclaimed in the agency queue; ", end="")
    print(f"now = {subject.now:%Y-%m-%d %H:%M}")
    print(NOTE.format(warmup=WARMUP))
    print(
        f"user's referrals through the services: {subject_s:.1f} s "
        f"({subject_s / max(1, len(subject.open_ids) + len(subject.queue_ids)) * 1e3:.0f} ms each)"
    )
    for scale in scales:
        sizes = ", ".join(f"{k} {v}" for k, v in scale.sizes.items())
        print(f"filler to {scale.referrals} referrals: {scale.build_s:.1f} s; {sizes}")
    print(f"\n{requests} requests per figure")
    header = f"{'page':<7}{'referrals':>10}{'rows':>6}{'due':>5}{'overdue':>8}"
    print(header + f"{'queries':>8}{'median ms':>11}{'p95 ms':>8}")
    for scale in scales:
        for page in scale.pages.values():
            print(
                f"{page.name:<7}{scale.referrals:>10}{page.rows:>6}{page.with_due:>5}"
                f"{page.overdue:>8}{page.queries:>8}{page.median:>11.1f}{page.p95:>8.1f}"
            )
    if len(scales) > 1:
        base, top = scales[0], scales[-1]
        print(f"\nratio {top.referrals}/{base.referrals} (baseline: {base.referrals}, this run)")
        print(f"{'page':<7}{'median':>8}{'p95':>8}{'queries':>9}")
        for name, page in top.pages.items():
            b = base.pages[name]
            print(
                f"{name:<7}{page.median / b.median:>8.2f}{page.p95 / b.p95:>8.2f}"
                f"{page.queries / b.queries:>9.2f}"
            )
    for scale in scales:
        print(f"\nEXPLAIN ANALYZE at {scale.referrals} referrals (the page's query, first 200)")
        for name, plan in scale.plans.items():
            if plan.execution_ms is None:  # not PostgreSQL: the plan only
                print(f"  {name}:\n" + "\n".join("      " + ln for ln in plan.text.splitlines()))
                continue
            print(f"  {name}: execution {plan.execution_ms:.2f} ms (fastest of 3)")
            for scan in plan.scans:
                print(f"    {scan}")
            if full_plans:
                print("\n".join("      " + line for line in plan.text.splitlines()))


def _progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="1000,100000", help="referrals in the database")
    parser.add_argument("--open", type=int, default=500, help="the user's open (claimed) tasks")
    parser.add_argument("--queue", type=int, default=200, help="unclaimed tasks in their queue")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per figure")
    parser.add_argument("--explain", action="store_true", help="print the full query plans")
    args = parser.parse_args(argv)
    scales = sorted(int(s) for s in args.scale.split(","))
    if scales[0] < args.open + args.queue:
        parser.error(f"the smallest scale must hold the user's {args.open + args.queue} referrals")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks
    with database() as url, tempfile.TemporaryDirectory(prefix="xianjie-bench-media-") as media:
        os.environ["DATABASE_URL"] = url
        setup_django(media)
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connections

        from tests.factories import World

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # django.test.Client
        try:
            call_command("migrate", verbosity=0)
            started = time.perf_counter()
            _progress(f"{args.open + args.queue} referrals of the user through the services")
            subject = build_subject(World(), args.open, args.queue)
            subject_s = time.perf_counter() - started
            filler, results = Filler(subject.now), []
            for referrals in scales:
                started = time.perf_counter()
                _progress(f"filler to {referrals} referrals")
                filler.fill_to(referrals)
                build_s = time.perf_counter() - started
                _progress(f"measuring at {referrals} referrals")
                pages = measure_scale(subject, args.requests)
                results.append(
                    Scale(referrals, build_s, table_sizes(), pages, explain_scale(subject))
                )
            report(subject, results, subject_s, args.requests, args.explain)
        finally:
            connections.close_all()


if __name__ == "__main__":
    main()
