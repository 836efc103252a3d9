"""The referral (移送案件) and what hangs off it: parties, attachments, penalties."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin

from ..lifecycle import AttachmentKind, ReferralKind, ReferralLifecycle
from .agencies import Agency


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
    title = models.CharField(_("case title"), max_length=200)
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
    suspected_charge = models.CharField(_("suspected charge"), max_length=200, blank=True)
    facts = models.TextField(_("facts"), blank=True)
    amount_involved = models.DecimalField(
        _("amount involved (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
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


class PartyKind(models.TextChoices):
    PERSON = "person", _("Natural person")
    UNIT = "unit", _("Unit")


class Party(models.Model):
    """A party (当事人) of the case: a person or a unit."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="parties")
    kind = models.CharField(_("kind"), max_length=16, choices=PartyKind.choices)
    name = models.CharField(_("name"), max_length=200)
    id_number = models.CharField(
        _("ID number / unified social credit code"), max_length=32, blank=True
    )
    legal_representative = models.CharField(_("legal representative"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["pk"]

    def __str__(self):
        return self.name


def attachment_path(instance, filename):
    return f"referrals/{instance.referral_id}/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=32, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.original_name}"


class AdministrativePenalty(models.Model):
    """A penalty the agency imposed; allowed before and after transfer (Decree 310 art. 11)."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="penalties")
    decision_number = models.CharField(_("decision number"), max_length=100)
    decided_on = models.DateField(_("decided on"))
    measures = models.TextField(_("measures"))
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
