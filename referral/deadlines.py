"""Statutory periods: counting rules, the holiday calendar and jurisdiction rule resolution.

Counting follows 《刑事诉讼法》第一百零五条 (DOMAIN.md §3.1): the hour or day in which a period
starts is not counted, and a day period whose last day is a rest day ends on the next working
day. Everything is reckoned on Beijing time (Asia/Shanghai), whatever zone the input carries.

Importing this module touches neither settings nor the database; models are imported inside the
functions that query them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from django.utils import timezone

from .clock_rules import ALL_RULES, Unit, local_rule_error
from .models import CalendarDay, CalendarYear, DeadlineRule, RuleSet

SHANGHAI = ZoneInfo("Asia/Shanghai")
END_OF_DAY = time(23, 59, 59)
NATIONAL = "national"
PACKAGE_SOURCE = "chinese_calendar"
MANUAL_SOURCE = "manual"
HOLIDAY = "holiday"
WORKDAY = "workday"

# Fixed-date holidays of 《全国年节及纪念日放假办法》 (2025 revision), assumed for a year whose
# arrangement is not yet published. Lunar and solar-term festivals cannot be placed without
# the State Council's notice, and neither can the bridging days it moves.
FALLBACK_HOLIDAYS: dict[tuple[int, int], str] = {
    (1, 1): "元旦",
    (5, 1): "劳动节",
    (5, 2): "劳动节",
    (10, 1): "国庆节",
    (10, 2): "国庆节",
    (10, 3): "国庆节",
}

# For a year whose arrangement is not published, the lunar and solar-term festivals are placed
# with a lunar calendar (lunardate) and given their longest usual spans, so that a deadline never
# comes out earlier than the legal one (DOMAIN.md §9.6); such deadlines are provisional. Offsets
# in days from the festival day, both ends included.
LUNAR_FALLBACK_SPANS: tuple[tuple[str, int, int, int, int], ...] = (
    # (name, lunar month, lunar day, days before, days after)
    ("春节", 1, 1, 3, 7),  # 2026: 腊月二十八 to 正月初七, nine days; one more kept
    ("端午节", 5, 5, 1, 2),
    ("中秋节", 8, 15, 1, 2),
)
# Solar-date spans for the unpublished years: New Year, Qingming (4 or 5 April), Labour Day and
# National Day at their longest usual arrangements.
SOLAR_FALLBACK_SPANS: tuple[tuple[str, tuple[int, int], tuple[int, int]], ...] = (
    ("元旦", (1, 1), (1, 3)),
    ("清明节", (4, 3), (4, 7)),
    ("劳动节", (5, 1), (5, 5)),
    ("国庆节", (10, 1), (10, 8)),
)


@cache
def provisional_holidays(year: int) -> frozenset[date]:
    """The rest days assumed for an unpublished year: the fixed-date holidays, and the usual
    spans of the festivals, the lunar ones placed with lunardate."""
    from lunardate import LunarDate

    days = {date(year, month, day) for month, day in FALLBACK_HOLIDAYS}
    for _name, (m1, d1), (m2, d2) in SOLAR_FALLBACK_SPANS:
        first, last = date(year, m1, d1), date(year, m2, d2)
        days.update(first + timedelta(days=n) for n in range((last - first).days + 1))
    for _name, month, day, before, after in LUNAR_FALLBACK_SPANS:
        # The festival of lunar year `year` and of the one before: their spans may reach into
        # this solar year (a Spring Festival of late January runs from the lunar year before).
        for lunar_year in (year - 1, year):
            festival = LunarDate(lunar_year, month, day).to_solar_date()
            for n in range(-before, after + 1):
                if (candidate := festival + timedelta(days=n)).year == year:
                    days.add(candidate)
    return frozenset(days)


# chinese_calendar's Holiday enum member names -> the festival names used in the calendar.
HOLIDAY_NAMES: dict[str, str] = {
    "new_years_day": "元旦",
    "spring_festival": "春节",
    "tomb_sweeping_day": "清明节",
    "labour_day": "劳动节",
    "dragon_boat_festival": "端午节",
    "mid_autumn_festival": "中秋节",
    "national_day": "国庆节",
    "anti_fascist_70th_day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}

# A run of rest days longer than this means the calendar data is wrong, not that a period
# should wait; the longest real one (Spring Festival with weekends) is under two weeks.
MAX_REST_RUN = 60


# --- Calendar -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarYearData:
    """One year's exceptions to Monday–Friday (date -> holiday|workday) and whether they are
    the published arrangement (confirmed) or only administrator entries on top of the fallback."""

    year: int
    confirmed: bool
    days: dict[date, str] = field(default_factory=dict)


# Marks the confirmation row in the one query that reads a year (below); no CalendarDay has it.
_CONFIRMED = "confirmed"


def calendar_year_from_db(year: int) -> CalendarYearData:
    """Loads a year's CalendarDay rows and its confirmation flag in one query (UNION ALL)."""
    from django.db.models import CharField, DateField, Value

    rows = (
        CalendarDay.objects.filter(date__gte=date(year, 1, 1), date__lte=date(year, 12, 31))
        .order_by()  # a compound statement takes no ORDER BY in its parts
        .values_list("date", "kind")
    )
    flag = (
        CalendarYear.objects.filter(year=year, confirmed=True)
        .order_by()
        .annotate(
            day=Value(date(year, 1, 1), output_field=DateField()),
            marker=Value(_CONFIRMED, output_field=CharField()),
        )
        .values_list("day", "marker")
    )
    days, confirmed = {}, False
    for day, kind in rows.union(flag, all=True):
        if kind == _CONFIRMED:
            confirmed = True
        else:
            days[day] = kind
    return CalendarYearData(year=year, confirmed=confirmed, days=days)


class WorkCalendar:
    """Answers `is_working_day`, loading each year at most once.

    Make one per computation: it caches, so a long-lived instance would miss later edits.
    """

    def __init__(self, loader: Callable[[int], CalendarYearData] = calendar_year_from_db):
        self._loader = loader
        self._years: dict[int, CalendarYearData] = {}

    def year(self, year: int) -> CalendarYearData:
        if year not in self._years:
            self._years[year] = self._loader(year)
        return self._years[year]

    def is_working_day(self, day: date) -> bool:
        data = self.year(day.year)
        kind = data.days.get(day)
        if kind is not None:
            # An explicit row wins: the published calendar, or an administrator's entry.
            return kind == WORKDAY
        if not data.confirmed and day in provisional_holidays(day.year):
            return False
        return day.weekday() < 5

    def confirmed_through(self, first: date, last: date) -> bool:
        """Whether every year from `first` to `last` is published (no extra query for the years
        a computation has already read)."""
        return all(self.year(y).confirmed for y in range(first.year, last.year + 1))

    def next_working_day(self, day: date) -> date:
        """`day` itself if it is a working day, else the first working day after it."""
        for offset in range(MAX_REST_RUN):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError(f"No working day within {MAX_REST_RUN} days of {day}: check the calendar")


def is_working_day(day: date) -> bool:
    """Whether `day` is a working day per the stored calendar (one-off question)."""
    return WorkCalendar().is_working_day(day)


def year_confirmed(year: int) -> bool:
    """Whether the year's holiday arrangement is the published one."""

    return CalendarYear.objects.filter(year=year, confirmed=True).exists()


def unconfirmed_years(start: datetime, due: datetime) -> list[int]:
    """The years from `start` to `due` (Beijing time) whose calendar is not confirmed."""

    first, last = _local(start).year, _local(due).year
    confirmed = set(
        CalendarYear.objects.filter(year__gte=first, year__lte=last, confirmed=True).values_list(
            "year", flat=True
        )
    )
    return [year for year in range(first, last + 1) if year not in confirmed]


# --- Counting -------------------------------------------------------------------------------


def compute_due_and_provisional(start: datetime, amount: int, unit: str) -> tuple[datetime, bool]:
    """The due moment and whether it rests on an unpublished year's assumed holidays (hour
    periods never move for holidays, so they are never provisional)."""
    calendar = WorkCalendar()
    due = compute_due(start, amount, unit, calendar=calendar)
    if unit == Unit.HOURS:
        return due, False
    return due, not calendar.confirmed_through(_local(start).date(), _local(due).date())


def compute_due(
    start: datetime, amount: int, unit: str, *, calendar: WorkCalendar | None = None
) -> datetime:
    """The last moment of a period of `amount` `unit` starting at `start` (aware, Beijing time).

    Hours: the starting hour is not counted, so counting begins at the next full hour and the
    period ends `amount` hours later: 24 h from 10:23 (or from 10:00:00) ends at 11:00:00 the
    next day. Hour periods never move for holidays.
    Calendar days: the start day is not counted; the last day is start + amount, moved to the
    next working day if it is a rest day; the period ends at 23:59:59 of that day.
    Working days: the start day is not counted; it ends at 23:59:59 of the amount-th working day
    after it.
    """
    if timezone.is_naive(start):
        raise ValueError("compute_due needs an aware datetime")
    if amount < 1:
        raise ValueError(f"A period needs a positive amount, got {amount}")
    if unit == Unit.HOURS:
        return _due_hours(start, amount)
    calendar = calendar or WorkCalendar()
    if unit == Unit.CALENDAR_DAYS:
        last = calendar.next_working_day(_local(start).date() + timedelta(days=amount))
    elif unit == Unit.WORKING_DAYS:
        last = _nth_working_day_after(_local(start).date(), amount, calendar)
    else:
        raise ValueError(f"Unknown unit {unit!r}; expected one of {', '.join(Unit.values)}")
    return end_of_day(last)


def end_of_day(day: date) -> datetime:
    """23:59:59 Beijing time on `day`: the last moment of a day period."""
    return datetime.combine(day, END_OF_DAY, tzinfo=SHANGHAI)


def _local(moment: datetime) -> datetime:
    return moment.astimezone(SHANGHAI)


def _due_hours(start: datetime, amount: int) -> datetime:
    # The starting hour is not counted: the first counted hour begins at the next full hour.
    starting_hour = _local(start).replace(minute=0, second=0, microsecond=0)
    return (starting_hour.astimezone(UTC) + timedelta(hours=amount + 1)).astimezone(SHANGHAI)


def _nth_working_day_after(start: date, amount: int, calendar: WorkCalendar) -> date:
    day = start
    for _ in range(amount):
        day = calendar.next_working_day(day + timedelta(days=1))
    return day


# --- Rule resolution ------------------------------------------------------------------------


@dataclass(frozen=True)
class ResolvedRule:
    """The period that applies to a clock: amount, unit, legal basis and where it came from."""

    code: str
    amount: int
    unit: str
    article: str
    ruleset: str  # "national" or a RuleSet code


def resolve_rule(code: str, *, region_code: str | None) -> ResolvedRule | None:
    """The period for clock `code` in the region: the local rule set's rule where it may apply
    (`local_rule_error`), else the national default, else None (the clock has no national
    period and the jurisdiction sets none).

    Rule sets apply by region-code prefix, the most specific defining `code` first. A local
    rule adds a stricter period or an extension a national text allows; it never replaces a
    national period with a longer one, so such a rule is passed over for the national period.
    """
    if code not in ALL_RULES:
        raise ValueError(f"Unknown clock rule {code!r}; known: {', '.join(sorted(ALL_RULES))}")
    local = _local_rule(code, region_code) if region_code else None
    if local is not None and local_rule_error(code, local.amount, local.unit) is None:
        return ResolvedRule(code, local.amount, local.unit, local.article, local.ruleset.code)
    national = ALL_RULES[code]
    if national.amount is None:
        return None
    return ResolvedRule(code, national.amount, str(national.unit), str(national.article), NATIONAL)


def _region_prefixes(region_code: str) -> list[str]:
    """The prefixes a rule set may be keyed by: the province (2 digits) down to the county (6)."""
    return [region_code[:n] for n in range(2, min(len(region_code), 6) + 1)]


def restarts_decision_after_supplement(*, region_code: str | None) -> bool:
    """Whether the region's most specific rule set restarts the police decision period when the
    agency supplements material (a local practice, DOMAIN.md §9.3; nationally it runs on)."""
    from django.db.models.functions import Length

    if not region_code:
        return False
    ruleset = (
        RuleSet.objects.filter(region_prefix__in=_region_prefixes(region_code))
        .order_by(Length("region_prefix").desc())
        .values_list("restarts_decision_after_supplement", flat=True)
        .first()
    )
    return bool(ruleset)


def _local_rule(code: str, region_code: str):
    """The most specific local rule for `code`: a city's rule set wins over its province's, and
    a city set that does not define `code` falls back to the province's before the national."""
    from django.db.models.functions import Length

    return (
        DeadlineRule.objects.select_related("ruleset")
        .filter(rule=code, ruleset__region_prefix__in=_region_prefixes(region_code))
        .order_by(Length("ruleset__region_prefix").desc())
        .first()
    )


# --- Synchronising with the chinese_calendar package -----------------------------------------


def package_years() -> list[int]:
    """The years the installed chinese_calendar package covers."""
    import chinese_calendar

    years = {day.year for day in chinese_calendar.holidays}
    return list(range(min(years), max(years) + 1))


def package_days(years: Iterable[int]) -> list[tuple[date, str, str]]:
    """(date, kind, name) for every holiday and every weekend make-up working day in `years`."""
    import chinese_calendar

    wanted = set(years)
    days = [
        (day, HOLIDAY, _festival_name(label))
        for day, label in chinese_calendar.holidays.items()
        if day.year in wanted
    ]
    days += [
        (day, WORKDAY, _festival_name(label))
        for day, label in chinese_calendar.workdays.items()
        if day.year in wanted and day.weekday() >= 5
    ]
    return sorted(days)


def _festival_name(label: str) -> str:
    import chinese_calendar

    holiday = chinese_calendar.Holiday(label)
    return HOLIDAY_NAMES.get(holiday.name, holiday.chinese)


def calendar_sync(years: list[int] | None = None) -> int:
    """(Re)loads the package's holidays and make-up working days for `years` (default: all it
    covers) and marks those years confirmed; returns the number of rows written.

    Only rows with source "chinese_calendar" are replaced: a date that already has another row
    (an administrator's "manual" entry) keeps it. Running it twice gives the same calendar.
    """
    import chinese_calendar
    from django.db import transaction

    covered = package_years()
    years = sorted(set(years or covered))
    outside = [year for year in years if year not in covered]
    if outside:
        raise ValueError(
            f"chinese_calendar {chinese_calendar.__version__} does not cover {outside}; "
            f"it covers {covered[0]}–{covered[-1]}"
        )
    source = f"chinese-calendar {chinese_calendar.__version__}"
    with transaction.atomic():
        written = sum(_sync_year(year, source) for year in years)
    return written


def _sync_year(year: int, source: str) -> int:

    in_year = CalendarDay.objects.filter(date__gte=date(year, 1, 1), date__lte=date(year, 12, 31))
    in_year.filter(source=PACKAGE_SOURCE).delete()
    taken = set(in_year.values_list("date", flat=True))
    rows = [
        CalendarDay(date=day, kind=kind, name=name, source=PACKAGE_SOURCE)
        for day, kind, name in package_days([year])
        if day not in taken
    ]
    CalendarDay.objects.bulk_create(rows)
    CalendarYear.objects.update_or_create(year=year, defaults={"confirmed": True, "source": source})
    return len(rows)
