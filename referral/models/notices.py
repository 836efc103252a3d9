from django.db import models
from django.utils.translation import gettext_lazy as _

from .agencies import Role


class NoticeQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient_agency_id=user.agency_id, recipient_role__in=user.role_codes)


class Notice(models.Model):
    """A warning that a clock ran out, to one role of one agency (referral/services/notices.py)."""

    referral = models.ForeignKey("referral.Referral", on_delete=models.CASCADE, related_name="+")
    clock = models.ForeignKey("referral.Clock", on_delete=models.CASCADE, related_name="+")
    recipient_agency = models.ForeignKey(
        "referral.Agency", on_delete=models.CASCADE, related_name="+"
    )
    recipient_role = models.CharField(max_length=32, choices=Role.choices)
    created_at = models.DateTimeField()

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("overdue warning")
        verbose_name_plural = _("overdue warnings")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["clock", "recipient_agency", "recipient_role"], name="referral_notice_once"
            )
        ]

    def __str__(self):
        return f"{self.clock.rule} → {self.recipient_agency}"
