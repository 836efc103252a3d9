"""Starting, stopping and sweeping statutory clocks. Called inside the caller's transaction."""

from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .. import deadlines, permissions
from ..clock_rules import RULES
from ..models import (
    OPEN_CLOCK_STATES,
    CalendarDay,
    CalendarDayKind,
    CalendarYear,
    Clock,
    ClockState,
    Referral,
)
from ..timeutil import now
from .audit import audit_append
from .clock_notifications import notifications_for_due_soon_clocks, notifications_for_overdue_clock
from .coordination_notifications import notifications_for_overdue_follow_ups
from .errors import InvalidInput


def clock_start(
    referral: Referral,
    rule_code: str,
    *,
    at: datetime,
    started_by: str,
    since: datetime | None = None,
) -> Clock | None:
    """Starts `rule_code` on the referral for its owning agency; None where no period applies.

    `since` counts from an earlier moment (an extended review counts from the original receipt).
    """
    rule = RULES[rule_code]
    owner = permissions.side_agency(referral, rule.owner_side)
    if owner is None:
        return None
    # The owning agency's jurisdiction sets the period (its local rule set, else national).
    resolved = deadlines.resolve_rule(rule_code, region_code=owner.region_code)
    if resolved is None:
        return None
    start = since or at
    due, provisional = deadlines.compute_due_and_provisional(start, resolved.amount, resolved.unit)
    return Clock.objects.create(
        referral=referral,
        rule=rule_code,
        amount=resolved.amount,
        unit=resolved.unit,
        article=resolved.article,
        ruleset=resolved.ruleset,
        owner_agency=owner,
        owner_role=rule.owner_role,
        started_at=start,
        due_at=due,
        provisional=provisional,
        started_by=started_by,
    )


def clocks_stop(
    referral: Referral, rules=(), *, at: datetime, stopped_by: str, cancel_rules=()
) -> tuple[list[Clock], list[Clock]]:
    """Stops the referral's open clocks: those of `rules` met (in time or late), those of
    `cancel_rules` cancelled; returns both lists. One query reads them, none when both are
    empty."""
    met, cancelled = [], []
    if not rules and not cancel_rules:
        return met, cancelled
    cancel_rules = set(cancel_rules)
    wanted = [*rules, *cancel_rules]
    for clock in referral.clocks.filter(rule__in=wanted, state__in=OPEN_CLOCK_STATES):
        if clock.rule in cancel_rules:
            clock.state = ClockState.CANCELLED
            cancelled.append(clock)
        else:
            clock.state = ClockState.MET if at <= clock.due_at else ClockState.MET_LATE
            met.append(clock)
        clock.stopped_at, clock.stopped_by = at, stopped_by
        clock.save(update_fields=["state", "stopped_at", "stopped_by"])
    return met, cancelled


def clocks_sweep(*, at: datetime | None = None) -> int:
    """Marks running clocks past their due moment as overdue, one audit event each, and tells
    those who answer for them; warns of clocks about to run out (clock_notifications.py); tells
    the owners of meeting follow-up items past due (coordination_notifications.py)."""
    at = at or now()
    notifications_for_due_soon_clocks(at=at)
    with transaction.atomic():
        notifications_for_overdue_follow_ups(at=at)
    count = 0
    candidates = Clock.objects.filter(state=ClockState.RUNNING, due_at__lt=at).values_list(
        "pk", "referral_id"
    )
    for clock_id, referral_id in list(candidates):
        with transaction.atomic():
            referral = Referral.objects.select_for_update().get(pk=referral_id)
            clock = Clock.objects.get(pk=clock_id)
            if clock.state != ClockState.RUNNING or clock.due_at >= at:
                continue  # stopped meanwhile by a transition
            clock.state = ClockState.OVERDUE
            clock.save(update_fields=["state"])
            notifications_for_overdue_clock(clock=clock, at=at)
            audit_append(
                action="clock_overdue",
                at=at,
                referral=referral,
                from_status=referral.status,
                to_status=referral.status,
                payload={
                    "clock": clock.pk,
                    "rule": clock.rule,
                    "due_at": clock.due_at.isoformat(),
                    "owner_agency": clock.owner_agency_id,
                    "owner_role": clock.owner_role,
                },
            )
            count += 1
    return count


def calendar_year_enter(
    *, actor, year: int, days_off: list[date], workdays: list[date], at: datetime | None = None
) -> list[Clock]:
    """Enters the State Council's published arrangement for `year` (days off and make-up working
    days) and marks the year confirmed; every open clock counted on the assumed holidays is
    recomputed from its start on the published calendar, one audit event each (DOMAIN.md §9.6).
    """
    at = at or now()
    for day in (*days_off, *workdays):
        if day.year != year:
            raise InvalidInput(_("Every date must fall in the year entered."))
    with transaction.atomic():
        CalendarDay.objects.filter(date__year=year).delete()
        CalendarDay.objects.bulk_create(
            [CalendarDay(date=d, kind=CalendarDayKind.HOLIDAY, source="manual") for d in days_off]
            + [CalendarDay(date=d, kind=CalendarDayKind.WORKDAY, source="manual") for d in workdays]
        )
        CalendarYear.objects.update_or_create(
            year=year, defaults={"confirmed": True, "source": "manual"}
        )
        audit_append(
            action="calendar_year_entered",
            at=at,
            actor=actor,
            payload={
                "year": year,
                "days_off": [d.isoformat() for d in days_off],
                "workdays": [d.isoformat() for d in workdays],
            },
        )
        changed = []
        for clock in Clock.objects.select_related("referral").filter(
            state__in=OPEN_CLOCK_STATES, provisional=True
        ):
            due, provisional = deadlines.compute_due_and_provisional(
                clock.started_at, clock.amount, clock.unit
            )
            before = clock.due_at
            clock.due_at, clock.provisional = due, provisional
            if clock.state == ClockState.OVERDUE and due >= at:
                clock.state = ClockState.RUNNING
            clock.save(update_fields=["due_at", "provisional", "state"])
            audit_append(
                action="clock_recomputed",
                at=at,
                actor=actor,
                referral=clock.referral,
                from_status=clock.referral.status,
                to_status=clock.referral.status,
                payload={
                    "clock": clock.pk,
                    "rule": clock.rule,
                    "due_at_before": before.isoformat(),
                    "due_at": due.isoformat(),
                    "provisional": provisional,
                    "year": year,
                },
            )
            changed.append(clock)
    return changed


def clock_summary(clock: Clock) -> dict:
    return {"rule": clock.rule, "due_at": clock.due_at.isoformat(), "state": clock.state}
