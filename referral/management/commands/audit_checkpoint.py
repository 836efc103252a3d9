"""Writes a signed checkpoint of the audit chain head outside the database (on demand; Celery
beat does it every 15 minutes in production, bin/demo's loop every minute)."""

from django.core.management.base import BaseCommand

from referral.services.audit import audit_checkpoint
from referral.timeutil import now


class Command(BaseCommand):
    help = "Append a signed checkpoint of the audit chain head to the checkpoint file."

    def handle(self, *args, **options):
        checkpoint = audit_checkpoint(at=now())
        self.stdout.write(
            f"审计链检查点 Audit checkpoint: #{checkpoint['seq']} {checkpoint['hash'][:16]}… "
            f"at {checkpoint['at']}"
        )
