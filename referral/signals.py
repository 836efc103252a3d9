"""Signals the domain sends for listeners outside it (the workflow layer). Sent inside the
transaction of the change; listeners that act on other systems use transaction.on_commit."""

from django.dispatch import Signal

# Sent once per clock the sweep marks overdue; kwargs: clock.
clock_overdue = Signal()
