"""Benchmark: main-line referral lifecycles per second and SQL queries per transition, beside a
bare viewflow lifecycle measured in the same run on the same database, and the render worker's
throughput over the documents the lifecycles issued. Run as
`.venv/bin/python bench/lifecycle.py [--n 200]`: starts a throwaway PostgreSQL unless DATABASE_URL
is set. The measuring functions take a configured database (tests/bench runs them on SQLite)."""

import argparse
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAIN_LINE = tuple(
    "find_suspected_crime submit_transfer_report approve_transfer transfer sign_receipt"
    " begin_review propose_filing file_case hand_over_items".split()
)
CASE = {
    "title": "某食品公司销售有毒有害食品案",
    "facts": "经查，当事人在生产的食品中添加国家禁用物质。",
    "suspected_charge": "生产、销售有毒、有害食品罪",
    "amount_involved": "128000.00",
}
PREP = ":prep"  # key suffix: work a user does before a step, timed and counted apart from it
WARMUP = 3
NOTE = """\
referral: create + the 9 main-line transitions through the real services; the documents a step
issues are numbered in it and their rendering queued (Celery, not eager) after it commits.
'prep' (case team, attachments, loading the actor afresh as a request would) is timed and counted
apart and is outside the referral figures unless marked '+ prep'.
viewflow: bench/bareflow.py, StartHandle -> View (assign, execute) -> End under
select_for_update_lock. viewflow x9: the same with nine Views in a row, the main line's shape
(creation + nine human steps): its ratio is what the law adds to the engine's own work. The
timed referral and viewflow x9 lifecycles alternate one for one (the same load for both).
ratio = referral / baseline. render worker: the render task run in this process over the
documents the timed lifecycles issued, one after another (WeasyPrint unless
XIANJIE_DOCUMENT_RENDERER says otherwise).
"""


@dataclass
class Result:
    """n lifecycles: wall time per key (step) in total, query count per key in each lifecycle."""

    n: int
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    queries: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    def keys(self, prep: bool = False) -> list[str]:
        return [k for k in self.seconds if prep or not k.endswith(PREP)]

    def rate(self, prep: bool = False) -> float:
        return self.n / sum(self.seconds[k] for k in self.keys(prep))

    def mean_queries(self, key: str) -> float:
        counts = self.queries.get(key) or [0]
        return sum(counts) / len(counts)

    def queries_per_lifecycle(self, prep: bool = False) -> float:
        return sum(self.mean_queries(k) for k in self.keys(prep))


@contextmanager
def _measure(result: Result, key: str, count: bool):
    """Adds the block's wall time to `key`, and its query count when `count`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.queries_log.clear()  # a full log (9000 entries) would make every count 0
    with CaptureQueriesContext(connection) if count else nullcontext() as captured:
        started = time.perf_counter()
        yield
        result.seconds[key] += time.perf_counter() - started
    if count:
        result.queries[key].append(len(captured))


def referral_lifecycle(world, result: Result, count: bool) -> None:
    """Creates a referral and drives it along the main line through the real services. Each
    step's preparation (case team, attachments) and loading the acting user afresh, as a request
    would, go under "<step>:prep"."""
    from referral.models import Role, User
    from referral.services.referrals import referral_create
    from referral.services.transitions import run_transition

    start = world.t
    with _measure(result, "create" + PREP, count):
        officer = User.objects.get(pk=world.user("fc-msa", Role.CASE_OFFICER).pk)
    with world.at(), _measure(result, "create", count):
        referral = referral_create(actor=officer, **CASE)
    for name in MAIN_LINE:
        world.advance(hours=2)
        with _measure(result, name + PREP, count):
            world.prepare(referral, name)
            actor = User.objects.get(pk=world.actor_for(referral, name).pk)
            inputs = world.inputs_for(name)
        with world.at(), _measure(result, name, count):
            run_transition(referral_id=referral.pk, actor=actor, name=name, **inputs)
    world.t = start  # every lifecycle runs in the same weeks, inside the holiday calendar's years


def viewflow_lifecycle(user, result: Result, count: bool) -> None:
    from bench.bareflow import BareFlow, bare_lifecycle

    with _measure(result, "lifecycle", count):
        bare_lifecycle(user, BareFlow)


def viewflow_main_line_lifecycle(user, result: Result, count: bool) -> None:
    from bench.bareflow import BareMainLineFlow, bare_lifecycle

    with _measure(result, "lifecycle", count):
        bare_lifecycle(user, BareMainLineFlow)


@dataclass
class Rendering:
    """The render task over `documents` issued documents: wall time, and how many ended frozen."""

    documents: int
    seconds: float
    frozen: int

    def rate(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0


@contextmanager
def rendering_queued():
    """Inside the block the render task is queued as in production (on the Celery app's broker,
    the in-memory one unless CELERY_BROKER_URL says otherwise), not run in-process (eager)."""
    from config.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = eager


def issued_document_ids(after_id: int) -> list[int]:
    from referral.models import Document

    return list(
        Document.objects.filter(pk__gt=after_id).order_by("pk").values_list("pk", flat=True)
    )


def last_document_id() -> int:
    from referral.models import Document

    return Document.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def measure_rendering(document_ids: list[int]) -> Rendering:
    """Runs the render task on each document as one worker process would, one after another."""
    from referral.models import Document, RenderState
    from referral.tasks import render_document

    started = time.perf_counter()
    for document_id in document_ids:
        render_document.apply(args=[document_id])
    seconds = time.perf_counter() - started
    frozen = Document.objects.filter(pk__in=document_ids, render_state=RenderState.DONE).count()
    return Rendering(len(document_ids), seconds, frozen)


def _repeat(lifecycle, subject, n: int, count: bool, warmup: int) -> Result:
    for _ in range(warmup):
        lifecycle(subject, Result(warmup), False)
    result = Result(n)
    for _ in range(n):
        lifecycle(subject, result, count)
    return result


def measure_referrals(world, n: int, *, count: bool = False, warmup: int = WARMUP) -> Result:
    """`world` is a tests.factories.World (agencies and a user for every role)."""
    return _repeat(referral_lifecycle, world, n, count, warmup)


def measure_viewflow(
    user, n: int, *, count: bool = False, warmup: int = WARMUP, main_line: bool = False
) -> Result:
    """The bare flow: one task, or (`main_line`) the main line's nine."""
    lifecycle = viewflow_main_line_lifecycle if main_line else viewflow_lifecycle
    return _repeat(lifecycle, user, n, count, warmup)


def measure_side_by_side(world, user, n: int) -> tuple[Result, Result]:
    """N referral lifecycles and N bare main-line lifecycles (viewflow x9), alternated one for
    one, so both see the same load: on a shared machine the load swings within a run, and two
    blocks measured one after the other gave ratios from 0.26 to 1.8 minutes apart."""
    referral, bare = Result(n), Result(n)
    for _ in range(n):
        referral_lifecycle(world, referral, False)
        viewflow_main_line_lifecycle(user, bare, False)
    return referral, bare


@contextmanager
def database():
    """DATABASE_URL when set, else a throwaway PostgreSQL cluster, stopped and removed on exit."""
    if os.environ.get("DATABASE_URL"):
        yield os.environ["DATABASE_URL"]
        return
    # PostgreSQL refuses to run as root.
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    bindir = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    tmp = Path(tempfile.mkdtemp(prefix="xianjie-bench-pg-"))
    if as_postgres:
        shutil.chown(tmp, "postgres")
    with socket.create_server(("127.0.0.1", 0)) as free:
        data, port = tmp / "data", free.getsockname()[1]

    def pg(*args, check=True):
        subprocess.run([*as_postgres, *map(str, args)], check=check, stdout=subprocess.DEVNULL)

    try:
        pg(bindir / "initdb", "-D", data, "-A", "trust", "-U", "postgres")
        options = f"-k {tmp} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off"
        pg(bindir / "pg_ctl", "-D", data, "-l", tmp / "log", "-w", "start", "-o", options)
        yield f"postgres://postgres@127.0.0.1:{port}/postgres"
    finally:
        if (data / "postmaster.pid").exists():
            pg(bindir / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop", check=False)
        shutil.rmtree(tmp, ignore_errors=True)


def setup_django(media_root: str) -> None:
    """Base settings (DATABASE_URL from the environment) plus "bench", BareFlow's app label."""
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    from config.settings import base

    values = {k: getattr(base, k) for k in dir(base) if k.isupper()}
    values.update(
        DEBUG=False, MEDIA_ROOT=media_root, INSTALLED_APPS=[*base.INSTALLED_APPS, "bench"]
    )
    settings.configure(**values)
    django.setup()
    # One INFO line per render task would bury the figures.
    logging.getLogger("celery.app.trace").setLevel(logging.WARNING)


def report(n: int, ref: Result, ref_q: Result, bares: dict, rendering: Rendering) -> None:
    """`bares`: baseline label -> (timed Result, counted Result)."""
    from django.db import connection

    version = getattr(connection, "pg_version", 0)
    print(f"N = {n} lifecycles per figure, after {WARMUP} warm-up, one process, ", end="")
    print(f"{connection.display_name} {version // 10000}.{version % 10000}\n{NOTE}")
    print(f"{'step':<24}{'queries':>8}{'ms':>7}{'prep queries':>14}{'prep ms':>9}")
    for key in ref.keys():
        ms, prep_ms = (ref.seconds[k] / n * 1e3 for k in (key, key + PREP))
        queries, prep_queries = (ref_q.mean_queries(k) for k in (key, key + PREP))
        print(f"{key:<24}{queries:>8.1f}{ms:>7.2f}{prep_queries:>14.1f}{prep_ms:>9.2f}")
    from referral.documents.types import document_types_for_step

    plain = [k for k in MAIN_LINE if not document_types_for_step(k)]
    for label, steps in (("", MAIN_LINE), (" without documents", plain)):
        mean = sum(ref_q.mean_queries(k) for k in steps) / len(steps)
        print(f"mean queries per run_transition{label}: {mean:.1f} ({len(steps)} steps)")
    print()
    for name, (bare, bare_q) in bares.items():
        bare_queries = bare_q.queries_per_lifecycle()
        print(f"{'':<26}{'referral':>10}{name:>12}{'ratio':>8}")
        for label, r, v in (
            ("lifecycles/s", ref.rate(), bare.rate()),
            ("queries/lifecycle", ref_q.queries_per_lifecycle(), bare_queries),
            ("lifecycles/s + prep", ref.rate(prep=True), bare.rate()),
            ("queries/lifecycle + prep", ref_q.queries_per_lifecycle(prep=True), bare_queries),
        ):
            print(f"{label:<26}{r:>10.1f}{v:>12.1f}{r / v:>8.2f}")
        print()
    print(
        f"\nrender worker: {rendering.documents} documents ({rendering.documents / n:.0f} per "
        f"lifecycle), {rendering.frozen} frozen, {rendering.seconds:.1f} s, "
        f"{rendering.rate():.1f} documents/s in one process"
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200, help="lifecycles per measurement")
    n = parser.parse_args(argv).n
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks
    with database() as url, tempfile.TemporaryDirectory(prefix="xianjie-bench-media-") as media:
        os.environ["DATABASE_URL"] = url
        setup_django(media)
        from django.core.management import call_command
        from django.db import connections

        from referral.models import Role
        from tests.factories import World

        try:
            call_command("migrate", verbosity=0)
            world = World()
            user = world.user("fc-msa", Role.CASE_OFFICER)
            with rendering_queued():
                measure_referrals(world, 0)  # warm-up, its documents not counted
                first = last_document_id()
                measure_viewflow(user, 0, main_line=True)  # its warm-up
                timed, timed_bare = measure_side_by_side(world, user, n)
                issued = issued_document_ids(first)
                counted = measure_referrals(world, n, count=True)
                bares = {
                    "viewflow x9": (
                        timed_bare,
                        measure_viewflow(user, n, count=True, main_line=True),
                    ),
                    "viewflow": (
                        measure_viewflow(user, n),
                        measure_viewflow(user, n, count=True),
                    ),
                }
            rendering = measure_rendering(issued)
            report(n, timed, counted, bares, rendering)
        finally:
            connections.close_all()


if __name__ == "__main__":
    main()
