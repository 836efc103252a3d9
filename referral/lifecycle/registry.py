"""Reading the machine: its steps, their facts and targets, for services, commands and tests."""

from functools import cache

from django.apps import apps
from django_fsm import RETURN_VALUE

from .states import CLOSABLE_STATES, STATES, StateFacts
from .steps import Step


def transitions(model=None) -> dict[str, list]:
    """Transition name -> django-fsm Transition objects, one per source state (read-only: the
    machine is fixed when the classes are built, so it is read once per model)."""
    return _transitions_of(model or apps.get_model("referral", "Referral"))


@cache
def _transitions_of(model) -> dict[str, list]:
    registry: dict[str, list] = {}
    for t in model._meta.get_field("status").get_all_transitions(model):
        registry.setdefault(t.name, []).append(t)
    return registry


def step_of(transition) -> Step:
    return transition.custom["step"]


def step_named(name: str) -> Step:
    """The Step of transition `name` (KeyError for an unknown name)."""
    return step_of(transitions()[name][0])


@cache
def decisions_on_proposals() -> frozenset[str]:
    """The steps that decide a proposal (approve what an officer proposed: `Step.proposes`),
    as against the step beside them that sends the proposal back."""
    return frozenset(name for ts in transitions().values() for name in step_of(ts[0]).proposes)


def state(code: str) -> StateFacts:
    """Every fact about state `code` (KeyError for an unknown state)."""
    return STATES[code]


def possible_targets(transition, model=None) -> list[str]:
    """Concrete targets. The lifecycle's RETURN_VALUE steps either keep their source (a step
    beside the main line), or leave a proposal's state for where the proposal was made
    (`proposed_from`: sent back, or a transfer to other police approved), or, from another
    source they may not keep, move to the allowed states that are not themselves sources of
    the step (hand-over: FILED -> ITEMS_HANDED_OVER)."""
    target = transition.target
    if not isinstance(target, RETURN_VALUE):
        return [target]
    allowed = target.allowed_states or ()
    if transition.source in allowed:
        return [transition.source]
    registry = transitions(model)
    proposed_from = {
        t.source
        for ts in registry.values()
        for t in ts
        if step_of(t).proposes and t.target == transition.source
    }
    if proposed_from:
        return [code for code in allowed if code in proposed_from]
    sources = {t.source for t in registry[transition.name]}
    return [code for code in allowed if code not in sources]


def clocks_started(step: Step, target: str, *, source: str | None = None) -> tuple[str, ...]:
    """The clocks a step starts on reaching `target` from `source`; closing the file follows
    every outcome reached (a step that keeps a closable state does not start it again)."""
    extra = ("close_file",) if target in CLOSABLE_STATES and source != target else ()
    return step.starts + extra
