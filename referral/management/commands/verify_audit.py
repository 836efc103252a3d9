"""Checks the audit trail's hash chain and reports the first broken link."""

from django.core.management.base import BaseCommand, CommandError

from referral.models import AuditEvent
from referral.services.audit import audit_checkpoints, audit_verify


class Command(BaseCommand):
    help = "Verify the hash-chained audit trail; exit 1 at the first broken link."

    def handle(self, *args, **options):
        problem = audit_verify()
        if problem is not None:
            raise CommandError(
                f"审计链断裂 Audit chain broken at event #{problem.seq} "
                f"({problem.kind}): {problem.detail}",
                returncode=1,
            )
        count = AuditEvent.objects.count()
        checkpoints = audit_checkpoints()
        anchored = f", up to checkpoint #{checkpoints[-1]['seq']}" if checkpoints else ""
        self.stdout.write(
            f"审计链完整 Audit chain intact: {count} events verified{anchored}; "
            f"{len(checkpoints)} checkpoints."
        )
