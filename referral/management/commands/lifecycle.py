"""Prints the referral state machine the code runs, as JSON or Graphviz dot."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from referral import lifecycle
from referral.clock_rules import RULES


def machine() -> dict:
    """States and transitions generated from the lifecycle's django-fsm declarations."""
    registry = lifecycle.transitions()
    outgoing = {t.source for ts in registry.values() for t in ts}
    states = [
        {
            "code": code,
            "label": str(label),
            "terminal": code not in outgoing,
            "owner_role": (lifecycle.STATE_OWNERS[code] or (None, None))[1],
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
                "label": str(step.label),
                "source": sorted(sources),
                "target": target,
                "actor_side": step.side,
                "actor_role": step.role,
                "article": step.article,
                "reason_required": step.reason_required,
                "clocks_started": [
                    {"rule": code, "amount": RULES[code].amount, "unit": RULES[code].unit}
                    for code in lifecycle.clocks_started(step, target)
                ],
                "clocks_stopped": list(step.stops + step.cancels),
            }
        )
    return {"states": states, "transitions": transitions}


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


class Command(BaseCommand):
    help = "Print the referral lifecycle (states, transitions, clocks, articles)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=("json", "dot"), default="json")
        parser.add_argument("--language", default=settings.LANGUAGE_CODE)

    def handle(self, *args, format, language, **options):
        with translation.override(language):
            data = machine()
            text = (
                json.dumps(data, ensure_ascii=False, indent=2) if format == "json" else to_dot(data)
            )
        self.stdout.write(text)
