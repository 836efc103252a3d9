"""Computes a statutory period's due moment: from an amount and unit, or from a clock rule.

Other tools parse the output, so its shape is fixed: an optional warning line first, an
optional rule line, and the due moment as ISO 8601 (Beijing time, with offset) last.
"""

import re
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from referral import deadlines
from referral.clock_rules import Unit

REGION_CODE = re.compile(r"^\d{6}$")


class Command(BaseCommand):
    help = (
        "Print when a statutory period ends: --amount N --unit U, or --rule CODE, counted "
        "--from an ISO 8601 moment (naive = Asia/Shanghai), optionally in a --jurisdiction."
    )

    def add_arguments(self, parser):
        parser.add_argument("--amount", help="Length of the period (positive integer).")
        parser.add_argument("--unit", help=f"One of: {', '.join(Unit.values)}.")
        parser.add_argument("--rule", help="A clock rule code; amount and unit come from it.")
        parser.add_argument("--from", dest="start", help="ISO 8601 datetime or date (required).")
        parser.add_argument("--jurisdiction", help="Six-digit administrative division code.")

    def handle(self, *args, **options):
        start = parse_start(options["start"])
        region = parse_region(options["jurisdiction"])
        if options["rule"] is not None:
            if options["amount"] is not None or options["unit"] is not None:
                raise CommandError(
                    "--rule 与 --amount/--unit 不能同时使用 "
                    "(give either --rule or --amount with --unit, not both)"
                )
            resolved = rule_period(options["rule"], region)
            amount, unit = resolved.amount, resolved.unit
        else:
            resolved = None
            amount, unit = explicit_period(options["amount"], options["unit"])
        due = deadlines.compute_due(start, amount, unit)
        self.write_result(start, due, unit, resolved)

    def write_result(self, start, due, unit, resolved):
        # Hour periods never consult the holiday calendar, so its state cannot affect them.
        years = deadlines.unconfirmed_years(start, due) if unit != Unit.HOURS else []
        if years:
            self.stdout.write(unconfirmed_warning(years))
        if resolved is not None:
            self.stdout.write(
                f"规则 Rule: {resolved.code}; {resolved.amount} {resolved.unit}; "
                f"{resolved.article}; 规则集 rule set: {resolved.ruleset}"
            )
        self.stdout.write(due.isoformat())


def parse_start(text: str | None) -> datetime:
    """An ISO 8601 datetime or date; without an offset it is Beijing time."""
    if text is None:
        raise CommandError(
            "须指定起算时间 --from (--from is required: an ISO 8601 datetime or date)"
        )
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"无法解析起算时间 {text!r} (cannot parse --from {text!r}; expected ISO 8601, "
            "e.g. 2026-09-28T10:00:00+08:00 or 2026-09-28)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=deadlines.SHANGHAI)
    return moment


def parse_region(code: str | None) -> str | None:
    if code is not None and not REGION_CODE.match(code):
        raise CommandError(
            f"行政区划代码应为6位数字：{code!r} (--jurisdiction must be a six-digit region code)"
        )
    return code


def explicit_period(amount: str | None, unit: str | None) -> tuple[int, str]:
    if amount is None or unit is None:
        raise CommandError(
            "须指定 --rule，或同时指定 --amount 和 --unit "
            "(give either --rule, or --amount together with --unit)"
        )
    if unit not in Unit.values:
        raise CommandError(
            f"未知的期间单位 {unit!r} (unknown unit {unit!r}; expected one of "
            f"{', '.join(Unit.values)})"
        )
    if not amount.isdigit() or int(amount) < 1:
        raise CommandError(f"期间长度应为正整数：{amount!r} (--amount must be a positive integer)")
    return int(amount), unit


def rule_period(code: str, region: str | None) -> deadlines.ResolvedRule:
    try:
        resolved = deadlines.resolve_rule(code, region_code=region)
    except ValueError:
        raise CommandError(f"未知的期限规则 {code!r} (unknown rule {code!r})") from None
    if resolved is None:
        where = f"行政区划 {region}" if region else "全国"
        raise CommandError(
            f"{where}未规定该期限：{code} (rule {code!r} has no period "
            f"{'in jurisdiction ' + region if region else 'nationally'}; a local rule set "
            "must define it)"
        )
    return resolved


def unconfirmed_warning(years: list[int]) -> str:
    listed = "、".join(str(year) for year in years)
    english = ", ".join(str(year) for year in years)
    return (
        f"警告 Warning: {listed}年节假日安排尚未确认，"
        "按周末及各节日通常最长放假期间推算，期限为暂定 "
        f"(holiday calendar for {english} is not confirmed; weekends and the festivals' longest "
        "usual spans assumed: provisional)"
    )
