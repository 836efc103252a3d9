"""Background jobs; run in-process unless a Celery broker is configured."""

from celery import shared_task

from .services.clocks import clocks_sweep


@shared_task(name="referral.sweep_clocks")
def sweep_clocks() -> int:
    return clocks_sweep()
