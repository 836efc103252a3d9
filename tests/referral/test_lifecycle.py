"""Table-driven: every legal edge with its right actor, every wrong actor, every illegal edge."""

import re
from pathlib import Path

import pytest

from referral import access, lifecycle
from referral.models import AuditEvent, Clock, ClockState
from referral.services.errors import IllegalTransition, NotFound, PermissionDenied
from referral.services.transitions import run_transition
from tests.factories import kind_for

S = lifecycle.Status
TRANSITIONS = lifecycle.transitions()
ALL_EDGES = sorted((name, t.source) for name, ts in TRANSITIONS.items() for t in ts)
SOURCES = {name: {t.source for t in ts} for name, ts in TRANSITIONS.items()}


def _via(name):
    # Chasing needs a filing under supervision, which the shortest path does not take.
    return (S.FILING_ORDERED, "file_as_ordered") if name == "chase_supervised_case" else ()


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
    for user in world.users.values():
        if user.agency_id == right.agency_id and user.has_role(step.role):
            continue  # any holder of the role in the acting agency may act
        expected = PermissionDenied if access.may_view(user, referral) else NotFound
        with world.at(), pytest.raises(expected):
            run_transition(referral_id=referral.pk, actor=user, name=name, **world.inputs_for(name))
        assert _snapshot(referral) == before, f"{user} changed something"

    world.do(referral, name, prepare=False)

    referral.refresh_from_db()
    transition = next(t for t in TRANSITIONS[name] if t.source == source)
    assert referral.status in lifecycle.possible_targets(transition)
    # The step's own event; documents the step issues are recorded after it (issue_document).
    event = AuditEvent.objects.exclude(action="issue_document").order_by("-seq").first()
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
    for rule in lifecycle.clocks_started(step, referral.status):
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
    for name in TRANSITIONS:
        if state in SOURCES[name]:
            continue
        actor = world.actor_for(referral, name)
        before = _snapshot(referral)
        expected = IllegalTransition if access.may_view(actor, referral) else NotFound
        with world.at(), pytest.raises(expected):
            run_transition(
                referral_id=referral.pk, actor=actor, name=name, **world.inputs_for(name)
            )
        assert _snapshot(referral) == before, name


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
    assert S.TRANSFER_REFUSED_RECORDED not in targets and S.NOT_FILED in targets
