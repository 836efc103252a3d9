"""The referral (移送案件) and what hangs off it: parties, attachments, penalties."""

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin

from ..charges import CHARGE_CHOICES, CHARGES, Charge
from ..lifecycle import AttachmentKind, ReferralKind, ReferralLifecycle
from .agencies import Agency
from .audit import AppendOnlyModel
from .fields import IdentifierField, LineField, ProseField


class ReferralQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("agency", "police_agency", "procuratorate", "case_officer")


class Referral(ConcurrentTransitionMixin, ReferralLifecycle, models.Model):
    reference = models.CharField(_("reference"), max_length=40, unique=True, blank=True)
    kind = models.CharField(
        _("referral type"),
        max_length=32,
        choices=ReferralKind.choices,
        default=ReferralKind.CRIMINAL_TRANSFER,
    )
    title = LineField(_("case title"), max_length=200)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("transferring agency"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    police_agency = models.ForeignKey(
        Agency,
        verbose_name=_("receiving police organ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received_referrals",
    )
    procuratorate = models.ForeignKey(
        Agency,
        verbose_name=_("supervising procuratorate"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_referrals",
    )
    case_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case officer"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    case_team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("special case group"), blank=True, related_name="+"
    )
    # The charge as printed on the documents: the name of `charge` when one is chosen; a
    # free-text entry made before the controlled list stays as it was (charges.py).
    suspected_charge = LineField(_("suspected charge"), max_length=200, blank=True)
    charge = models.CharField(
        _("charge (controlled list)"), max_length=40, choices=CHARGE_CHOICES, blank=True
    )
    discovered_on = models.DateField(_("discovered on"), null=True, blank=True)
    offence_place = LineField(_("place of the offence"), max_length=300, blank=True)
    facts = ProseField(_("facts"), blank=True)
    amount_involved = models.DecimalField(
        _("amount involved (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # The 2021 food-crime interpretation uses the two figures differently (arts 1, 3, 7: arts
    # 143/144 have no amount threshold; art 140 counts 销售金额 ≥ 5万元), so they are kept apart.
    goods_value = models.DecimalField(
        _("value of the goods (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    sales_amount = models.DecimalField(
        _("production / sales amount (yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    case_source = models.TextField(_("case source"), blank=True)
    investigation_process = models.TextField(_("investigation process"), blank=True)
    coercive_measures = models.TextField(_("coercive measures taken"), blank=True)
    evidence_list = models.TextField(_("evidence list"), blank=True)
    prosecution_standard = models.TextField(
        _("prosecution standard met"),
        blank=True,
        help_text=_("The specific provision of the prosecution standard, e.g. 2021 解释第一条."),
    )
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    is_ip_case = models.BooleanField(_("intellectual-property case"), default=False)
    transferred_at = models.DateTimeField(_("transferred at"), null=True)
    procuratorate_copied_at = models.DateTimeField(_("copied to procuratorate at"), null=True)
    procuratorate_demanded = models.BooleanField(
        _("transfer demanded by procuratorate"), default=False
    )
    filed_at = models.DateTimeField(_("filed at"), null=True)
    supervised_filing = models.BooleanField(_("filed under supervision"), default=False)
    # Where a proposal awaiting the head's approval came from: a proposal sent back returns
    # the case there (MPS rules art. 178; SPP rules arts. 557, 561).
    proposed_from = models.CharField(_("proposed from"), max_length=40, blank=True, editable=False)
    # Where a non-transfer review found the case; closing the review returns it there (a
    # closed case stays closed).
    review_opened_from = models.CharField(
        _("review opened from"), max_length=40, blank=True, editable=False
    )
    # A procuratorial opinion after non-prosecution and the agency's report of its handling
    # (CPL art. 177 para. 3; SPP rules art. 373).
    opinion_sent_at = models.DateTimeField(_("procuratorial opinion sent at"), null=True)
    opinion_handling_reported_at = models.DateTimeField(
        _("handling of the opinion reported at"), null=True
    )
    items_handed_over_at = models.DateTimeField(_("items handed over at"), null=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return f"{self.reference} {self.title}"

    @property
    def charge_entry(self) -> Charge | None:
        """The charge of the controlled list, with its article (None for free text)."""
        return CHARGES.get(self.charge)


class PartyKind(models.TextChoices):
    PERSON = "person", _("Natural person")
    UNIT = "unit", _("Unit")


class Party(models.Model):
    """A party (当事人) of the case: a person or a unit."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="parties")
    kind = models.CharField(_("kind"), max_length=16, choices=PartyKind.choices)
    name = LineField(_("name"), max_length=200)
    id_number = IdentifierField(
        _("ID number / unified social credit code"), max_length=32, blank=True
    )
    legal_representative = LineField(_("legal representative"), max_length=100, blank=True)
    phone = IdentifierField(_("phone"), max_length=32, blank=True)
    address = LineField(_("address"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["pk"]

    def __str__(self):
        return self.name


def attachment_path(instance, filename):
    # Content-addressed: identical files, on one referral or several, are stored once.
    return f"attachments/{instance.sha256[:2]}/{instance.sha256}"


class AttachmentManager(models.Manager):
    """Every attachment, removed ones included (the base manager: foreign keys reach them)."""


class PresentAttachmentManager(models.Manager):
    """Attachments not removed: what the case page, the transfer's conditions and the doors
    see (related managers derive from the default manager, so `referral.attachments` too)."""

    def get_queryset(self):
        return super().get_queryset().filter(removed_at__isnull=True)


class Attachment(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=32, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = LineField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))
    # Removed before transfer: kept (its reads and the audit trail point at it), no longer shown.
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The supplement (补充材料 / 更正说明) after transfer this file belongs to, if any.
    supplement = models.ForeignKey(
        "CaseSupplement",
        verbose_name=_("supplement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )

    objects = PresentAttachmentManager()
    all_objects = AttachmentManager()

    class Meta:
        base_manager_name = "all_objects"
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.original_name}"

    @property
    def viewable_inline(self) -> bool:
        """Whether the browser shows the file itself (PDF, images) rather than saving it."""
        return self.content_type in INLINE_CONTENT_TYPES


INLINE_CONTENT_TYPES = ("application/pdf", "image/png", "image/jpeg")


class ReadRecord(AppendOnlyModel):
    """Who read what, from which agency, when. Append-only like the audit trail (ORM and
    PostgreSQL triggers) but outside its hash chain: appending to the chain takes its head
    lock, which would serialise every page or file view with every step of every case."""

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reader"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The reader's agency when reading: the side whose members see the record.
    reader_agency = models.ForeignKey(
        Agency, verbose_name=_("reader's agency"), on_delete=models.PROTECT, related_name="+"
    )
    read_at = models.DateTimeField(_("read at"))
    request_id = models.CharField(_("request id"), max_length=64, blank=True)

    class Meta:
        abstract = True


class AttachmentRead(ReadRecord):
    """One opening of an attachment, viewed or downloaded."""

    attachment = models.ForeignKey(
        Attachment,
        verbose_name=_("attachment"),
        on_delete=models.PROTECT,
        related_name="reads",
    )
    downloaded = models.BooleanField(_("downloaded"), default=False)

    class Meta:
        verbose_name = _("attachment read")
        verbose_name_plural = _("attachment reads")
        ordering = ["read_at", "pk"]
        indexes = [models.Index(fields=["attachment", "reader_agency", "read_at"])]
        triggers = [
            pgtrigger.Protect(name="attachment_read_no_update", operation=pgtrigger.Update),
            pgtrigger.Protect(name="attachment_read_no_delete", operation=pgtrigger.Delete),
        ]

    def __str__(self):
        return f"{self.reader} {self.attachment} {self.read_at:%Y-%m-%d %H:%M}"


class AdministrativePenalty(models.Model):
    """A penalty the agency imposed; allowed before and after transfer (Decree 310 art. 11)."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="penalties")
    decision_number = IdentifierField(_("decision number"), max_length=100)
    decided_on = models.DateField(_("decided on"))
    measures = ProseField(_("measures"))
    fine_amount = models.DecimalField(
        _("fine (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    licence_revoked = models.BooleanField(_("licence revoked"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("administrative penalty")
        verbose_name_plural = _("administrative penalties")
        ordering = ["decided_on", "pk"]

    def __str__(self):
        return self.decision_number


class CaseFileRead(ReadRecord):
    """One opening of a case file by the supervising procuratorate (procuratorial review is
    itself on record)."""

    referral = models.ForeignKey(
        Referral, verbose_name=_("referral"), on_delete=models.PROTECT, related_name="file_reads"
    )

    class Meta:
        verbose_name = _("case file read")
        verbose_name_plural = _("case file reads")
        ordering = ["read_at", "pk"]
        indexes = [models.Index(fields=["referral", "reader_agency", "read_at"])]
        triggers = [
            pgtrigger.Protect(name="case_file_read_no_update", operation=pgtrigger.Update),
            pgtrigger.Protect(name="case_file_read_no_delete", operation=pgtrigger.Delete),
        ]

    def __str__(self):
        return f"{self.reader} {self.referral} {self.read_at:%Y-%m-%d %H:%M}"
