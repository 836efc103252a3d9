"""Loads the published holiday arrangements from the chinese_calendar package into the DB."""

from django.core.management.base import BaseCommand, CommandError

from referral import deadlines


class Command(BaseCommand):
    help = (
        "Reload holidays and make-up working days from the chinese_calendar package and mark "
        "those years confirmed. Rows entered by hand (source 'manual') are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            dest="years",
            help="A year to sync (repeatable); default: every year the package covers.",
        )

    def handle(self, *args, **options):
        years = sorted(set(options["years"] or deadlines.package_years()))
        try:
            written = deadlines.calendar_sync(years)
        except ValueError as error:
            raise CommandError(f"无法同步节假日 Cannot sync the calendar: {error}") from None
        listed = describe_years(years)
        self.stdout.write(
            f"已同步节假日安排 Calendar synced for {listed}: "
            f"写入 {written} 条 ({written} rows written); 年度已确认 years marked confirmed."
        )


def describe_years(years: list[int]) -> str:
    """'2026', '2025, 2026' or, for a longer unbroken run, '2004–2026'."""
    if len(years) > 2 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(year) for year in years)
