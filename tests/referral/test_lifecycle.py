"""Table-driven: every legal edge with its right actor, every wrong actor, every illegal edge."""

import ast
import inspect
import json
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from referral import access, lifecycle, permissions
from referral.models import AuditEvent, Clock, ClockState, Referral
from referral.permissions import side_agency
from referral.services.errors import IllegalTransition, NotFound, PermissionDenied
from referral.services.transitions import run_transition
from referral.timeutil import now
from tests.factories import kind_for

S = lifecycle.Status
TRANSITIONS = lifecycle.transitions()
ALL_EDGES = sorted((name, t.source) for name, ts in TRANSITIONS.items() for t in ts)
SOURCES = {name: {t.source for t in ts} for name, ts in TRANSITIONS.items()}


def _via(name):
    # Chasing needs a filing under supervision, and reporting the handling of a procuratorial
    # opinion needs the opinion: the shortest paths take neither.
    return {
        "chase_supervised_case": (S.FILING_AS_ORDERED_PROPOSED, "file_as_ordered"),
        "report_opinion_handling": (S.NON_PROSECUTED, "reverse_transfer_after_non_prosecution"),
    }.get(name, ())


def _refused(referral, name, actor, expected, world):
    """Asks `actor` to take step `name` and expects the refusal `expected`, naming both."""
    with world.at():
        try:
            run_transition(
                referral_id=referral.pk, actor=actor, name=name, **world.inputs_for(name)
            )
        except expected:
            return
    pytest.fail(f"{actor} took {name} in {referral.status}: {expected.__name__} expected")


def _snapshot(referral):
    referral.refresh_from_db()
    return referral.status, AuditEvent.objects.count(), Clock.objects.count()


@pytest.mark.parametrize(("name", "source"), ALL_EDGES)
def test_edge_is_taken_by_its_actor_only(world, name, source):
    referral = world.reach(source, _via(name), kind_for(name))
    world.prepare(referral, name)
    right = world.actor_for(referral, name)
    before = _snapshot(referral)
    step = lifecycle.step_of(TRANSITIONS[name][0])
    wrong = [u for u in world.users.values() if not permissions.may_take_step(u, referral, step)]
    for user in wrong:  # any holder of the role in the acting agency may act (principal: 正职)
        expected = PermissionDenied if access.may_view(user, referral) else NotFound
        _refused(referral, name, user, expected, world)
    # Each refusal was atomic: after all of them, nothing of the referral has changed.
    assert _snapshot(referral) == before, f"one of {wrong} changed something"

    world.do(referral, name, prepare=False)

    referral.refresh_from_db()
    transition = next(t for t in TRANSITIONS[name] if t.source == source)
    assert referral.status in lifecycle.possible_targets(transition)
    # The step's own event; documents the step issues are recorded after it (issue_document).
    # Signing for the documents sent (receive_document) follows too.
    event = (
        AuditEvent.objects.exclude(action__in=("issue_document", "receive_document"))
        .order_by("-seq")
        .first()
    )
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        name,
        source,
        referral.status,
        right,
    )
    assert event.actor_agency_id == right.agency_id
    assert event.payload["article"] == step.article
    for rule in step.stops + step.cancels:
        assert not referral.clocks.open().filter(rule=rule).exists(), rule
    for rule in lifecycle.clocks_started(step, referral.status, source=source):
        started = [c["rule"] for c in event.payload["clocks_started"]]
        national_or_local = rule not in (
            "police_review_clue_check",
            "police_review_major",
            "transfer_after_demand",
        )
        assert (rule in started) == national_or_local, rule
        if national_or_local:
            assert referral.clocks.filter(rule=rule, state=ClockState.RUNNING).exists(), rule


REACHABLE = sorted({t.source for ts in TRANSITIONS.values() for t in ts} | {S.CLOSED})


@pytest.mark.parametrize("state", REACHABLE)
def test_steps_not_leaving_a_state_are_refused(world, state):
    referral = world.reach(state)
    before = _snapshot(referral)
    illegal = [name for name in TRANSITIONS if state not in SOURCES[name]]
    for name in illegal:
        step = lifecycle.step_of(TRANSITIONS[name][0])
        actor = world.user(side_agency(referral, step.side).code, step.role)
        expected = IllegalTransition if access.may_view(actor, referral) else NotFound
        _refused(referral, name, actor, expected, world)
    # Each refusal was atomic: after all of them, nothing of the referral has changed.
    assert _snapshot(referral) == before


def test_every_state_is_reachable_and_every_state_has_an_owner():
    targets = {
        tgt for ts in TRANSITIONS.values() for t in ts for tgt in lifecycle.possible_targets(t)
    }
    assert set(S.values) == targets | {S.ADMIN_CASE_UNDER_INVESTIGATION}
    assert set(lifecycle.STATE_OWNERS) == set(S.values)


def test_status_cannot_be_assigned_directly(world):
    referral = world.new_referral()
    with pytest.raises(AttributeError):
        referral.status = S.FILED


def test_status_is_written_only_in_lifecycle():
    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(r"(\.status\s*=[^=]|\.update\([^)]*\bstatus\s*=)")
    offenders = [
        str(path.relative_to(root))
        for folder in ("referral", "workflows", "config")
        for path in (root / folder).rglob("*.py")
        if (root / "referral" / "lifecycle") not in path.parents
        and "migrations" not in path.parts
        and pattern.search(path.read_text())
    ]
    assert offenders == []


def test_police_cannot_refuse_a_transfer_only_sign_and_then_ask_for_supplement():
    """《公安机关办理刑事案件程序规定》第一百八十条: no refusal for incomplete materials."""
    leaving = {
        state: {name for name, sources in SOURCES.items() if state in sources}
        for state in (S.TRANSFERRED_AWAITING_RECEIPT, S.RECEIVED_BY_POLICE)
    }
    assert leaving[S.TRANSFERRED_AWAITING_RECEIPT] == {"sign_receipt"}
    assert "request_supplement" in leaving[S.RECEIVED_BY_POLICE]
    targets = {
        target
        for name in leaving[S.RECEIVED_BY_POLICE]
        for t in TRANSITIONS[name]
        if t.source == S.RECEIVED_BY_POLICE
        for target in lifecycle.possible_targets(t)
    }
    # Declining goes through the police head's approval (MPS rules art. 178).
    assert S.TRANSFER_REFUSED_RECORDED not in targets and S.NON_FILING_PROPOSED in targets


# --- The state table --------------------------------------------------------------------------


def test_state_table_holds_every_state_and_the_tuples_are_read_from_it():
    assert list(lifecycle.STATES) == list(S)
    assert lifecycle.EDITABLE_STATES == tuple(s for s in S if lifecycle.state(s).editable)
    assert lifecycle.CLOSABLE_STATES == tuple(s for s in S if lifecycle.state(s).closable)
    assert lifecycle.STATE_OWNERS[S.CLOSED] is None
    assert lifecycle.STATE_OWNERS[S.TRANSFERRED_AWAITING_RECEIPT] == ("police", "police_intake")
    assert {t.source for t in TRANSITIONS["close"]} == set(lifecycle.CLOSABLE_STATES)


@pytest.mark.parametrize("state", [s for s in S if s != S.CLOSED])
def test_the_owner_of_a_state_takes_a_step_leaving_it(state):
    """The task router queues a referral to its state's owner; that owner must have a step."""
    actors = {
        (lifecycle.step_named(name).side, lifecycle.step_named(name).role)
        for name, sources in SOURCES.items()
        if state in sources
    }
    assert lifecycle.STATE_OWNERS[state] in actors


def test_the_main_line_is_a_path_through_the_machine():
    edges = {
        (t.source, target)
        for ts in TRANSITIONS.values()
        for t in ts
        for target in lifecycle.possible_targets(t)
    }
    line = lifecycle.MAIN_LINE
    assert line[0] == S.ADMIN_CASE_UNDER_INVESTIGATION and line[-1] == S.CLOSED
    assert all((a, b) in edges for a, b in zip(line, line[1:], strict=False))


# --- Steps: codes, actor, arguments -----------------------------------------------------------

# The rows of DOMAIN.md §3.2–3.4 that are steps of the machine; T4c is part of the transfer, and
# T5x (refusing receipt, unlawful), T8n (notice of filing) and M8 (telling the agency) are not.
REFERENCE_ROWS = {
    *"T1 T1a T2 T3a T3b T4 T4c T5 T6 T6b T7 T7b T8 T9 T10 T11 T11b T11c T12 T13 T13b".split(),
    *"T14 T15 T16 T17 T18 M1 M2 M3 M4a M4b M5 M5x M6 M7 K1 K2 K3 K4".split(),
}
# Codes for steps the reference describes without a row: intake's acceptance, the two reviews
# that find nothing, reverse transfer (§4.3) with the report on the procuratorial opinion, and
# administrative detention (§4.7).
PROJECT_CODES = {"T5a", "M1x", "M7a", "K1x", "R1", "R2", "R2a", "AD1", "AD2", "AD3", "AD4", "AD5"}


def test_every_step_carries_a_code_of_the_legal_reference():
    codes = {code for ts in TRANSITIONS.values() for code in lifecycle.step_of(ts[0]).codes}
    assert codes == REFERENCE_ROWS | PROJECT_CODES


def test_a_transition_takes_exactly_at_and_what_its_step_declares():
    for name in TRANSITIONS:
        parameters = inspect.signature(getattr(Referral, name)).parameters
        assert list(parameters) == ["self", "at", *lifecycle.step_named(name).arguments], name
        assert all(
            p.kind is inspect.Parameter.KEYWORD_ONLY and p.default is inspect.Parameter.empty
            for n, p in parameters.items()
            if n != "self"
        ), name


def test_an_undeclared_argument_is_an_error_not_swallowed(world):
    """Regression: transitions took `**ctx`, so a mistyped or unexpected argument was dropped."""
    referral = world.new_referral()
    with pytest.raises(TypeError):
        referral.find_suspected_crime(at=now(), reason="not an argument of this step")
    with pytest.raises(TypeError):
        referral.find_suspected_crime()  # `at` is every transition's
    referral.refresh_from_db()
    assert referral.status == S.ADMIN_CASE_UNDER_INVESTIGATION


# --- The package: no cycle, formatter-proof, its index -----------------------------------------

LIFECYCLE = Path(__file__).resolve().parents[2] / "referral" / "lifecycle"


# What imports the lifecycle (models.referral inherits from it), directly or through models.
NOT_FROM_THE_LIFECYCLE = ("models", "permissions", "services", "access", "selectors", "demo")


def _imports(path: Path, package: str):
    """(line, dotted module) of every import in the file, relative ones resolved; lazy imports
    (inside a function or class) are reported with a '(lazy)' mark."""
    tree = ast.parse(path.read_text())
    top = set(map(id, tree.body))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = (
                package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            )
            module = ".".join([*base, *([node.module] if node.module else [])])
            modules = [module, *(f"{module}.{a.name}" for a in node.names)]
        else:
            continue
        lazy = "" if id(node) in top else " (lazy)"
        yield from ((node.lineno, m + lazy) for m in modules)


def test_the_lifecycle_imports_nothing_that_imports_it_and_nothing_lazily():
    """Regression: lifecycle <-> models.referral <-> permissions was a cycle hidden by imports
    inside functions (permissions.may_correct_document, has_mandatory_attachments)."""
    files = [(p, "referral.lifecycle") for p in LIFECYCLE.glob("*.py")]
    files.append((LIFECYCLE.parent / "roles.py", "referral"))
    offending = [
        f"{path.name}:{line} {module}"
        for path, package in files
        for line, module in _imports(path, package)
        if module.endswith("(lazy)")
        or module.split(".")[0] == "workflows"
        or module.split(".")[:2] in (["referral", name] for name in NOT_FROM_THE_LIFECYCLE)
    ]
    assert offending == []


def test_the_lifecycle_package_is_formatter_proof():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", str(LIFECYCLE)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_lifecycle_json_names_each_steps_code_and_actor():
    out = StringIO()
    call_command("lifecycle", "--format", "json", stdout=out)
    by_name = {t["name"]: t for t in json.loads(out.getvalue())["transitions"]}
    assert (
        by_name["approve_transfer"]["code"],
        by_name["approve_transfer"]["actor_side"],
        by_name["approve_transfer"]["actor_role"],
    ) == ("T3a", "agency", "agency_head")
    assert by_name["request_filing_supervision"]["code"] == "T11b/T13"


def test_docs_lifecycle_md_is_the_generated_index():
    out = StringIO()
    call_command("lifecycle", "--format", "markdown", stdout=out)
    committed = (LIFECYCLE.parents[1] / "docs" / "lifecycle.md").read_text()
    # Stale? python manage.py lifecycle --format markdown > docs/lifecycle.md
    assert committed == out.getvalue()
