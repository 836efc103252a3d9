"""Prints the current second-factor code of each demo administrator (demo only: refused unless
DEBUG, and only for the authenticators seed_demo made with the published demo keys)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from referral.accounts.demo import demo_code, demo_devices


class Command(BaseCommand):
    help = "Print the demo administrators' current two-step verification codes (demo only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_totp runs only in the demo (DEBUG).")
        for device in demo_devices():
            self.stdout.write(f"  {device.user.username:<12} {demo_code(device)}")
