"""Runs each measuring function of bench/lifecycle.py on two lifecycles, and bench/inbox.py's
building and measuring on a tiny scale, so the benches cannot rot. Asserts only that they built
and measured something; timings are never asserted."""

import pytest
from django.db import transaction

from bench.inbox import (
    Filler,
    _scans,
    build_subject,
    explain_scale,
    measure_scale,
    table_sizes,
)
from bench.lifecycle import (
    MAIN_LINE,
    issued_document_ids,
    last_document_id,
    measure_referrals,
    measure_rendering,
    measure_side_by_side,
    measure_viewflow,
    rendering_queued,
)
from referral.models import Agency, Document, Referral, RenderState, Role
from tests.factories import path_to
from workflows.selectors import process_for


@pytest.fixture
def bench_app(settings):
    """viewflow stores a flow by its app label, so BareFlow's app must be installed."""
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "bench"]


def test_referral_bench_counts_queries_of_every_step(world):
    result = measure_referrals(world, 2, count=True, warmup=1)

    assert result.rate() > 0
    assert all(result.mean_queries(name) > 0 for name in ("create", *MAIN_LINE))
    assert result.queries_per_lifecycle(prep=True) > result.queries_per_lifecycle() > 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_referral_bench_queues_rendering_and_measures_the_worker(tx_world):
    """Committed for real, so the steps' after-commit work runs: the flow sync, and the render
    task queued on the broker instead of run in-process."""
    first = last_document_id()
    with rendering_queued():
        measure_referrals(tx_world, 1, warmup=0)
    issued = issued_document_ids(first)

    # approve_transfer: the approval record, transfer: three documents, file_case: the filing
    # notice, hand_over_items: the list
    assert len(issued) == 6
    states = set(Document.objects.filter(pk__in=issued).values_list("render_state", flat=True))
    assert states == {RenderState.PENDING}  # queued, not rendered inside the lifecycle
    rendering = measure_rendering(issued)
    assert (rendering.documents, rendering.frozen) == (6, 6) and rendering.rate() > 0


def test_side_by_side_alternates_both_lifecycles(bench_app, world):
    user = world.user("fc-msa", Role.CASE_OFFICER)
    referral, bare = measure_side_by_side(world, user, 2)

    assert referral.n == bare.n == 2 and referral.rate() > 0 and bare.rate() > 0
    assert set(referral.keys()) == {"create", *MAIN_LINE} and bare.keys() == ["lifecycle"]


@pytest.mark.parametrize("main_line", [False, True])
def test_viewflow_bench_counts_queries(bench_app, world, main_line):
    user = world.user("fc-msa", Role.CASE_OFFICER)
    result = measure_viewflow(user, 2, count=True, warmup=1, main_line=main_line)

    assert result.rate() > 0
    assert result.queries_per_lifecycle() > 0


def test_main_line_baseline_runs_nine_human_tasks_to_the_end(bench_app, world):
    from viewflow.workflow.models import Process

    from bench.bareflow import BareMainLineFlow, bare_lifecycle

    bare_lifecycle(world.user("fc-msa", Role.CASE_OFFICER), BareMainLineFlow)
    process = Process.objects.filter(flow_class=BareMainLineFlow).get()
    done = process.task_set.filter(flow_task_type="HUMAN", status="DONE")
    assert done.count() == len(MAIN_LINE) == 9 and process.finished is not None


# --- bench/inbox.py ------------------------------------------------------------------------------


def test_inbox_bench_lists_the_users_tasks_at_every_scale(
    world, django_capture_on_commit_callbacks
):
    """The user's 5 open and 3 queued tasks made through the services, filler up to 20 and then
    30 referrals: both pages list exactly the user's rows, with their due dates, at each scale."""
    subject = build_subject(
        world, 5, 3, step_context=lambda: django_capture_on_commit_callbacks(execute=True)
    )
    filler, queries = Filler(subject.now, regions=3), []
    for total in (20, 30):
        assert filler.fill_to(total) > 0
        pages = measure_scale(subject, requests=2, warmup=1)
        sizes = table_sizes()

        assert sizes["referrals"] == sizes["processes"] == total
        assert sizes["tasks"] > sizes["open tasks"] > 8 and sizes["open clocks"] > 8
        inbox, queue = pages["inbox"], pages["queue"]
        assert (inbox.rows, inbox.with_due, queue.rows, queue.with_due) == (5, 5, 3, 3)
        assert 0 < inbox.overdue <= inbox.with_due  # the frozen "now" is past some due dates
        assert len(inbox.times_ms) == len(queue.times_ms) == 2
        assert inbox.median > 0 and inbox.p95 >= inbox.median
        queries.append((inbox.queries, queue.queries))
        plans = explain_scale(subject)
        assert plans["inbox"].text and plans["queue"].text
        assert any(name.startswith("inbox of bench-") for name in plans)
    assert queries[0] == queries[1] and min(queries[0]) > 0  # the same however many referrals


def _shape(referral_id):
    """What the inbox and the flow read of a referral, independent of ids, users and times."""
    kinds = dict(Agency.objects.values_list("pk", "kind"))
    referral = Referral.objects.get(pk=referral_id)
    process = process_for(referral)
    tasks = [
        (
            t.flow_task.name,
            t.flow_task_type,
            t.status,
            t.owner_permission,
            kinds.get(int(t.owner_permission_obj_pk or 0)),
            [p.flow_task.name for p in t.previous.all()],
            t.finished is None,
        )
        for t in process.task_set.order_by("pk")
    ]
    coarse = {"overdue": "running", "met_late": "met"}
    clocks = sorted(
        (c.rule, c.owner_role, kinds[c.owner_agency_id], coarse.get(c.state, c.state), c.unit)
        for c in referral.clocks.all()
    )
    stamps = [getattr(referral, f) is None for f in ("transferred_at", "filed_at")]
    return referral.status, process.status, process.finished is None, tasks, clocks, stamps


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        ("criminal_transfer", "TRANSFER_REPORT_PENDING_APPROVAL"),
        ("criminal_transfer", "FORWARDED_TO_COMPETENT_AUTHORITY"),
        ("criminal_transfer", "FILED"),
        ("criminal_transfer", "CLOSED"),
        ("admin_detention", "DETENTION_IMPOSED"),
    ],
)
def test_inbox_bench_filler_has_the_shape_the_product_writes(
    world, django_capture_on_commit_callbacks, kind, status
):
    """A filler referral whose task is not claimed is written as the services and the router
    write one reaching the same status."""
    # The steps alone: the filler writes no receipts, so no clock that runs from one.
    world.sign_at_once = False
    with django_capture_on_commit_callbacks(execute=True):
        referral = world.new_referral(kind)
    for name in path_to(status, kind=kind)[1]:
        with django_capture_on_commit_callbacks(execute=True):
            world.do(referral, name)
    filler = Filler(world.t, regions=2, claimed=0.0)
    plan = next(p for p in filler.plans[kind][1] + [filler.plans[kind][0]] if p.status == status)
    before = set(Referral.objects.values_list("pk", flat=True))
    with transaction.atomic():
        filler.write([plan])
    (filler_id,) = set(Referral.objects.values_list("pk", flat=True)) - before

    assert _shape(filler_id) == _shape(referral.pk)


def test_inbox_bench_reads_the_scans_of_an_analysed_plan():
    plan = """\
Limit  (cost=1.0..2.0 rows=2 width=8) (actual time=85.7..87.2 rows=200 loops=1)
  ->  Bitmap Heap Scan on viewflow_task  (cost=307.25..24457.85 rows=2 width=286) (actual time=4.184..79.534 rows=200 loops=1)
        Recheck Cond: ((status)::text = 'NEW'::text)
        Filter: (owner_id IS NULL)
        Rows Removed by Filter: 29544
        ->  Bitmap Index Scan on viewflow_task_status_ffb4516b_like  (cost=0.00..307.25 rows=28643 width=0) (actual time=1.855..1.856 rows=30305 loops=1)
              Index Cond: ((status)::text = 'NEW'::text)
  ->  Index Scan using referral_clock_referral_id_42f09e40 on referral_clock u0_3  (cost=0.42..8.53 rows=1 width=8) (actual time=0.002..0.002 rows=1 loops=200)
Execution Time: 87.35 ms"""  # noqa: E501

    assert _scans(plan) == [
        "Bitmap Heap Scan on viewflow_task (rows 200 x loops 1, removed by filter 29544)",
        "Bitmap Index Scan on viewflow_task_status_ffb4516b_like (rows 30305 x loops 1)",
        "Index Scan using referral_clock_referral_id_42f09e40 on referral_clock u0_3"
        " (rows 1 x loops 200)",
    ]
