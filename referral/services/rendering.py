"""Rendering and freezing an issued document's PDF: the work the render task
(referral/tasks.py) does after the issuing step has committed.

The number, the verification code and the "issue_document" audit event exist from the issuing
transaction on; this module adds the PDF, its SHA-256 and size, and the "render_document" event
that records them. Rendering itself holds no lock: a step on the same referral never waits for
a PDF. Lock order, as everywhere: referral -> document -> audit chain head.
"""

import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils.module_loading import import_string

from ..documents.context import agency_data
from ..models import Document, Meeting, Referral, RenderState
from ..timeutil import now
from .audit import audit_append

logger = logging.getLogger(__name__)


class RenderingFailed(Exception):
    """A rendering failed and may be tried again; the document is back to waiting."""


def document_verify_url(code: str) -> str:
    """The public address printed (as QR code) on the document with verification `code`."""
    return settings.XIANJIE_PUBLIC_URL.rstrip("/") + reverse("referral:verify", args=[code])


def document_render(*, document_id: int, last_try: bool = True) -> str:
    """Renders a waiting document with the configured renderer and freezes the PDF, writing
    progress as it goes so the case page can show it; returns the final render state.

    A failure is recorded as FAILED with a "render_document_failed" event on the `last_try`;
    before it, the document goes back to waiting and RenderingFailed tells the caller to try
    again. Idempotent: a document rendering, done or failed is left alone."""
    with transaction.atomic():
        document = _lock_document(document_id)
        if document is None:
            return RenderState.FAILED
        if document.render_state != RenderState.PENDING:
            return document.render_state
        _set_progress(document, RenderState.RENDERING, 10)
    try:
        data = _render(document)
    except Exception as exc:
        logger.exception("rendering document %s failed", document_id)
        _record_failure(document_id, exc, last_try=last_try)
        if not last_try:
            raise RenderingFailed(str(exc)) from exc
        return RenderState.FAILED
    _set_progress(document, RenderState.RENDERING, 90)
    with transaction.atomic():
        document = _lock_document(document_id)
        _store_pdf(document, data)
        document.save(update_fields=["sha256", "size", "pdf", "render_state", "render_progress"])
        _audit_rendered(document, action="render_document")
    return RenderState.DONE


def documents_waiting_for_render(*, issued_before) -> list[int]:
    """Ids of current documents issued before `issued_before` and still waiting for their PDF."""
    waiting = Document.objects.current().filter(
        render_state=RenderState.PENDING, issued_at__lt=issued_before
    )
    return list(waiting.order_by("pk").values_list("pk", flat=True))


def _render(document: Document) -> bytes:
    # Named in settings so the test suite can draw a small PDF instead of laying out the real
    # one with WeasyPrint (referral/documents/plain.py), where no test looks at the layout.
    renderer = import_string(settings.XIANJIE_DOCUMENT_RENDERER)
    # A case's document names the agency that issued it, which the case may since have left
    # (moved to another police organ); a meeting's names its convener.
    issuer = agency_data(document.issuing_agency) if document.referral_id else None
    return renderer(
        document.doc_type,
        document.referral or document.meeting,
        number=document.display_number,
        issued_at=document.issued_at,
        verification_code=document.verification_code,
        verify_url=document_verify_url(document.verification_code),
        issuer=issuer,
    )


def _store_pdf(document: Document, data: bytes) -> None:
    """Freezes the bytes: stored once under their hash, with the hash and size recorded."""
    document.sha256 = hashlib.sha256(data).hexdigest()
    document.size = len(data)
    document.pdf.save(document.sha256, ContentFile(data), save=False)
    document.render_state, document.render_progress = RenderState.DONE, 100


def _record_failure(document_id: int, exc: Exception, *, last_try: bool) -> None:
    with transaction.atomic():
        document = _lock_document(document_id)
        if not last_try:
            _set_progress(document, RenderState.PENDING, 0)
            return
        _set_progress(document, RenderState.FAILED, 0)
        _audit_rendered(
            document, action="render_document_failed", error=f"{type(exc).__name__}: {exc}"
        )


def _lock_document(document_id: int) -> Document | None:
    """Locks the document after its owner (referral or meeting), the order issuing and
    correcting take."""
    owners = Document.objects.filter(pk=document_id).values_list("referral", "meeting")
    if not owners:
        return None
    referral_id, meeting_id = owners[0]
    owner_model, owner_id = (Referral, referral_id) if referral_id else (Meeting, meeting_id)
    list(owner_model.objects.select_for_update(of=("self",)).filter(pk=owner_id).values("pk"))
    return (
        Document.objects.select_for_update(of=("self",))
        .select_related("referral", "meeting", "issuing_agency")
        .get(pk=document_id)
    )


def _set_progress(document: Document, state: str, progress: int) -> None:
    document.render_state, document.render_progress = state, progress
    document.save(update_fields=["render_state", "render_progress"])


def _audit_rendered(document: Document, *, action: str, error: str = "") -> None:
    """The hash of a PDF enters the audit chain when the PDF exists."""
    referral = document.referral
    status = referral.status if referral is not None else ""
    payload = {"meeting": document.meeting_id} if document.meeting_id else {}
    payload |= {
        "document": document.pk,
        "doc_type": document.doc_type,
        "number": document.display_number,
        "verification_code": document.verification_code,
        "sha256": document.sha256 or None,
        "size": document.size,
    }
    if error:
        payload["error"] = error[:500]
    audit_append(
        action=action,
        at=now(),
        referral=referral,
        from_status=status,
        to_status=status,
        payload=payload,
    )
