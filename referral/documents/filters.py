"""Template filters of the document templates (built into the documents' template engine)."""

from datetime import date, datetime
from decimal import Decimal

from django import template
from django.utils import timezone

register = template.Library()


def _local(value):
    if isinstance(value, datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value


@register.filter
def cn_date(value) -> str:
    """2026年3月2日 (GB/T 9704: Arabic numerals, no leading zeros)."""
    if not isinstance(value, date):
        return ""
    value = _local(value)
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter
def cn_datetime(value) -> str:
    """2026年3月2日9时30分."""
    if not isinstance(value, datetime):
        return cn_date(value)
    value = _local(value)
    return f"{cn_date(value)}{value.hour}时{value.minute:02d}分"


@register.filter
def cn_year(value) -> str:
    return str(_local(value).year) if isinstance(value, date) else ""


@register.filter
def money(value) -> str:
    """128000 -> 128,000.00"""
    if value in (None, ""):
        return ""
    return f"{Decimal(value):,.2f}"


@register.filter
def quantity(value) -> str:
    """12.500 -> 12.5; 3.000 -> 3"""
    if value in (None, ""):
        return ""
    text = format(Decimal(value).normalize(), "f")
    return text
