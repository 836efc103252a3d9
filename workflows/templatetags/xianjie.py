"""Due-date presentation: time left or overdue, and the badge that goes with it."""

from datetime import timedelta

from django import template
from django.utils.translation import gettext as _

from referral import lifecycle
from referral.models import Role

register = template.Library()
SOON = timedelta(hours=24)


def _span(delta: timedelta) -> str:
    days, seconds = delta.days, delta.seconds
    hours = seconds // 3600
    if days:
        return _("%(d)d d %(h)d h") % {"d": days, "h": hours}
    return _("%(h)d h %(m)d min") % {"h": hours, "m": (seconds % 3600) // 60}


@register.simple_tag
def time_left(due_at, now):
    """'2 d 3 h' left, 'overdue 5 h', or '—' when nothing is due."""
    if due_at is None:
        return "—"
    if due_at < now:
        return _("overdue %(span)s") % {"span": _span(now - due_at)}
    return _span(due_at - now)


@register.simple_tag
def due_class(due_at, now):
    if due_at is None:
        return ""
    if due_at < now:
        return "overdue"
    return "soon" if due_at - now < SOON else "ok"


@register.filter
def status_label(code):
    return lifecycle.Status(code).label if code in lifecycle.Status.values else code


@register.filter
def role_label(code):
    return Role(code).label if code in Role.values else code
