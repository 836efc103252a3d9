"""Keeps processes aligned with referrals and turns overdue clocks into warnings."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django_fsm.signals import post_transition

from referral.models import Referral
from referral.signals import clock_overdue

from .notices import notices_for_overdue_clock
from .sync import referral_flow_sync


def _sync_after_commit(referral_id):
    transaction.on_commit(lambda: referral_flow_sync(referral_id))


@receiver(post_transition, sender=Referral)
def on_referral_transition(sender, instance, **kwargs):
    _sync_after_commit(instance.pk)


@receiver(post_save, sender=Referral)
def on_referral_created(sender, instance, created, **kwargs):
    if created:
        _sync_after_commit(instance.pk)


@receiver(clock_overdue)
def on_clock_overdue(sender, clock, **kwargs):
    notices_for_overdue_clock(clock)
