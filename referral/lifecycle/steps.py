"""`Step`: what the law says about one transition, and `step`, the decorator that declares one.

Every transition of the referral's status is declared with `step(...)`: its code in the legal
reference (DOMAIN.md §3.2–3.4; see docs/lifecycle.md), who acts (the side of the referral whose
agency may act, and the role), the article, the clocks, and the sources, target and conditions
django-fsm checks. The actor is a question the step gate asks (services/transitions.py), so it
is stated here once and nowhere else.
"""

from dataclasses import dataclass

from django_fsm import transition


@dataclass(frozen=True, kw_only=True)
class Step:
    """What the law says about one transition; stored in the transition's `custom`."""

    # The row of the legal reference; "T11b/T13" when one transition covers two rows.
    code: str
    label: str
    side: str
    role: str
    article: str
    # Only the agency's principal head (正职 / 主持工作) may take it (Decree 310 art. 5).
    principal_only: bool = False
    starts: tuple[str, ...] = ()
    stops: tuple[str, ...] = ()  # obligations this step fulfils
    cancels: tuple[str, ...] = ()  # obligations that lapse with this step
    # Where the jurisdiction's rule set restarts the police decision period when material is
    # supplemented (a local practice: no national text does, DOMAIN.md §9.3 [S]), the periods
    # this step then cancels and those it starts afresh; elsewhere these do nothing.
    local_restart_cancels: tuple[str, ...] = ()
    local_restart_starts: tuple[str, ...] = ()
    # Document types whose receipt by the addressee this step is (the police's signing of the
    # transfer letter); their service records are marked received at the step.
    receives: tuple[str, ...] = ()
    reason_required: bool = False
    # A proposal (an officer's opinion the head decides: MPS rules art. 178, SPP rules art. 561):
    # the head's steps that decide it. Its inputs are recorded, not applied, and pre-fill the
    # head's form; the head's step applies them.
    proposes: tuple[str, ...] = ()
    inputs: tuple[str, ...] = ()  # optional data the step takes from the actor
    required_inputs: tuple[str, ...] = ()
    # Keyword arguments the transition method takes besides `at`; the gate passes exactly these.
    arguments: tuple[str, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.code.split("/"))


def step(*, source, target, conditions=(), **facts):
    """Declares a transition of `status` from `source` to `target`, described by a `Step` built
    from `facts` (keyword arguments only)."""
    return transition(
        field="status",
        source=source,
        target=target,
        conditions=list(conditions),
        custom={"step": Step(**facts)},
    )
