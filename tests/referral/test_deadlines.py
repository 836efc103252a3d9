"""Counting rules, the holiday calendar and rule resolution, with concrete dates.

Weekdays used below: 2026-01-01 is a Thursday, so 2026-02-01 is a Sunday, 2026-03-01 a Sunday,
2026-09-01 a Tuesday and 2026-10-01 a Thursday; 2027-01-01 is a Friday.
2026 arrangements (国务院办公厅通知, as in chinese_calendar 1.11): Spring Festival Feb 15–23 off,
Sat Feb 14 and Sat Feb 28 worked; National Day Oct 1–7 off, Sun Sep 20 and Sat Oct 10 worked.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from referral import deadlines
from referral.deadlines import (
    SHANGHAI,
    CalendarYearData,
    ResolvedRule,
    WorkCalendar,
    calendar_sync,
    compute_due,
    resolve_rule,
    unconfirmed_years,
    year_confirmed,
)
from referral.models import CalendarDay, CalendarYear, DeadlineRule, RuleSet


def bj(*args) -> datetime:
    """A Beijing-time moment."""
    return datetime(*args, tzinfo=SHANGHAI)


def end_of(year, month, day) -> datetime:
    return bj(year, month, day, 23, 59, 59)


@pytest.fixture
def calendar_2026(db):
    """The published 2025–2026 calendar, whatever an earlier transactional test flushed."""
    calendar_sync([2025, 2026])


# --- Hours ----------------------------------------------------------------------------------


def test_compute_due_hours_skip_the_starting_hour():
    # Event at 10:23: hour 10 is not counted; 24 counted hours run 11:00 -> 11:00 next day.
    assert compute_due(bj(2026, 3, 10, 10, 23), 24, "hours") == bj(2026, 3, 11, 11, 0)


def test_compute_due_hours_event_exactly_on_the_hour_still_skips_that_hour():
    # Event at 10:00:00 falls in hour 10, which is not counted: due 11:00 next day, not 10:00.
    assert compute_due(bj(2026, 3, 10, 10, 0, 0), 24, "hours") == bj(2026, 3, 11, 11, 0)


def test_compute_due_hours_count_in_beijing_time_whatever_the_input_zone():
    # 02:23:45 UTC = 10:23:45 Beijing -> 11:00 Beijing next day; the result carries +08:00.
    due = compute_due(datetime(2026, 3, 10, 2, 23, 45, tzinfo=UTC), 24, "hours")
    assert due == bj(2026, 3, 11, 11, 0)
    assert due.isoformat() == "2026-03-11T11:00:00+08:00"


def test_compute_due_hours_do_not_roll_over_holidays():
    # 23:30 on Sep 30 + 24 h: hour 23 not counted, 00:00 Oct 1 + 24 h = 00:00 Oct 2 (a holiday,
    # and that is fine: hour periods ignore the calendar, so no database is needed).
    assert compute_due(bj(2026, 9, 30, 23, 30), 24, "hours") == bj(2026, 10, 2, 0, 0)


# --- Calendar days ---------------------------------------------------------------------------


def test_compute_due_calendar_days_exclude_the_start_day(calendar_2026):
    # Tue Mar 10 not counted; Mar 11, 12, 13 are days 1-3; Fri Mar 13 is a working day.
    assert compute_due(bj(2026, 3, 10, 15, 0), 3, "calendar_days") == end_of(2026, 3, 13)
    # Even an event at 00:00:00 does not make the start day count.
    assert compute_due(bj(2026, 3, 10, 0, 0), 3, "calendar_days") == end_of(2026, 3, 13)


def test_compute_due_calendar_days_start_day_is_taken_in_beijing_time(calendar_2026):
    # 17:00 UTC Mar 10 = 01:00 Beijing Wed Mar 11; +3 = Sat Mar 14, weekend -> Mon Mar 16.
    start = datetime(2026, 3, 10, 17, 0, tzinfo=UTC)
    assert compute_due(start, 3, "calendar_days") == end_of(2026, 3, 16)


def test_compute_due_calendar_days_ending_in_national_day_roll_to_next_working_day(
    calendar_2026,
):
    # Mon Sep 28 + 3 = Thu Oct 1 (holiday); Oct 1-7 are off; Thu Oct 8 is the next working day.
    assert compute_due(bj(2026, 9, 28, 9, 0), 3, "calendar_days") == end_of(2026, 10, 8)


def test_compute_due_calendar_days_ending_on_a_make_up_day_do_not_roll(calendar_2026):
    # Wed Oct 7 + 3 = Sat Oct 10, a make-up working day: the period ends that day.
    assert compute_due(bj(2026, 10, 7, 9, 0), 3, "calendar_days") == end_of(2026, 10, 10)
    # Thu Sep 17 + 3 = Sun Sep 20, also worked.
    assert compute_due(bj(2026, 9, 17, 9, 0), 3, "calendar_days") == end_of(2026, 9, 20)


def test_compute_due_calendar_days_due_is_aware_end_of_day():
    due = deadlines.end_of_day(date(2026, 10, 8))
    assert due.isoformat() == "2026-10-08T23:59:59+08:00"


# --- Working days ----------------------------------------------------------------------------


def test_compute_due_working_days_count_make_up_days_across_spring_festival(calendar_2026):
    # From Thu Feb 12: Fri Feb 13 (1), Sat Feb 14 make-up (2), Feb 15-23 off, Tue Feb 24 (3).
    assert compute_due(bj(2026, 2, 12, 16, 0), 3, "working_days") == end_of(2026, 2, 24)


def test_compute_due_working_days_count_the_later_make_up_saturday(calendar_2026):
    # From Tue Feb 24: Feb 25 (1), 26 (2), 27 (3), Sat Feb 28 make-up (4), Sun Mar 1 off,
    # Mon Mar 2 (5).
    assert compute_due(bj(2026, 2, 24, 9, 0), 5, "working_days") == end_of(2026, 3, 2)


def test_compute_due_fifteen_working_days_across_spring_festival(calendar_2026):
    # close_file from Tue Feb 10: Feb 11-13 (1-3), Sat Feb 14 (4), Feb 15-23 off, Feb 24-27 (5-8),
    # Sat Feb 28 (9), Mar 2-6 (10-14), weekend Mar 7-8, Mon Mar 9 (15).
    assert compute_due(bj(2026, 2, 10, 9, 0), 15, "working_days") == end_of(2026, 3, 9)


def test_compute_due_loads_each_year_once(calendar_2026, django_assert_num_queries):
    # Within 2026: one query for the year's rows and its confirmation together, not one per day.
    with django_assert_num_queries(1):
        compute_due(bj(2026, 2, 10, 9, 0), 15, "working_days")
    # Crossing into 2027: one query per year touched = 2.
    with django_assert_num_queries(2):
        compute_due(bj(2026, 12, 1, 9, 0), 30, "working_days")


def test_compute_due_rejects_naive_start_unknown_unit_and_non_positive_amount():
    with pytest.raises(ValueError, match="aware"):
        compute_due(datetime(2026, 3, 10, 10, 0), 3, "calendar_days")
    with pytest.raises(ValueError, match="Unknown unit 'weeks'"):
        compute_due(bj(2026, 3, 10, 10, 0), 3, "weeks", calendar=WorkCalendar(_empty_year))
    with pytest.raises(ValueError, match="positive"):
        compute_due(bj(2026, 3, 10, 10, 0), 0, "hours")


# --- Unconfirmed years: the 2027 fallback ----------------------------------------------------


def test_compute_due_into_unconfirmed_2027_assumes_weekends_and_new_year(calendar_2026):
    # Tue Dec 29 2026 + 3 = Fri Jan 1 2027: 元旦 by the fallback (Jan 1-3, its longest usual
    # span; Sat Jan 2 and Sun Jan 3 rest anyway); Mon Jan 4 2027.
    start = bj(2026, 12, 29, 10, 0)
    due = compute_due(start, 3, "calendar_days")
    assert due == end_of(2027, 1, 4)
    assert unconfirmed_years(start, due) == [2027]
    # Working days: Thu Dec 31 (1), Jan 1 off, weekend, Mon Jan 4 (2).
    assert compute_due(bj(2026, 12, 30, 10, 0), 2, "working_days") == end_of(2027, 1, 4)


def test_compute_due_in_2027_fallback_assumes_the_longest_national_day_span(db):
    # Tue Sep 28 2027 + 3 = Fri Oct 1: the fallback assumes Oct 1-8 (the longest usual span,
    # with Mid-Autumn), then Sat Oct 9 and Sun Oct 10: Mon Oct 11, never earlier than the
    # legal date whatever the arrangement (DOMAIN.md §9.6).
    assert compute_due(bj(2027, 9, 28, 10, 0), 3, "calendar_days") == end_of(2027, 10, 11)


def test_is_working_day_fallback_for_unconfirmed_year(db):
    assert not year_confirmed(2027)
    cal = WorkCalendar()
    assert not cal.is_working_day(date(2027, 1, 1))  # Fri, 元旦
    assert not cal.is_working_day(date(2027, 10, 1))  # Fri, 国庆节
    assert not cal.is_working_day(date(2027, 1, 2))  # Sat
    assert not cal.is_working_day(date(2027, 5, 3))  # Mon: Labour Day's usual span, May 1-5
    assert cal.is_working_day(date(2027, 5, 6))  # Thu
    # The lunar festivals placed with lunardate: Spring Festival Sat Feb 6 2027, assumed from
    # Feb 3 to Feb 13; Dragon Boat Wed Jun 9 (Jun 8-11); Mid-Autumn Wed Sep 15 (Sep 14-17).
    assert cal.is_working_day(date(2027, 2, 2))
    assert not cal.is_working_day(date(2027, 2, 3))
    assert not cal.is_working_day(date(2027, 2, 8))
    assert not cal.is_working_day(date(2027, 2, 12))
    assert cal.is_working_day(date(2027, 2, 15))
    assert not cal.is_working_day(date(2027, 6, 9))
    assert not cal.is_working_day(date(2027, 9, 15))
    assert not cal.is_working_day(date(2027, 4, 5))  # Qingming


def test_is_working_day_in_published_2026(calendar_2026):
    assert deadlines.is_working_day(date(2026, 2, 14))  # Sat, make-up day
    assert not deadlines.is_working_day(date(2026, 2, 16))  # Mon, Spring Festival
    assert not deadlines.is_working_day(date(2026, 2, 7))  # ordinary Sat
    assert deadlines.is_working_day(date(2026, 2, 10))  # ordinary Tue


def test_manual_calendar_day_wins_over_the_2027_fallback(calendar_2026):
    # Without entries: Fri Feb 5 2027 + 3 = Mon Feb 8, inside the assumed Spring Festival
    # (Feb 3-13), then the weekend: Mon Feb 15.
    start = bj(2027, 2, 5, 10, 0)
    assert compute_due(start, 3, "calendar_days") == end_of(2027, 2, 15)
    # An administrator enters (hypothetical) Wed Feb 10 as a make-up working day: Feb 10.
    CalendarDay.objects.create(date=date(2027, 2, 10), kind="workday", name="春节调休")
    assert compute_due(start, 3, "calendar_days") == end_of(2027, 2, 10)
    # A row also beats the fixed-date fallback: Jan 1 2027 entered as worked ends the period then.
    CalendarDay.objects.create(date=date(2027, 1, 1), kind="workday", name="test")
    assert compute_due(bj(2026, 12, 29, 10, 0), 3, "calendar_days") == end_of(2027, 1, 1)
    # The year stays unconfirmed: entries by hand are not the published arrangement.
    assert unconfirmed_years(start, end_of(2027, 2, 10)) == [2027]


def test_year_confirmed_and_unconfirmed_years_span_the_period(calendar_2026):
    assert year_confirmed(2026)
    assert not year_confirmed(2027)
    assert unconfirmed_years(bj(2026, 3, 1, 0, 0), end_of(2026, 3, 4)) == []
    assert unconfirmed_years(bj(2026, 12, 1, 0, 0), end_of(2028, 1, 4)) == [2027, 2028]
    # The year is taken in Beijing time: 16:00 UTC Dec 31 2026 is already 2027 in Beijing.
    assert unconfirmed_years(datetime(2026, 12, 31, 16, 0, tzinfo=UTC), end_of(2027, 1, 4)) == [
        2027
    ]


# --- Calendar data: migration seed and sync --------------------------------------------------


@pytest.mark.engine
@pytest.mark.django_db
def test_seed_migration_confirms_2020_to_2026():
    # Relies on pytest-django running transactional (flushing) tests after this one.
    assert set(CalendarYear.objects.filter(confirmed=True).values_list("year", flat=True)) >= set(
        range(2020, 2027)
    )
    assert CalendarDay.objects.get(date=date(2020, 1, 25)).name == "春节"
    assert CalendarYear.objects.get(year=2026).source == "chinese-calendar 1.11.0"


@pytest.mark.django_db
def test_calendar_sync_loads_holidays_and_weekend_make_up_days_with_chinese_names():
    CalendarDay.objects.filter(date__year=2026).delete()
    CalendarYear.objects.filter(year=2026).delete()
    # 2026: holidays 3 (Jan 1-3) + 9 (Feb 15-23) + 3 (Apr 4-6) + 5 (May 1-5) + 3 (Jun 19-21)
    # + 3 (Sep 25-27) + 7 (Oct 1-7) = 33; weekend make-up days Jan 4, Feb 14, Feb 28, May 9,
    # Sep 20, Oct 10 = 6; 39 rows.
    assert calendar_sync([2026]) == 39
    kinds = dict(CalendarDay.objects.filter(date__year=2026).values_list("date", "kind"))
    assert kinds[date(2026, 2, 14)] == "workday"
    assert kinds[date(2026, 2, 23)] == "holiday"
    names = dict(CalendarDay.objects.filter(date__year=2026).values_list("date", "name"))
    assert names[date(2026, 10, 1)] == "国庆节"
    assert names[date(2026, 4, 5)] == "清明节"
    assert names[date(2026, 6, 19)] == "端午节"
    assert names[date(2026, 9, 25)] == "中秋节"
    year = CalendarYear.objects.get(year=2026)
    assert (year.confirmed, year.source) == (True, "chinese-calendar 1.11.0")


@pytest.mark.django_db
def test_calendar_sync_is_idempotent_and_keeps_manual_rows():
    calendar_sync([2026])
    # An administrator corrects Oct 7 to a working day by hand.
    CalendarDay.objects.filter(date=date(2026, 10, 7)).update(kind="workday", source="manual")
    CalendarDay.objects.create(date=date(2026, 12, 31), kind="holiday", name="local")
    assert calendar_sync([2026]) == 38  # 39 package rows, one date held by the manual row
    assert calendar_sync([2026]) == 38
    assert CalendarDay.objects.filter(date__year=2026).count() == 40
    manual = CalendarDay.objects.get(date=date(2026, 10, 7))
    assert (manual.kind, manual.source) == ("workday", "manual")
    assert CalendarDay.objects.filter(source="manual").count() == 2


@pytest.mark.django_db
def test_calendar_sync_confirms_an_older_year_and_refuses_uncovered_ones():
    assert not year_confirmed(2019)
    calendar_sync([2019])
    assert year_confirmed(2019)
    assert CalendarDay.objects.get(date=date(2019, 2, 5)).name == "春节"
    with pytest.raises(ValueError, match=r"does not cover \[2027\]"):
        calendar_sync([2027])
    assert not year_confirmed(2027)


# --- Rule resolution -------------------------------------------------------------------------


@pytest.fixture
def rulesets(db):
    jiangsu = RuleSet.objects.create(code="jiangsu", name="江苏省", region_prefix="32", source="J")
    suzhou = RuleSet.objects.create(code="suzhou", name="苏州市", region_prefix="3205", source="S")
    DeadlineRule.objects.create(
        ruleset=jiangsu, rule="police_filing_decision", amount=48, unit="hours", article="J48"
    )
    DeadlineRule.objects.create(
        ruleset=suzhou, rule="police_filing_decision", amount=2, unit="calendar_days", article="S2"
    )
    DeadlineRule.objects.create(
        ruleset=suzhou, rule="police_review_major", amount=30, unit="calendar_days", article="S30"
    )


def test_resolve_rule_longest_prefix_rule_set_overrides_national(rulesets):
    # 320505 (a Suzhou district): both "32" and "3205" match; "3205" is longer.
    assert resolve_rule("police_filing_decision", region_code="320505") == ResolvedRule(
        "police_filing_decision", 2, "calendar_days", "S2", "suzhou"
    )
    # 320102 (Nanjing): only the provincial set matches.
    assert resolve_rule("police_filing_decision", region_code="320102") == ResolvedRule(
        "police_filing_decision", 48, "hours", "J48", "jiangsu"
    )


def test_resolve_rule_falls_back_to_national(rulesets):
    national = ResolvedRule(
        "items_handover",
        3,
        "calendar_days",
        "《行政执法机关移送涉嫌犯罪案件的规定》第十二条",
        "national",
    )
    # Suzhou defines no items_handover period; 510703 has no rule set; None means national.
    assert resolve_rule("items_handover", region_code="320505") == national
    assert resolve_rule("items_handover", region_code="510703") == national
    assert resolve_rule("items_handover", region_code=None) == national
    filing = resolve_rule("police_filing_decision", region_code=None)
    assert (filing.amount, filing.unit, filing.ruleset) == (3, "calendar_days", "national")


def test_resolve_rule_without_national_period_needs_a_local_one(rulesets):
    assert resolve_rule("police_review_major", region_code=None) is None
    assert resolve_rule("police_review_major", region_code="320102") is None  # Jiangsu: none
    resolved = resolve_rule("police_review_major", region_code="320505")
    assert (resolved.amount, resolved.unit, resolved.ruleset) == (30, "calendar_days", "suzhou")


def test_resolve_rule_unknown_code_raises():
    with pytest.raises(ValueError, match="Unknown clock rule 'no_such_rule'"):
        resolve_rule("no_such_rule", region_code=None)


# --- Property: day periods end on a working day, never early ---------------------------------


def _package_year(year: int) -> CalendarYearData:
    """The package's published calendar up to 2026; 2027 on, nothing confirmed (fallback)."""
    if year > 2026:
        return CalendarYearData(year=year, confirmed=False)
    days = {day: kind for day, kind, _name in deadlines.package_days([year])}
    return CalendarYearData(year=year, confirmed=True, days=days)


def _empty_year(year: int) -> CalendarYearData:
    return CalendarYearData(year=year, confirmed=True)


@settings(max_examples=50, deadline=None)
@given(
    start=st.datetimes(
        min_value=datetime(2025, 1, 1),
        max_value=datetime(2027, 11, 30),
        timezones=st.just(SHANGHAI),
    ),
    amount=st.integers(min_value=1, max_value=30),
    unit=st.sampled_from(["calendar_days", "working_days"]),
)
def test_compute_due_day_periods_end_on_a_working_day_never_early(start, amount, unit):
    cal = WorkCalendar(_package_year)
    due = compute_due(start, amount, unit, calendar=cal)
    last = due.date()
    assert due == deadlines.end_of_day(last)
    assert last >= start.date() + timedelta(days=amount)
    assert cal.is_working_day(last)
    if unit == "calendar_days":
        # Minimal: every day between the nominal last day and the due day is a rest day.
        nominal = start.date() + timedelta(days=amount)
        rest = [nominal + timedelta(days=n) for n in range((last - nominal).days)]
        assert not any(cal.is_working_day(day) for day in rest)
    else:
        worked = [
            start.date() + timedelta(days=n) for n in range(1, (last - start.date()).days + 1)
        ]
        assert sum(cal.is_working_day(day) for day in worked) == amount


def test_next_working_day_refuses_a_calendar_without_working_days():
    # Bad calendar data must fail loudly rather than loop for ever.
    def all_rest(year):
        first = date(year, 1, 1)
        return CalendarYearData(
            year, True, {first + timedelta(days=n): "holiday" for n in range(366)}
        )

    with pytest.raises(ValueError, match="No working day within 60 days of 2026-03-01"):
        WorkCalendar(all_rest).next_working_day(date(2026, 3, 1))


@pytest.mark.django_db
def test_resolve_rule_falls_back_from_city_to_province_before_national():
    province = RuleSet.objects.create(code="js", name="江苏省", region_prefix="32", source="省规则")
    city = RuleSet.objects.create(code="sz", name="苏州市", region_prefix="3205", source="市规则")
    DeadlineRule.objects.create(
        ruleset=province,
        rule="reconsideration_window",
        amount=2,
        unit="calendar_days",
        article="省规则第一条",
    )
    DeadlineRule.objects.create(
        ruleset=city,
        rule="police_filing_decision",
        amount=48,
        unit="hours",
        article="市规则第一条",
    )
    assert resolve_rule("police_filing_decision", region_code="320508").ruleset == "sz"
    assert resolve_rule("reconsideration_window", region_code="320508").ruleset == "js"
    assert resolve_rule("approval_decision", region_code="320508").ruleset == "national"
    assert resolve_rule("police_filing_decision", region_code="320100").ruleset == "national"
