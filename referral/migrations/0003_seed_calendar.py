"""Seeds the published holiday arrangements for 2020–2026 from the chinese_calendar package.

Self-contained on purpose (a migration must not change when app code does); later years and
corrections come from `manage.py sync_calendar`, which does the same for any year it covers.
"""

from datetime import date

from django.db import migrations

YEARS = range(2020, 2027)
SOURCE = "chinese_calendar"
NAMES = {
    "new_years_day": "元旦",
    "spring_festival": "春节",
    "tomb_sweeping_day": "清明节",
    "labour_day": "劳动节",
    "dragon_boat_festival": "端午节",
    "mid_autumn_festival": "中秋节",
    "national_day": "国庆节",
}


def _rows(chinese_calendar, year):
    def name(label):
        holiday = chinese_calendar.Holiday(label)
        return NAMES.get(holiday.name, holiday.chinese)

    for day, label in chinese_calendar.holidays.items():
        if day.year == year:
            yield day, "holiday", name(label)
    for day, label in chinese_calendar.workdays.items():
        if day.year == year and day.weekday() >= 5:
            yield day, "workday", name(label)


def forwards(apps, schema_editor):
    import chinese_calendar

    CalendarDay = apps.get_model("referral", "CalendarDay")
    CalendarYear = apps.get_model("referral", "CalendarYear")
    source = f"chinese-calendar {chinese_calendar.__version__}"
    for year in YEARS:
        in_year = CalendarDay.objects.filter(date__gte=date(year, 1, 1), date__lte=date(year, 12, 31))
        taken = set(in_year.values_list("date", flat=True))
        CalendarDay.objects.bulk_create(
            CalendarDay(date=day, kind=kind, name=name, source=SOURCE)
            for day, kind, name in _rows(chinese_calendar, year)
            if day not in taken
        )
        CalendarYear.objects.update_or_create(
            year=year, defaults={"confirmed": True, "source": source}
        )


def backwards(apps, schema_editor):
    CalendarDay = apps.get_model("referral", "CalendarDay")
    CalendarYear = apps.get_model("referral", "CalendarYear")
    CalendarDay.objects.filter(source=SOURCE, date__year__in=list(YEARS)).delete()
    CalendarYear.objects.filter(year__in=list(YEARS), source__startswith="chinese-calendar").delete()


class Migration(migrations.Migration):
    dependencies = [("referral", "0002_roles_and_audit_genesis")]

    operations = [migrations.RunPython(forwards, backwards)]
