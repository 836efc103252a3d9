"""Notifications of statutory clocks (services/notifications.py writes them), from the clock
sweep: a clock about to run out, `XIANJIE_CLOCK_WARNING_HOURS` before its due moment (or, for a
period shorter than twice that, once half of it is left), and a clock run out. Told: the role
that answers for the clock in its agency, the head of that agency once it is overdue, the case's
officer and special case group where it is their agency's clock, and for the police periods the
procuratorate supervises also the same-level procurators (《人民检察院刑事诉讼规则》第五百六十二条).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..clock_rules import PROCURATORATE_WARNED_CLOCKS, RULES
from ..models import AgencyKind, Clock, ClockState, Notification, NotificationKind, Role, User
from ..timeutil import now
from .notifications import (
    holding_role,
    in_site_language,
    notifications_create,
    owning_case,
    users_where,
)

# Who answers for an agency's overdue clock, by kind of agency: its head, the official who
# decides (DOMAIN.md §9.2: the county-level police head, MPS rules art. 178; the chief
# procurator, SPP rules art. 561).
HEAD_ROLE = {
    AgencyKind.MARKET_SUPERVISION: Role.AGENCY_HEAD,
    AgencyKind.OTHER_ADMIN: Role.AGENCY_HEAD,
    AgencyKind.POLICE: Role.POLICE_HEAD,
    AgencyKind.PROCURATORATE: Role.CHIEF_PROCURATOR,
}


def _clock_recipients(clock: Clock, *, overdue: bool) -> list[User]:
    """The role that answers for the clock in its agency (its head too once overdue), the
    case's own officers where it is their agency's, the same-level procurators for an overdue
    police period the procuratorate supervises."""
    referral = clock.referral
    roles = {clock.owner_role}
    if overdue:
        roles.add(HEAD_ROLE[clock.owner_agency.kind])
    supervised = overdue and clock.rule in PROCURATORATE_WARNED_CLOCKS
    return users_where(
        holding_role(clock.owner_agency_id, roles),
        owning_case(referral) if clock.owner_agency_id == referral.agency_id else None,
        holding_role(referral.procuratorate_id, [Role.PROCURATOR]) if supervised else None,
    )


def _clock_notify(clock: Clock, *, overdue: bool, at: datetime) -> list[Notification]:
    kind = NotificationKind.CLOCK_OVERDUE if overdue else NotificationKind.CLOCK_DUE_SOON
    title, body = in_site_language(_clock_texts, clock, overdue)
    return notifications_create(
        recipients=[(user, kind) for user in _clock_recipients(clock, overdue=overdue)],
        key=f"{kind}:{clock.pk}",
        title=title,
        body=body,
        referral=clock.referral,
        clock=clock,
        at=at,
    )


def notifications_for_overdue_clock(*, clock: Clock, at: datetime) -> list[Notification]:
    """Tells, once, those who answer for `clock` that it ran out (called by the clock sweep
    inside its transaction; the sweep may meet a clock twice)."""
    return _clock_notify(clock, overdue=True, at=at)


def notifications_for_due_soon_clocks(*, at: datetime | None = None) -> int:
    """Warns, once per clock, those who answer for each running clock due within
    `XIANJIE_CLOCK_WARNING_HOURS` and past half its period; returns how many were warned of."""
    at = at or now()
    window = at + timedelta(hours=settings.XIANJIE_CLOCK_WARNING_HOURS)
    warned = Notification.objects.filter(kind=NotificationKind.CLOCK_DUE_SOON).values("clock_id")
    clocks = (
        Clock.objects.filter(state=ClockState.RUNNING, due_at__gt=at, due_at__lte=window)
        .exclude(pk__in=warned)
        .select_related("referral", "owner_agency")
    )
    count = 0
    for clock in clocks:
        # A short period (the 24-hour intake check) is not "about to run out" when it starts.
        if clock.due_at - at > (clock.due_at - clock.started_at) / 2:
            continue
        with transaction.atomic():
            _clock_notify(clock, overdue=False, at=at)
        count += 1
    return count


def _clock_texts(clock: Clock, overdue: bool):
    referral = clock.referral
    label = RULES[clock.rule].label if clock.rule in RULES else clock.rule
    due = timezone.localtime(clock.due_at).strftime("%Y-%m-%d %H:%M")
    if overdue:
        title = _("%(ref)s: %(clock)s has run out") % {"ref": referral.reference, "clock": label}
        body = _("“%(title)s”: %(clock)s was due %(due)s (%(article)s).")
    else:
        title = _("%(ref)s: %(clock)s runs out soon") % {"ref": referral.reference, "clock": label}
        body = _("“%(title)s”: %(clock)s is due %(due)s (%(article)s).")
    body %= {"title": referral.title, "clock": label, "due": due, "article": clock.article}
    return title, body
