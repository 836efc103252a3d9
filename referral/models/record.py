"""What is added to a case record once it has left the agency: supplements and corrections
after transfer, and the police's receipt checklist."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .agencies import Agency
from .fields import LineField, ProseField
from .referral import Referral


class SupplementKind(models.TextChoices):
    SUPPLEMENT = "supplement", _("Supplementary materials")
    CORRECTION = "correction", _("Statement of correction")


class CaseSupplement(models.Model):
    """A supplement or correction the transferring agency records after transfer. The record
    as transferred stays as it was; this is shown beside it, to every side that sees the case."""

    referral = models.ForeignKey(
        Referral, verbose_name=_("referral"), on_delete=models.PROTECT, related_name="supplements"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SupplementKind.choices)
    subject = LineField(_("what changes"), max_length=200)
    content = ProseField(_("the supplement or correction"))
    reason = ProseField(_("why"))
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("supplement")
        verbose_name_plural = _("supplements")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.subject}"


class ReceiptMark(models.TextChoices):
    COMPLETE = "complete", _("Complete")
    MISSING = "missing", _("Missing")


class ReceiptChecklist(models.Model):
    """The police's check, when signing the receipt, of the five items the transfer must carry
    (《行政执法机关移送涉嫌犯罪案件的规定》第六条): each marked complete or missing."""

    referral = models.ForeignKey(
        Referral,
        verbose_name=_("referral"),
        on_delete=models.PROTECT,
        related_name="receipt_checklists",
    )
    police_agency = models.ForeignKey(
        Agency, verbose_name=_("police organ"), on_delete=models.PROTECT, related_name="+"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed at"))
    # {attachment kind (MANDATORY_TRANSFER_ATTACHMENTS): ReceiptMark}
    items = models.JSONField(_("items"))

    class Meta:
        verbose_name = _("receipt checklist")
        verbose_name_plural = _("receipt checklists")
        ordering = ["signed_at", "pk"]

    def __str__(self):
        return f"{self.referral} {self.signed_at:%Y-%m-%d %H:%M}"
