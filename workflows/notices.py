"""Overdue warnings: to the head of the agency whose clock ran out, and for the police's
decision clocks also to the same-level procuratorate (《人民检察院刑事诉讼规则》第五百六十二条)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from referral.models import AgencyKind, Role

# Who answers for an agency's overdue clock, by kind of agency.
HEAD_ROLE = {
    AgencyKind.MARKET_SUPERVISION: Role.AGENCY_HEAD,
    AgencyKind.OTHER_ADMIN: Role.AGENCY_HEAD,
    AgencyKind.POLICE: Role.POLICE_REVIEWER,
    AgencyKind.PROCURATORATE: Role.PROCURATOR,
}
# Police periods whose lapse the procuratorate supervises.
POLICE_DECISION_CLOCKS = (
    "police_filing_decision",
    "police_review_clue_check",
    "police_review_major",
    "reconsideration_decision",
    "police_explanation",
    "ordered_filing",
    "overdue_explanation",
)


class NoticeQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient_agency_id=user.agency_id, recipient_role__in=user.role_codes)


class Notice(models.Model):
    referral = models.ForeignKey("referral.Referral", on_delete=models.CASCADE, related_name="+")
    clock = models.ForeignKey("referral.Clock", on_delete=models.CASCADE, related_name="+")
    recipient_agency = models.ForeignKey(
        "referral.Agency", on_delete=models.CASCADE, related_name="+"
    )
    recipient_role = models.CharField(max_length=32, choices=Role.choices)
    created_at = models.DateTimeField()

    objects = NoticeQuerySet.as_manager()

    class Meta:
        app_label = "workflows"
        verbose_name = _("overdue warning")
        verbose_name_plural = _("overdue warnings")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["clock", "recipient_agency", "recipient_role"], name="notice_once"
            )
        ]

    def __str__(self):
        return f"{self.clock.rule} → {self.recipient_agency}"


def notices_for_overdue_clock(clock) -> list[Notice]:
    referral = clock.referral
    recipients = [(clock.owner_agency, HEAD_ROLE[clock.owner_agency.kind])]
    if clock.rule in POLICE_DECISION_CLOCKS and referral.procuratorate_id:
        recipients.append((referral.procuratorate, Role.PROCURATOR))
    return [
        Notice.objects.get_or_create(
            clock=clock,
            recipient_agency=agency,
            recipient_role=role,
            defaults={"referral": referral, "created_at": clock.due_at},
        )[0]
        for agency, role in recipients
    ]
