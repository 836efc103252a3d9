"""The legal lifecycle of a referral: every state, every step, and nothing else writes status.

DOMAIN.md §3.2 (T1–T18), §3.3 (M1–M7), §3.4 (K1–K4), §4.3 (reverse transfer, R1–R2) and §4.7
(administrative detention, AD1–AD5); docs/lifecycle.md is the index, generated from this code.

- states.py: the referral kinds, the statuses and one table of facts per state.
- steps.py: `Step` (code, actor, article, clocks, inputs) and the `step` decorator.
- conditions.py: what a step checks on the referral, each with its message.
- agency.py, police.py, procuratorate.py, detention.py: each side's steps, as model mixins;
  machine.py combines them with the protected status field.
- registry.py: reading the machine (transitions, their steps, targets and clocks).

The step gate (services/transitions.py) locks the referral, asks whether the actor holds the
step's role on the step's side, runs the transition, applies the clocks and writes the audit.
"""

from ..clock_rules import POLICE_DECISION_CLOCKS
from .attachments import MANDATORY_TRANSFER_ATTACHMENTS, AttachmentKind
from .conditions import step_applies
from .machine import ReferralLifecycle
from .registry import (
    clocks_started,
    decisions_on_proposals,
    possible_targets,
    state,
    step_named,
    step_of,
    transitions,
)
from .states import (
    AFTER_FILING_STATES,
    CLOSABLE_STATES,
    EDITABLE_STATES,
    MAIN_LINE,
    POLICE_DECISION_STATES,
    STATE_OWNERS,
    STATES,
    ReferralKind,
    StateFacts,
    Status,
)
from .steps import Step

__all__ = [
    "AFTER_FILING_STATES",
    "CLOSABLE_STATES",
    "EDITABLE_STATES",
    "MAIN_LINE",
    "MANDATORY_TRANSFER_ATTACHMENTS",
    "POLICE_DECISION_CLOCKS",
    "POLICE_DECISION_STATES",
    "STATES",
    "STATE_OWNERS",
    "AttachmentKind",
    "ReferralKind",
    "ReferralLifecycle",
    "StateFacts",
    "Status",
    "Step",
    "clocks_started",
    "decisions_on_proposals",
    "possible_targets",
    "state",
    "step_named",
    "step_applies",
    "step_of",
    "transitions",
]
