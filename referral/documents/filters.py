"""Template filters of the document templates (built into the documents' template engine)."""

from datetime import date, datetime
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


def _local(value):
    if isinstance(value, datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value


@register.filter(needs_autoescape=True)
def paragraphs(value, autoescape=True) -> str:
    """One <p> per non-empty line: in Chinese documents a line break starts a paragraph."""
    escape = conditional_escape if autoescape else str
    lines = [line.strip() for line in str(value or "").splitlines()]
    return mark_safe("".join(f"<p>{escape(line)}</p>" for line in lines if line))


@register.filter
def css_string(value) -> str:
    """`value` as a quoted CSS string for a <style> block: every character that is not a
    letter, digit or CJK is written as a CSS escape, so no text can end the string, the rule or
    the <style> element. Newlines become line breaks (with `white-space: pre`)."""
    out = []
    for char in str(value):
        if char.isalnum() and (char.isascii() or ord(char) > 0x2E7F):
            out.append(char)
        else:
            out.append(f"\\{ord(char):x} ")
    return mark_safe(f'"{"".join(out)}"')


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
