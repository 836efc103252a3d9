"""Marks statutory clocks past their due moment as overdue (run periodically)."""

from django.core.management.base import BaseCommand

from referral.services.clocks import clocks_sweep
from referral.services.service_records import services_warn_unreceived
from referral.timeutil import now


class Command(BaseCommand):
    help = "Mark running statutory clocks that are past due as overdue, with an audit event each."

    def handle(self, *args, **options):
        at = now()
        count = clocks_sweep(at=at)
        self.stdout.write(f"已标记超期 Marked overdue: {count}")
        warned = services_warn_unreceived(at=at)
        self.stdout.write(f"送达未签收提醒 Unreceived documents warned: {warned}")
