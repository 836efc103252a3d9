"""Answers whether a verification code or a presented PDF is an authentic issued document, and
what it is. Public: the answer names the document's type, number, issuing agency, date and
status, and nothing of the case (no parties, facts or people)."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Document, RenderState
from .numbering import normalise_verification_code


class Outcome(models.TextChoices):
    CURRENT = "current", _("Authentic document, current version.")
    SUPERSEDED = "superseded", _("Authentic document, but superseded by a corrected version.")
    TAMPERED = (
        "tampered",
        _(
            "Issued document, but its stored copy has been altered since issue. "
            "Do not rely on it; inform the issuing agency."
        ),
    )
    NOT_READY = "not_ready", _("Issued document whose PDF is not available yet.")
    UNKNOWN = "unknown", _("Not a document issued through this system.")


@dataclass(frozen=True)
class Verdict:
    outcome: str
    document: Document | None = None
    current_version: Document | None = None  # the version in force, when this one is superseded

    @property
    def authentic(self) -> bool:
        return self.outcome in (Outcome.CURRENT, Outcome.SUPERSEDED)

    @property
    def message(self) -> str:
        return Outcome(self.outcome).label

    def as_public_dict(self) -> dict:
        return {
            "outcome": self.outcome,
            "authentic": self.authentic,
            "current": self.outcome == Outcome.CURRENT,
            "message": str(self.message),
            "document": _describe(self.document),
            "current_version": _describe(self.current_version),
        }


def verify_code(code: str) -> Verdict:
    """The document carrying `code`, checked against its record: the stored file is hashed
    again, so a copy altered on disk is reported, not vouched for."""
    code = normalise_verification_code(code)
    document = (
        Document.objects.select_related("issuing_agency").filter(verification_code=code).first()
        if code
        else None
    )
    if document is None:
        return Verdict(Outcome.UNKNOWN)
    if document.render_state != RenderState.DONE:
        return Verdict(Outcome.NOT_READY, document)
    if not stored_copy_intact(document):
        return Verdict(Outcome.TAMPERED, document)
    return _status_verdict(document)


def verify_pdf(chunks: Iterable[bytes]) -> Verdict:
    """The issued document whose frozen bytes are exactly the presented file, if any."""
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    document = (
        Document.objects.select_related("issuing_agency")
        .filter(sha256=digest.hexdigest(), render_state=RenderState.DONE)
        .first()
    )
    return Verdict(Outcome.UNKNOWN) if document is None else _status_verdict(document)


def stored_copy_intact(document: Document) -> bool:
    """True when the stored PDF still hashes to the SHA-256 recorded when it was frozen."""
    if not document.pdf or not document.sha256:
        return False
    digest = hashlib.sha256()
    try:
        with document.pdf.open("rb") as stored:
            for chunk in stored.chunks():
                digest.update(chunk)
    except FileNotFoundError:
        return False
    return digest.hexdigest() == document.sha256


def _status_verdict(document: Document) -> Verdict:
    if document.superseded_at is None:
        return Verdict(Outcome.CURRENT, document)
    current = (
        Document.objects.current()
        .select_related("issuing_agency")
        .filter(
            issuing_agency=document.issuing_agency_id,
            doc_type=document.doc_type,
            year=document.year,
            serial=document.serial,
        )
        .first()
    )
    return Verdict(Outcome.SUPERSEDED, document, current)


def _describe(document: Document | None) -> dict | None:
    if document is None:
        return None
    return {
        "type": document.doc_type,
        "title": document.type.title,
        "number": document.display_number,
        "version": document.version,
        "issuing_agency": document.issuing_agency.document_name,
        "issued_on": timezone.localdate(document.issued_at).isoformat(),
        "status": document.status,
        "verification_code": document.verification_code,
    }
