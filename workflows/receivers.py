"""Turns overdue clocks into warnings."""

from django.dispatch import receiver

from referral.signals import clock_overdue

from .notices import notices_for_overdue_clock


@receiver(clock_overdue)
def on_clock_overdue(sender, clock, **kwargs):
    notices_for_overdue_clock(clock)
