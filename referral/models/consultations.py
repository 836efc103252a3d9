"""Case consultation (案件会商, DOMAIN.md §4.1–4.2): a thread on a referral, before or after
its transfer, with chosen participants from other agencies. It shares a summary and chosen
attachments of the case, and nothing more; the opening agency closes it with a conclusion."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .agencies import Agency
from .fields import LineField, ProseField
from .referral import Attachment, Referral


class ConsultationState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Concluded")


class Consultation(models.Model):
    referral = models.ForeignKey(
        Referral, verbose_name=_("referral"), on_delete=models.PROTECT, related_name="consultations"
    )
    opening_agency = models.ForeignKey(
        Agency, verbose_name=_("opening agency"), on_delete=models.PROTECT, related_name="+"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"))
    title = LineField(_("title"), max_length=200)
    question = ProseField(_("question"))
    # What the participants learn of the case: this summary and the shared attachments.
    summary = ProseField(_("case summary shared"))
    shared_attachments = models.ManyToManyField(
        Attachment, verbose_name=_("shared attachments"), blank=True, related_name="+"
    )
    state = models.CharField(
        _("status"), max_length=16, choices=ConsultationState.choices, default="open"
    )
    conclusion = ProseField(_("conclusion"), blank=True)
    closed_at = models.DateTimeField(_("concluded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("case consultation")
        verbose_name_plural = _("case consultations")
        ordering = ["-opened_at", "-pk"]

    def __str__(self):
        return self.title


class ConsultationParticipant(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="participants"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("consultation participant")
        verbose_name_plural = _("consultation participants")
        ordering = ["consultation", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "agency"], name="consultation_participant"
            ),
        ]

    def __str__(self):
        return str(self.agency)


class ConsultationReply(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    text = ProseField(_("reply"))
    created_at = models.DateTimeField(_("written at"))

    class Meta:
        verbose_name = _("consultation reply")
        verbose_name_plural = _("consultation replies")
        ordering = ["consultation", "created_at", "pk"]

    def __str__(self):
        return self.text[:40]
