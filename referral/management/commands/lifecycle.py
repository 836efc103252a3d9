"""Prints the referral state machine the code runs, as JSON, Graphviz dot or the Markdown index
committed as docs/lifecycle.md."""

import json
import re

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from referral import lifecycle
from referral.clock_rules import RULES

# The parts of the legal reference (DOMAIN.md) a step code's letters name, in reading order.
CODE_PARTS = {
    "T": "main line, §3.2",
    "M": "filing supervision, §3.3",
    "K": "the procuratorate's demand to transfer, §3.4",
    "R": "reverse transfer after non-prosecution and taking the case back, §4.3",
    "AD": "transfer for administrative detention, §4.7",
}
# The state table's groups, as lifecycle.StateFacts names them.
GROUPS = ("main_line", "editable", "police_deciding", "after_filing", "closable")


def machine() -> dict:
    """States and transitions generated from the lifecycle's django-fsm declarations."""
    registry = lifecycle.transitions()
    outgoing = {t.source for ts in registry.values() for t in ts}
    states = [
        {
            "code": code,
            "label": str(label),
            "terminal": code not in outgoing,
            "owner_side": lifecycle.state(code).side,
            "owner_role": lifecycle.state(code).role,
            "groups": [name for name in GROUPS if getattr(lifecycle.state(code), name)],
        }
        for code, label in lifecycle.Status.choices
    ]
    grouped: dict[tuple[str, str], list[str]] = {}
    for name, ts in registry.items():
        for t in ts:
            for target in lifecycle.possible_targets(t):
                grouped.setdefault((name, target), []).append(t.source)
    transitions = []
    for (name, target), sources in grouped.items():
        step = lifecycle.step_of(registry[name][0])
        transitions.append(
            {
                "name": name,
                "code": step.code,
                "label": str(step.label),
                "source": sorted(sources),
                "target": target,
                "actor_side": step.side,
                "actor_role": step.role,
                "article": step.article,
                "reason_required": step.reason_required,
                # A proposal names the head's steps that decide it (MPS 178, SPP 561).
                "proposes": list(step.proposes),
                "clocks_started": [
                    {"rule": code, "amount": RULES[code].amount, "unit": RULES[code].unit}
                    for code in lifecycle.clocks_started(
                        step, target, source=target if sources == [target] else None
                    )
                ],
                "clocks_stopped": list(step.stops + step.cancels),
                # Only where the jurisdiction's rule set restarts the police decision period
                # after a supplement (DOMAIN.md §9.3 [S]).
                "clocks_local_restart": {
                    "cancels": list(step.local_restart_cancels),
                    "starts": list(step.local_restart_starts),
                },
            }
        )
    return {"states": states, "transitions": transitions, "clocks": clocks(transitions)}


def clocks(transitions: list[dict]) -> list[dict]:
    """Each clock rule with what starts it (its rule says: steps, or the receipt of a document
    type by its addressee, DOMAIN.md §9.1) and what ends it."""
    started_by: dict[str, set[str]] = {}
    stopped_by: dict[str, set[str]] = {}
    for t in transitions:
        for clock in t["clocks_started"]:
            started_by.setdefault(clock["rule"], set()).add(t["name"])
        for code in t["clocks_stopped"]:
            stopped_by.setdefault(code, set()).add(t["name"])
    return [
        {
            "rule": code,
            "label": str(rule.label),
            "amount": rule.amount,
            "unit": rule.unit,
            "article": rule.article,
            "owner_side": rule.owner_side,
            "owner_role": rule.owner_role,
            "starts": (
                {"receipt_of": rule.starts_on_receipt_of, "sent_by": list(rule.sent_by)}
                if rule.starts_on_receipt_of
                else {"steps": sorted(started_by.get(code, ()))}
            ),
            "stopped_by": sorted(stopped_by.get(code, ())),
        }
        for code, rule in RULES.items()
    ]


def to_dot(data: dict) -> str:
    lines = [
        "digraph referral {",
        "  rankdir=TB;",
        '  node [shape=box, fontname="Noto Sans CJK SC"];',
    ]
    for state in data["states"]:
        shape = ", peripheries=2" if state["terminal"] else ""
        lines.append(f'  {state["code"]} [label="{state["label"]}\\n{state["code"]}"{shape}];')
    for t in data["transitions"]:
        for source in t["source"]:
            lines.append(f'  {source} -> {t["target"]} [label="{t["label"]}"];')
    lines.append("}")
    return "\n".join(lines)


def code_order(code: str) -> tuple:
    """Sorts step codes as the legal reference lists them: T1, T1a, T2 ... T18, M1 ..., K1 ..."""
    prefix, number, suffix = re.fullmatch(r"([A-Z]+)(\d+)(\w*)", code.split("/")[0]).groups()
    return list(CODE_PARTS).index(prefix), int(number), suffix


def _clock(clock: dict) -> str:
    if clock["amount"] is None:
        return f"{clock['rule']} (local rule only)"
    return f"{clock['rule']} ({clock['amount']} {clock['unit'].replace('_', ' ')})"


def _cell(items) -> str:
    return "<br>".join(items) or "—"


def _restart(transition: dict, what: str) -> list[str]:
    return [f"{code} (local rule restart)" for code in transition["clocks_local_restart"][what]]


def to_markdown(data: dict) -> str:
    lines = [
        "# The referral lifecycle: index of steps",
        "",
        "Generated from the code by `python manage.py lifecycle --format markdown`; do not edit by",
        "hand (tests/referral/test_lifecycle.py fails when this file and the code disagree).",
        "",
        "Step codes are the rows of the legal reference (DOMAIN.md):",
        "",
        *(f"- {letters}: {part}" for letters, part in CODE_PARTS.items()),
        "",
        "A code with slashes covers several rows. T5a, M1x, M7a, K1x and R2a are steps the",
        "reference describes without a row of their own: the police intake accepting a case",
        "for review, a supervision review or a non-transfer review that finds nothing, the",
        "procuratorate's demand that the police explain an overdue decision (SPP art. 562),",
        "and the agency's report of how it handled a procuratorial opinion (CPL art. 177(3)).",
        "The actor is the role in the agency standing on that side of the referral. A clock",
        'marked "local rule restart" moves only where the jurisdiction\'s rule set restarts the',
        "police decision period after a supplement (no national text does).",
        "",
        "## Steps",
        "",
        "| Code | Step | Transition | Actor | From | To | Starts | Stops | Article |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    rows = sorted(
        data["transitions"], key=lambda t: (code_order(t["code"]), t["name"], t["target"])
    )
    for t in rows:
        lines.append(
            "| "
            + " | ".join(
                (
                    t["code"],
                    t["label"] + (" *" if t["reason_required"] else ""),
                    f"`{t['name']}`",
                    f"{t['actor_side']} / {t['actor_role']}",
                    _cell(t["source"]),
                    t["target"],
                    _cell([*map(_clock, t["clocks_started"]), *_restart(t, "starts")]),
                    _cell([*t["clocks_stopped"], *_restart(t, "cancels")]),
                    t["article"],
                )
            )
            + " |"
        )
    lines += [
        "",
        "\\* a reason is required.",
        "",
        "## States",
        "",
        "| State | Label | Next actor | Groups |",
        "|---|---|---|---|",
    ]
    for state in data["states"]:
        actor = f"{state['owner_side']} / {state['owner_role']}" if state["owner_side"] else "—"
        lines.append(f"| {state['code']} | {state['label']} | {actor} | {_cell(state['groups'])} |")
    lines += [
        "",
        "## Clocks",
        "",
        "What starts each clock is declared once, on its rule: a step (the steps listed), or the",
        "receipt of a document by its addressee (signed for in the app or served on paper).",
        "",
        "| Clock | Period | Starts on | Owner | Article |",
        "|---|---|---|---|---|",
    ]
    for clock in data["clocks"]:
        starts = clock["starts"]
        if "receipt_of" in starts:
            start = f"receipt of `{starts['receipt_of']}`"
            if starts["sent_by"]:
                start += " sent by " + ", ".join(f"`{name}`" for name in starts["sent_by"])
        else:
            start = _cell(f"`{name}`" for name in starts["steps"])
        period = _clock(clock).removeprefix(clock["rule"]).strip(" ()")
        lines.append(
            f"| {clock['rule']} | {period} | {start} "
            f"| {clock['owner_side']} / {clock['owner_role']} | {clock['article']} |"
        )
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "Print the referral lifecycle (states, transitions, clocks, articles)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=("json", "dot", "markdown"), default="json")
        parser.add_argument("--language", default=settings.LANGUAGE_CODE)

    def handle(self, *args, format, language, **options):
        render = {
            "json": lambda data: json.dumps(data, ensure_ascii=False, indent=2),
            "dot": to_dot,
            "markdown": to_markdown,
        }[format]
        with translation.override(language):
            text = render(machine())
        self.stdout.write(text, ending="" if format == "markdown" else "\n")
