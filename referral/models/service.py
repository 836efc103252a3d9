"""Service of documents (送达): each document sent to another agency, when it was sent and when
and how its addressee received it (DOMAIN.md §9.1). Several periods run from the receipt."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .agencies import Agency
from .documents import Document


class ServiceMethod(models.TextChoices):
    # The addressee's officer signs for the document in the app (签收).
    SIGNED = "signed", _("Signed for in the app")
    # The sender records a service on paper: the date on the receipt and its scan.
    PAPER = "paper", _("Paper service recorded by the sender")


def receipt_scan_path(instance, filename):
    return f"receipts/{instance.document_id}/{filename}"


class ServiceRecord(models.Model):
    document = models.OneToOneField(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="service"
    )
    addressee = models.ForeignKey(
        Agency, verbose_name=_("addressee"), on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"))
    # The lifecycle step that sent it: one document type may start different periods by step.
    sent_by_step = models.CharField(_("sent by step"), max_length=64, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    method = models.CharField(
        _("service method"), max_length=16, choices=ServiceMethod.choices, blank=True
    )
    # Who signed for it, or who recorded the paper service.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    receipt_scan = models.FileField(
        _("scan of the receipt"), upload_to=receipt_scan_path, blank=True
    )
    # When the sender was warned that the document is still not received (once).
    warned_at = models.DateTimeField(_("warned at"), null=True, blank=True)

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["sent_at", "pk"]
        indexes = [models.Index(fields=["received_at", "sent_at"])]

    def __str__(self):
        return f"{self.document} → {self.addressee}"

    @property
    def is_received(self) -> bool:
        return self.received_at is not None
