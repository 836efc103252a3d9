"""Starting, stopping and sweeping statutory clocks. Called inside the caller's transaction."""

from datetime import datetime

from django.db import transaction

from .. import deadlines, permissions
from ..clock_rules import RULES
from ..models import OPEN_CLOCK_STATES, Clock, ClockState, Referral
from ..timeutil import now
from .audit import audit_append
from .notices import notices_for_overdue_clock


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
        due_at=deadlines.compute_due(start, resolved.amount, resolved.unit),
        started_by=started_by,
    )


def clocks_stop(
    referral: Referral, rules, *, at: datetime, stopped_by: str, cancel: bool = False
) -> list[Clock]:
    """Stops the referral's open clocks for `rules`: met (in time or late), or cancelled."""
    stopped = []
    for clock in referral.clocks.filter(rule__in=list(rules), state__in=OPEN_CLOCK_STATES):
        if cancel:
            clock.state = ClockState.CANCELLED
        else:
            clock.state = ClockState.MET if at <= clock.due_at else ClockState.MET_LATE
        clock.stopped_at, clock.stopped_by = at, stopped_by
        clock.save(update_fields=["state", "stopped_at", "stopped_by"])
        stopped.append(clock)
    return stopped


def clocks_sweep(*, at: datetime | None = None) -> int:
    """Marks running clocks past their due moment as overdue, one audit event each, and warns
    the agencies that answer for them (services/notices.py)."""
    at = at or now()
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
            notices_for_overdue_clock(clock=clock)
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


def clock_summary(clock: Clock) -> dict:
    return {"rule": clock.rule, "due_at": clock.due_at.isoformat(), "state": clock.state}
