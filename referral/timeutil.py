"""The one source of "now" for the domain, so demo seeding and tests can set the time."""

import calendar
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.utils import timezone

_frozen: ContextVar[datetime | None] = ContextVar("xianjie_frozen_now", default=None)


def now() -> datetime:
    return _frozen.get() or timezone.now()


@contextmanager
def frozen_now(moment: datetime) -> Iterator[None]:
    """Within the block, `now()` returns `moment` (an aware datetime)."""
    if timezone.is_naive(moment):
        raise ValueError("frozen_now needs an aware datetime")
    token = _frozen.set(moment)
    try:
        yield
    finally:
        _frozen.reset(token)


def add_months(moment: datetime, months: int) -> datetime:
    """Same day `months` later, clamped to the month's last day (31 Jan + 1 -> 28/29 Feb)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)
