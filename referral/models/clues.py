"""Clue passing between stations (所所衔接 / 线索传递, DOMAIN.md §4.8): a market-supervision
station hands a clue to its paired police station before any formal transfer; the police
station answers within a period; a clue that needs a formal transfer becomes a referral of the
station's county bureau without retyping."""

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .agencies import Agency
from .fields import IdentifierField, LineField, ProseField
from .referral import PartyKind, ReadRecord, Referral, attachment_path


class ClueAnswer(models.TextChoices):
    ACCEPTED_FOR_CHECKING = "accepted_for_checking", _("Accepted for checking")
    NOT_A_CRIME = "not_a_crime", _("Not a crime")
    NEEDS_TRANSFER = "needs_transfer", _("Needs a formal transfer")


class Clue(models.Model):
    from_station = models.ForeignKey(
        Agency, verbose_name=_("passing station"), on_delete=models.PROTECT, related_name="+"
    )
    to_station = models.ForeignKey(
        Agency, verbose_name=_("police station"), on_delete=models.PROTECT, related_name="+"
    )
    title = LineField(_("title"), max_length=200)
    summary = ProseField(_("summary of the clue"))
    place = LineField(_("place"), max_length=300)
    passed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    passed_at = models.DateTimeField(_("passed at"))
    due_at = models.DateTimeField(_("answer due"))
    ruleset = models.CharField(_("rule set"), max_length=50)
    answer = models.CharField(_("answer"), max_length=32, choices=ClueAnswer.choices, blank=True)
    answer_reason = ProseField(_("reason for the answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    referral = models.OneToOneField(
        Referral,
        verbose_name=_("referral"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clue",
    )

    class Meta:
        verbose_name = _("clue")
        verbose_name_plural = _("clues")
        ordering = ["-passed_at", "-pk"]
        indexes = [models.Index(fields=["to_station", "answered_at", "due_at"])]

    def __str__(self):
        return self.title

    def is_overdue(self, at) -> bool:
        return self.answered_at is None and self.due_at < at


class ClueParty(models.Model):
    clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="parties")
    kind = models.CharField(_("kind"), max_length=16, choices=PartyKind.choices)
    name = LineField(_("name"), max_length=200)
    id_number = IdentifierField(
        _("ID number / unified social credit code"), max_length=32, blank=True
    )

    class Meta:
        verbose_name = _("party of a clue")
        verbose_name_plural = _("parties of clues")
        ordering = ["clue", "pk"]

    def __str__(self):
        return self.name


class ClueAttachment(models.Model):
    """A file handed over with a clue, stored by content like a referral's attachments."""

    clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = LineField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("attachment of a clue")
        verbose_name_plural = _("attachments of clues")
        ordering = ["clue", "pk"]

    def __str__(self):
        return self.original_name


class ClueRead(ReadRecord):
    """One opening of a clue's page, or of one of its files (`attachment`), by anyone who sees
    it: the police station's reading of what a station handed over is on record like a
    consultation's shared files (models.AttachmentRead)."""

    clue = models.ForeignKey(
        Clue, verbose_name=_("clue"), on_delete=models.PROTECT, related_name="reads"
    )
    attachment = models.ForeignKey(
        ClueAttachment,
        verbose_name=_("file"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reads",
    )

    class Meta:
        verbose_name = _("clue read")
        verbose_name_plural = _("clue reads")
        ordering = ["read_at", "pk"]
        indexes = [models.Index(fields=["clue", "reader_agency", "read_at"])]
        triggers = [
            pgtrigger.Protect(name="clue_read_no_update", operation=pgtrigger.Update),
            pgtrigger.Protect(name="clue_read_no_delete", operation=pgtrigger.Delete),
        ]

    def __str__(self):
        return f"{self.reader} {self.clue} {self.read_at:%Y-%m-%d %H:%M}"
