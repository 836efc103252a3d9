"""Drives one new referral of the demo jurisdiction through timed events and prints its clocks
and documents as JSON (the scenario runner):

    {"kind": "criminal",
     "events": [{"at": "2026-03-02T09:00:00+08:00", "step": "find_suspected_crime"},
                {"at": "2026-03-05T16:00:00+08:00", "receive": "non_filing_notice"}]}

A `step` is a transition name (`lifecycle --format json`) taken at `at` by a demo user holding
its role, with placeholder data for what it needs (referral/demo.py prepare_step); `receive`
has the addressee sign for the latest document of that type at `at` ("all": every document
sent and not yet received). Exit status 2 for bad input, 3 when the lifecycle refuses a step
(printed as {"refused": {"step", "reason"}}). Everything runs in one transaction rolled back
unless --keep; documents are numbered, and rendered only with --render.
"""

import json
import sys
from datetime import datetime
from functools import partial
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from referral import lifecycle
from referral.demo import (
    FIXTURES,
    actor_for,
    prepare_step,
    seed_users,
    sign_for_documents,
)
from referral.documents.types import DOCUMENT_TYPES
from referral.models import Agency, ServiceRecord, User
from referral.services import referrals as case
from referral.services.errors import ReferralError
from referral.services.rendering import document_render
from referral.services.transitions import run_transition
from referral.tasks import render_document
from referral.timeutil import frozen_now

KINDS = {
    "criminal": lifecycle.ReferralKind.CRIMINAL_TRANSFER,
    "detention": lifecycle.ReferralKind.ADMIN_DETENTION,
    **{kind: kind for kind in lifecycle.ReferralKind.values},
}
DEMO_AGENCY, DEMO_OFFICER, DEMO_TEAMMATE = "fc-msa", "fc_officer", "fc_officer2"


class BadScenario(CommandError):
    def __init__(self, message):
        super().__init__(message, returncode=2)


class Refused(Exception):
    def __init__(self, step, reason):
        self.step, self.reason = step, reason


def parse(text: str) -> tuple[str, list[dict]]:
    """The scenario's kind and events, each with an aware `at`; BadScenario otherwise."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadScenario(f"不是有效的 JSON（Not valid JSON: {exc}）") from None
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise BadScenario(
            '情景应为含 "events" 列表的对象（The scenario is an object with a list "events".）'
        )
    kind = KINDS.get(data.get("kind", "criminal"))
    if kind is None:
        raise BadScenario(
            f"未知的案件种类 {data.get('kind')!r}，可选：{', '.join(KINDS)}"
            f"（Unknown kind; one of {', '.join(KINDS)}.）"
        )
    events, last = [], None
    for number, event in enumerate(data["events"], start=1):
        if not isinstance(event, dict) or ("step" in event) == ("receive" in event):
            raise BadScenario(
                f'第 {number} 个事件：须给出 "at"，并且 "step"、"receive" 恰好给出一个'
                f'（Event {number}: give "at" and exactly one of "step", "receive".）'
            )
        try:
            at = datetime.fromisoformat(event["at"])
        except (KeyError, TypeError, ValueError):
            raise BadScenario(
                f'第 {number} 个事件："at" 须为 ISO 8601 日期时间'
                f'（Event {number}: "at" must be an ISO 8601 date-time.）'
            ) from None
        if timezone.is_naive(at):
            raise BadScenario(
                f'第 {number} 个事件："at" 须带时区偏移，如 +08:00'
                f'（Event {number}: "at" needs a UTC offset, e.g. +08:00.）'
            )
        if last is not None and at < last:
            raise BadScenario(
                f"第 {number} 个事件：时间倒退（{at} < {last}）"
                f"（Event {number}: time goes backwards.）"
            )
        last = at
        if "step" in event and event["step"] not in lifecycle.transitions():
            raise BadScenario(
                f"第 {number} 个事件：未知环节 {event['step']!r}（Event {number}: unknown step.）"
            )
        receive = event.get("receive")
        if "receive" in event and receive != "all" and receive not in DOCUMENT_TYPES:
            raise BadScenario(
                f"第 {number} 个事件：未知文书类型 {receive!r}"
                f"（Event {number}: unknown document type.）"
            )
        events.append({**event, "at": at})
    return kind, events


def ensure_demo_jurisdiction() -> None:
    """The demo agencies, rule sets and users, created if absent (inside the transaction)."""
    if not Agency.objects.filter(code=DEMO_AGENCY).exists():
        call_command(
            "loaddata",
            str(FIXTURES / "agencies.json"),
            str(FIXTURES / "rulesets.json"),
            verbosity=0,
        )
    if not User.objects.filter(username=DEMO_OFFICER).exists():
        seed_users(FIXTURES / "demo_users.json")


def run(kind: str, events: list[dict]):
    officer = User.objects.get(username=DEMO_OFFICER)
    teammate = User.objects.get(username=DEMO_TEAMMATE)
    start = events[0]["at"] if events else timezone.now()
    with frozen_now(start):
        referral = case.referral_create(
            actor=officer,
            title="（模拟）某公司涉嫌销售有毒有害食品案",
            kind=kind,
            facts="（模拟）经查，当事人销售的食品中检出国家禁用物质。",
            suspected_charge="生产、销售有毒、有害食品罪",
            amount_involved="128000.00",
        )
    for event in events:
        with frozen_now(event["at"]):
            if "step" in event:
                take_step(referral, event["step"], officer, teammate)
            elif event["receive"] == "all":
                sign_for_documents(referral, with_steps=True)
            else:
                if not sign_for_documents(referral, doc_type=event["receive"]):
                    raise Refused(f"receive:{event['receive']}", "没有待签收的该类文书。")
    referral.refresh_from_db()
    return referral


def take_step(referral, name, officer, teammate) -> None:
    step = lifecycle.step_named(name)
    try:
        prepare_step(referral, name, officer=officer, teammate=teammate)
        actor = actor_for(referral, name)
        if actor is None:
            raise Refused(name, "演示机关中没有可执行该环节的人员。")
        police = Agency.objects.filter(code="my-police").values_list("pk", flat=True).first()
        run_transition(
            referral_id=referral.pk,
            actor=actor,
            name=name,
            reason="（模拟）理由。" if step.reason_required else "",
            police_agency_id=police if "police_agency" in step.required_inputs else None,
            detention_days=10 if "detention_days" in step.required_inputs else None,
        )
    except ReferralError as exc:
        raise Refused(name, str(exc)) from None


def report(referral) -> dict:
    records = {r.document_id: r for r in ServiceRecord.objects.filter(document__referral=referral)}
    return {
        "status": referral.status,
        "clocks": [
            {
                "rule": c.rule,
                "started_at": _iso(c.started_at),
                "due_at": _iso(c.due_at),
                "state": c.state,
                "provisional": c.provisional,
            }
            for c in referral.clocks.order_by("started_at", "pk")
        ],
        "documents": [
            {
                "type": d.doc_type,
                "number": d.display_number,
                "issued_at": _iso(d.issued_at),
                "received_at": _iso(records[d.pk].received_at) if d.pk in records else None,
            }
            for d in referral.documents.order_by("issued_at", "pk")
        ],
    }


def _iso(moment):
    return timezone.localtime(moment).isoformat() if moment else None


class Command(BaseCommand):
    help = "Run a scenario of timed steps and receipts on a new demo referral; print clocks."

    def add_arguments(self, parser):
        parser.add_argument("scenario", help="the scenario JSON file ('-' for stdin)")
        parser.add_argument("--keep", action="store_true", help="commit instead of rolling back")
        parser.add_argument("--render", action="store_true", help="render the documents' PDFs")

    def handle(self, *args, scenario, keep, render, **options):
        try:
            text = sys.stdin.read() if scenario == "-" else Path(scenario).read_text()
        except OSError as exc:
            raise BadScenario(f"无法读取 {scenario}（Cannot read: {exc}）") from None
        kind, events = parse(text)
        refused = None
        with transaction.atomic():
            ensure_demo_jurisdiction()
            try:
                referral = run(kind, events)
            except Refused as exc:
                refused = {"refused": {"step": exc.step, "reason": exc.reason}}
            if refused is None:
                if render:
                    for pk in referral.documents.values_list("pk", flat=True):
                        document_render(document_id=pk)
                output = report(referral)
            if not keep or refused is not None:
                transaction.set_rollback(True)
            elif not render:
                _drop_render_callbacks()
        if refused is not None:
            self.stdout.write(json.dumps(refused, ensure_ascii=False, indent=2))
            sys.exit(3)
        self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))


def _drop_render_callbacks() -> None:
    """Kept without --render: the steps queued their documents' rendering for after commit;
    take those callbacks out so the documents stay numbered and waiting to render."""
    connection = transaction.get_connection()
    connection.run_on_commit = [
        entry
        for entry in connection.run_on_commit
        if not (isinstance(entry[1], partial) and entry[1].func == render_document.delay)
    ]
