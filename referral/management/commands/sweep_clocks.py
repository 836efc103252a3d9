"""Marks statutory clocks past their due moment as overdue (run periodically)."""

from django.core.management.base import BaseCommand

from referral.services.clocks import clocks_sweep


class Command(BaseCommand):
    help = "Mark running statutory clocks that are past due as overdue, with an audit event each."

    def handle(self, *args, **options):
        count = clocks_sweep()
        self.stdout.write(f"已标记超期 Marked overdue: {count}")
