"""`manage.py deadline` and `manage.py sync_calendar`: output shape, dates and errors.

Weekdays: 2026-09-28 is a Monday, 2026-10-01 a Thursday, 2026-12-29 a Tuesday and 2027-01-01
a Friday. 2026: Oct 1-7 off, Sat Oct 10 worked.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from referral.deadlines import calendar_sync
from referral.management.commands.deadline import Command as DeadlineCommand
from referral.models import DeadlineRule, RuleSet

WARNING_2027 = (
    "警告 Warning: 2027年节假日安排尚未确认，按周末及各节日通常最长放假期间推算，期限为暂定 "
    "(holiday calendar for 2027 is not confirmed; weekends and the festivals' longest usual "
    "spans assumed: provisional)"
)


def deadline(*args: str) -> list[str]:
    out = StringIO()
    call_command("deadline", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.fixture
def calendar_2026(db):
    calendar_sync([2026])


@pytest.fixture
def suzhou(db):
    ruleset = RuleSet.objects.create(
        code="suzhou", name="苏州市", region_prefix="3205", source="《苏州市办法》"
    )
    DeadlineRule.objects.create(
        ruleset=ruleset,
        rule="police_filing_decision",
        amount=2,
        unit="calendar_days",
        article="《苏州市办法》",
    )


def test_deadline_command_amount_form_prints_only_the_due_moment(calendar_2026):
    # Mon Sep 28 + 3 = Thu Oct 1, holiday through Oct 7 -> Thu Oct 8.
    lines = deadline(
        "--amount", "3", "--unit", "calendar_days", "--from", "2026-09-28T10:00:00+08:00"
    )
    assert lines == ["2026-10-08T23:59:59+08:00"]


def test_deadline_command_bare_date_and_naive_datetime_are_beijing_time(calendar_2026):
    base = ["--amount", "3", "--unit", "calendar_days", "--from"]
    assert deadline(*base, "2026-09-28") == ["2026-10-08T23:59:59+08:00"]
    # Naive 23:30 on Sep 30 is Beijing time: + 24 h, hour 23 not counted -> Oct 2 00:00.
    hours = ["--amount", "24", "--unit", "hours", "--from", "2026-09-30T23:30"]
    assert deadline(*hours) == ["2026-10-02T00:00:00+08:00"]


def test_deadline_command_converts_other_offsets_to_beijing_time(calendar_2026):
    # 20:00 UTC Sep 27 = 04:00 Beijing Mon Sep 28 -> Oct 8 (read in UTC it would be Sep 30).
    base = ["--amount", "3", "--unit", "calendar_days", "--from"]
    assert deadline(*base, "2026-09-27T20:00:00Z") == ["2026-10-08T23:59:59+08:00"]
    # 24 h from 02:00 UTC (10:00 Beijing): hour 10 not counted -> 11:00 Beijing next day.
    hours = ["--amount", "24", "--unit", "hours", "--from", "2026-03-10T02:00:00+00:00"]
    assert deadline(*hours) == ["2026-03-11T11:00:00+08:00"]


def test_deadline_command_warns_first_when_crossing_into_unconfirmed_2027(calendar_2026):
    # Tue Dec 29 + 3 = Fri Jan 1 2027 (fallback 元旦), weekend -> Mon Jan 4.
    lines = deadline("--amount", "3", "--unit", "calendar_days", "--from", "2026-12-29")
    assert lines == [WARNING_2027, "2027-01-04T23:59:59+08:00"]


def test_deadline_command_hour_periods_need_no_calendar_warning(db):
    # Hour periods never consult the calendar, so 2027 being unconfirmed does not matter.
    lines = deadline("--amount", "24", "--unit", "hours", "--from", "2027-01-01T10:00:00+08:00")
    assert lines == ["2027-01-02T11:00:00+08:00"]


def test_deadline_command_rule_form_uses_the_national_period(calendar_2026):
    # police_filing_decision: 3 calendar days nationally; Sep 28 -> Oct 8.
    lines = deadline("--rule", "police_filing_decision", "--from", "2026-09-28T09:00:00+08:00")
    assert lines == [
        "规则 Rule: police_filing_decision; 3 calendar_days; "
        "《行政执法机关移送涉嫌犯罪案件的规定》第八条; 规则集 rule set: national",
        "2026-10-08T23:59:59+08:00",
    ]


def test_deadline_command_rule_form_uses_the_jurisdiction_rule_set(calendar_2026, suzhou):
    # Suzhou's stricter 2 calendar days (a local rule never lengthens the national 3): Mon
    # Sep 28 + 2 = Wed Sep 30, a working day.
    lines = deadline(
        "--rule", "police_filing_decision", "--from", "2026-09-28", "--jurisdiction", "320505"
    )
    assert lines == [
        "规则 Rule: police_filing_decision; 2 calendar_days; 《苏州市办法》; "
        "规则集 rule set: suzhou",
        "2026-09-30T23:59:59+08:00",
    ]
    # Outside Suzhou the national 3 calendar days apply.
    other = deadline(
        "--rule", "police_filing_decision", "--from", "2026-09-28", "--jurisdiction", "510703"
    )
    assert other[-1] == "2026-10-08T23:59:59+08:00"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--amount", "3", "--unit", "weeks", "--from", "2026-09-28"], "unknown unit 'weeks'"),
        (["--amount", "0", "--unit", "hours", "--from", "2026-09-28"], "positive integer"),
        (["--amount", "x", "--unit", "hours", "--from", "2026-09-28"], "positive integer"),
        (["--amount", "3", "--from", "2026-09-28"], "--amount together with --unit"),
        (["--from", "2026-09-28"], "--amount together with --unit"),
        (["--rule", "nope", "--from", "2026-09-28"], "unknown rule 'nope'"),
        (["--rule", "close_file", "--amount", "3", "--from", "2026-09-28"], "not both"),
        (["--amount", "3", "--unit", "hours", "--from", "yesterday"], "cannot parse --from"),
        (["--amount", "3", "--unit", "hours"], "--from is required"),
        (["--rule", "close_file", "--from", "2026-09-28", "--jurisdiction", "32"], "six-digit"),
        (["--rule", "police_review_major", "--from", "2026-09-28"], "has no period nationally"),
    ],
)
@pytest.mark.django_db
def test_deadline_command_bad_input_is_a_bilingual_command_error(args, message):
    with pytest.raises(CommandError, match=message) as raised:
        deadline(*args)
    # Chinese first, English in parentheses.
    assert "(" in str(raised.value) and not str(raised.value).isascii()


def test_deadline_command_rule_missing_in_jurisdiction_names_it(suzhou):
    with pytest.raises(CommandError, match="has no period in jurisdiction 510703"):
        deadline(
            "--rule", "police_review_major", "--from", "2026-09-28", "--jurisdiction", "510703"
        )


def test_deadline_command_error_exits_non_zero(capsys):
    # Checked before any database access.
    with pytest.raises(SystemExit) as exited:
        DeadlineCommand().run_from_argv(
            ["manage.py", "deadline", "--amount", "3", "--rule", "close_file", "--from", "x"]
        )
    assert exited.value.code == 1
    assert "cannot parse --from" in capsys.readouterr().err


@pytest.mark.django_db
def test_sync_calendar_command_reports_years_and_rows():
    out = StringIO()
    call_command("sync_calendar", "--year", "2026", stdout=out)
    # 33 holidays + 6 weekend make-up days in 2026 (see test_deadlines).
    assert out.getvalue().splitlines() == [
        "已同步节假日安排 Calendar synced for 2026: 写入 39 条 (39 rows written); "
        "年度已确认 years marked confirmed."
    ]


@pytest.mark.django_db
def test_sync_calendar_command_refuses_uncovered_years():
    with pytest.raises(CommandError, match=r"does not cover \[2027\]"):
        call_command("sync_calendar", "--year", "2026", "--year", "2027", stdout=StringIO())
