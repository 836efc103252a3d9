"""Issued documents (frozen PDFs with their number and verification code), the counters that
number them gap-free, and the seized items the item lists are drawn from."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..documents.numbering import version_label
from ..documents.types import DOCUMENT_TYPES, DocumentType
from .agencies import Agency
from .fields import IdentifierField, LineField, ProseField
from .meetings import Meeting
from .referral import Referral


class SeizedItem(models.Model):
    """One line of the seized-item list (涉案物品清单, DOMAIN.md §5.4): to be filled truthfully,
    《行政执法机关移送涉嫌犯罪案件的规定》第四条."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="seized_items")
    serial = models.PositiveIntegerField(_("serial"))
    name = LineField(_("name"), max_length=200)
    specification = LineField(_("specification / batch"), max_length=200, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    unit = LineField(_("unit"), max_length=20)
    condition = LineField(_("features / condition"), max_length=300, blank=True)
    origin = LineField(_("seized where / from whom"), max_length=300, blank=True)
    storage_location = LineField(_("storage location"), max_length=200, blank=True)
    custodian = LineField(_("custodian"), max_length=100, blank=True)
    seizure_document_number = IdentifierField(
        _("seizure document number"), max_length=100, blank=True
    )
    seized_on = models.DateField(_("seized on"), null=True, blank=True)
    sample_id = LineField(_("test status / sample ID"), max_length=100, blank=True)
    note = ProseField(_("note"), blank=True)

    class Meta:
        verbose_name = _("seized item")
        verbose_name_plural = _("seized items")
        ordering = ["referral", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "serial"], name="seized_item_serial"),
        ]

    def __str__(self):
        return f"{self.serial}. {self.name}"


class DocumentStatus(models.TextChoices):
    CURRENT = "current", _("Current")
    SUPERSEDED = "superseded", _("Superseded")


class RenderState(models.TextChoices):
    PENDING = "pending", _("Waiting to render")
    RENDERING = "rendering", _("Rendering")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Rendering failed")


class DocumentQuerySet(models.QuerySet):
    def current(self):
        return self.filter(superseded_at__isnull=True)


def document_path(instance, filename):
    return f"documents/{instance.sha256[:2]}/{instance.sha256}.pdf"


class Document(models.Model):
    """A statutory document as issued. Its PDF is stored once with its SHA-256 and never
    rendered again; a correction is a new row (version + 1) that `replaces` this one.

    Every version keeps the number the first one was given: other agencies and later documents
    cite it, and the gap-free sequence counts documents, not printings. Superseded is recorded
    as a time, not a status field, so the one current version is a partial unique constraint."""

    # A document hangs on exactly one owner: a referral, or a joint meeting (its minutes).
    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    doc_type = models.CharField(_("document type"), max_length=40)
    issuing_agency = models.ForeignKey(
        Agency,
        verbose_name=_("issuing agency"),
        on_delete=models.PROTECT,
        related_name="issued_documents",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial"))
    number = models.CharField(_("number"), max_length=120)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    reason = ProseField(_("reason for the correction"), blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"))
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    verification_code = models.CharField(_("verification code"), max_length=16, unique=True)
    pdf = models.FileField(_("PDF"), upload_to=document_path, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    # Every document is numbered in its step and rendered after the step commits.
    render_state = models.CharField(
        _("rendering"), max_length=16, choices=RenderState.choices, default=RenderState.PENDING
    )
    render_progress = models.PositiveSmallIntegerField(
        _("rendering progress"),
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["issued_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_agency", "doc_type", "year", "serial", "version"],
                name="document_number_version",
            ),
            models.UniqueConstraint(
                fields=["issuing_agency", "doc_type", "year", "serial"],
                condition=models.Q(superseded_at__isnull=True),
                name="document_one_current_version",
            ),
            models.CheckConstraint(
                condition=models.Q(render_progress__lte=100), name="document_progress_percent"
            ),
            models.CheckConstraint(
                condition=models.Q(referral__isnull=False, meeting__isnull=True)
                | models.Q(referral__isnull=True, meeting__isnull=False),
                name="document_one_owner",
            ),
        ]
        indexes = [models.Index(fields=["referral", "doc_type"])]

    def __str__(self):
        return f"{self.type.title} {self.display_number}"

    @property
    def type(self) -> DocumentType:
        return DOCUMENT_TYPES[self.doc_type]

    @property
    def status(self) -> str:
        return DocumentStatus.SUPERSEDED if self.superseded_at else DocumentStatus.CURRENT

    def get_status_display(self) -> str:
        return DocumentStatus(self.status).label

    @property
    def display_number(self) -> str:
        """The 发文字号, the same for every version: a correction is told apart by
        `version_label`, a fact of the record, not by its number."""
        return self.number

    @property
    def version_label(self) -> str:
        return version_label(self.version)

    @property
    def is_ready(self) -> bool:
        return self.render_state == RenderState.DONE

    @property
    def is_rendering(self) -> bool:
        """Waiting for or in its rendering after the issuing step: a number but no PDF yet."""
        return self.render_state in (RenderState.PENDING, RenderState.RENDERING)

    @property
    def is_failed(self) -> bool:
        """Its rendering failed for good (after the retries): to be rendered again or corrected."""
        return self.render_state == RenderState.FAILED


class DocumentCounter(models.Model):
    """The last serial an agency gave a document type in a year; locked while issuing."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    doc_type = models.CharField(_("document type"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    last_serial = models.PositiveIntegerField(_("last serial"), default=0)

    class Meta:
        verbose_name = _("document counter")
        verbose_name_plural = _("document counters")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "doc_type", "year"], name="document_counter_unique"
            ),
        ]

    def __str__(self):
        return f"{self.agency.short_name} {self.doc_type} {self.year}: {self.last_serial}"
