"""Issuing statutory documents: number, render, freeze, audit; corrections as new versions;
the seized items the item lists are drawn from.

Lock order, the one `run_transition` takes: referral -> audit chain head -> document counter.
Issuing locks the chain head before the counter even when called outside a step, so a step's
issue and a stand-alone one can never wait on each other in opposite order.
"""

import hashlib
import logging
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import access, permissions
from ..documents import render as rendering
from ..documents.numbering import format_number, new_verification_code
from ..documents.types import DOCUMENT_TYPES, document_types_for_step
from ..models import (
    AuditChainHead,
    Document,
    DocumentCounter,
    Referral,
    RenderState,
    SeizedItem,
    User,
)
from ..timeutil import now
from .audit import audit_append
from .base import full_clean, lock_for_edit
from .errors import IllegalTransition, InvalidInput, NotFound, PermissionDenied

logger = logging.getLogger(__name__)

# Item lists longer than this render after commit in a background job (Celery; in-process when
# no broker is configured) instead of inside the issuing step. A 50-row list is about three
# pages and renders in roughly half a second; beyond that the step would keep its locks too long.
BACKGROUND_RENDER_ITEMS = 50
ITEM_LIST_TYPES = ("seized_item_list", "handover_list")


def document_verify_url(code: str) -> str:
    """The public address printed (as QR code) on the document with verification `code`."""
    return settings.XIANJIE_PUBLIC_URL.rstrip("/") + reverse("referral:verify", args=[code])


# --- Seized items ----------------------------------------------------------------------------


def seized_item_add(
    *,
    referral_id: int,
    actor: User,
    name: str,
    quantity: Decimal,
    unit: str,
    request_id: str = "",
    **fields,
) -> SeizedItem:
    """Adds a line to the seized-item list while the case record is the agency's to edit;
    numbered after the last line."""
    with transaction.atomic():
        referral = lock_for_edit(referral_id=referral_id, actor=actor)
        last = referral.seized_items.order_by("-serial").values_list("serial", flat=True).first()
        item = SeizedItem(
            referral=referral,
            serial=(last or 0) + 1,
            name=(name or "").strip(),
            quantity=quantity,
            unit=(unit or "").strip(),
            **fields,
        )
        full_clean(item)
        item.save()
        audit_append(
            action="add_seized_item",
            at=now(),
            actor=actor,
            referral=referral,
            from_status=referral.status,
            to_status=referral.status,
            payload={
                "item": item.pk,
                "serial": item.serial,
                "name": item.name,
                "quantity": str(item.quantity),
                "unit": item.unit,
            },
            request_id=request_id,
        )
    return item


# --- Numbering -------------------------------------------------------------------------------


def document_number_allocate(*, agency, doc_type: str, year: int) -> int:
    """Takes the next serial of `agency`'s `doc_type` in `year`. Runs inside the issuing
    transaction: the counter row stays locked until it commits, and a rollback returns the
    serial, so the sequence never has a gap or a duplicate."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate document numbers inside the issuing transaction")
    AuditChainHead.objects.select_for_update().get(pk=1)  # lock order, see the module docstring
    # Created race-free: the unique constraint makes a second creator fail and read the first.
    counter, _created = DocumentCounter.objects.select_for_update().get_or_create(
        agency=agency, doc_type=doc_type, year=year
    )
    counter.last_serial += 1
    counter.save(update_fields=["last_serial"])
    return counter.last_serial


# --- Issuing ---------------------------------------------------------------------------------


def documents_issue_for_step(*, referral, step_name: str, actor, at: datetime) -> list[Document]:
    """Issues the documents lifecycle step `step_name` carries (none for most steps)."""
    return [
        document_issue(referral=referral, doc_type=doc_type.code, actor=actor, at=at)
        for doc_type in document_types_for_step(step_name)
    ]


def document_issue(*, referral, doc_type: str, actor, at: datetime) -> Document:
    """Numbers, renders and freezes one document of `referral`, audited as "issue_document".
    Called by `run_transition` inside the step's transaction, so a step that fails after it
    takes the number back with everything else. Long item lists render after commit (see
    BACKGROUND_RENDER_ITEMS); the document exists, numbered, from the start."""
    kind = DOCUMENT_TYPES.get(doc_type)
    if kind is None:
        raise InvalidInput(_("Unknown document type."))
    agency = permissions.side_agency(referral, kind.issuer_side)
    if agency is None:
        raise IllegalTransition(_("No agency stands on the side that issues this document."))
    with transaction.atomic():
        _lock_referral(referral.pk)
        document = _new_document(referral, kind, agency, actor, at)
        _freeze_or_defer(document)
        _audit_document(document, "issue_document", actor)
    return document


def _lock_referral(referral_id: int) -> None:
    """Locks the referral first (a no-op inside its step, which holds the lock already)."""
    list(Referral.objects.select_for_update(of=("self",)).filter(pk=referral_id).values("pk"))


def _new_document(referral, kind, agency, actor, at) -> Document:
    year = timezone.localtime(at).year
    serial = document_number_allocate(agency=agency, doc_type=kind.code, year=year)
    return Document(
        referral=referral,
        doc_type=kind.code,
        issuing_agency=agency,
        year=year,
        serial=serial,
        number=format_number(
            agency.document_number_pattern,
            short=agency.short_name,
            code=kind.number_code,
            year=year,
            serial=serial,
        ),
        issued_by=actor,
        issued_at=at,
    )


def document_reissue(*, document_id: int, actor, reason: str, request_id: str = "") -> Document:
    """Issues a corrected version of a document: same number, version + 1, a new verification
    code and PDF from the referral's present data. The old version is kept, marked superseded
    and pointing to its successor; both stay visible and verifiable."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give a reason for the correction."))
    at = now()
    with transaction.atomic():
        referral_id = Document.objects.filter(pk=document_id).values_list("referral", flat=True)
        if not referral_id:
            raise NotFound(_("No such document."))
        referral = access.referral_lock_for_user(user=actor, referral_id=referral_id[0])
        old = Document.objects.select_for_update(of=("self",)).get(pk=document_id)
        _check_may_correct(actor, old)
        old.superseded_at = at
        old.save(update_fields=["superseded_at"])
        document = Document(
            referral=referral,
            doc_type=old.doc_type,
            issuing_agency=old.issuing_agency,
            year=old.year,
            serial=old.serial,
            number=old.number,
            version=old.version + 1,
            replaces=old,
            reason=reason,
            issued_by=actor,
            issued_at=at,
        )
        _freeze_or_defer(document)
        _audit_document(document, "reissue_document", actor, reason=reason, request_id=request_id)
    return document


def _check_may_correct(actor, document: Document) -> None:
    """The current, finished version, by those `permissions.may_correct_document` names."""
    if not permissions.may_correct_document(actor, document):
        raise PermissionDenied(_("Only the issuing agency's officers may correct this document."))
    if document.superseded_at is not None:
        raise IllegalTransition(_("Only the current version of a document can be corrected."))
    if document.is_rendering:
        raise IllegalTransition(_("The document is still being rendered."))


def _freeze_or_defer(document: Document) -> None:
    """Saves the new document with a fresh verification code, and its PDF now or after commit."""
    document.verification_code = _unused_verification_code()
    if _renders_in_background(document):
        document.render_state, document.render_progress = RenderState.PENDING, 0
        document.save()
        from ..tasks import render_document_in_background  # tasks imports this module

        document_id = document.pk
        transaction.on_commit(lambda: render_document_in_background.delay(document_id))
        return
    _store_pdf(document, _render(document))
    document.save()


def _renders_in_background(document: Document) -> bool:
    return (
        document.doc_type in ITEM_LIST_TYPES
        and document.referral.seized_items.count() > BACKGROUND_RENDER_ITEMS
    )


def _unused_verification_code() -> str:
    while True:
        code = new_verification_code()
        if not Document.objects.filter(verification_code=code).exists():
            return code


def _render(document: Document) -> bytes:
    return rendering.render_document(
        document.doc_type,
        document.referral,
        number=document.display_number,
        issued_at=document.issued_at,
        verification_code=document.verification_code,
        verify_url=document_verify_url(document.verification_code),
    )


def _store_pdf(document: Document, data: bytes) -> None:
    """Freezes the bytes: stored once under their hash, with the hash and size recorded."""
    document.sha256 = hashlib.sha256(data).hexdigest()
    document.size = len(data)
    document.pdf.save(document.sha256, ContentFile(data), save=False)
    document.render_state, document.render_progress = RenderState.DONE, 100


def _audit_document(document, action, actor, *, reason="", request_id="") -> None:
    referral = document.referral
    audit_append(
        action=action,
        at=document.issued_at,
        actor=actor,
        referral=referral,
        from_status=referral.status,
        to_status=referral.status,
        reason=reason,
        payload={
            "document": document.pk,
            "doc_type": document.doc_type,
            "number": document.display_number,
            "version": document.version,
            "replaces": document.replaces_id,
            "verification_code": document.verification_code,
            "sha256": document.sha256 or None,
            "size": document.size,
            "render": "background" if document.render_state == RenderState.PENDING else "inline",
        },
        request_id=request_id,
    )


# --- Background rendering --------------------------------------------------------------------


def document_render_pending(*, document_id: int) -> str:
    """Renders a document issued with its PDF deferred and freezes it, writing progress as it
    goes so the case page can show it; returns the final render state. Idempotent: a document
    already rendering, done or failed is left alone. Rendering itself holds no lock."""
    with transaction.atomic():
        document = _lock_document(document_id)
        if document is None or document.render_state != RenderState.PENDING:
            return document.render_state if document else RenderState.FAILED
        _set_progress(document, RenderState.RENDERING, 10)
    try:
        data = _render(document)
    except Exception:
        logger.exception("rendering document %s failed", document_id)
        with transaction.atomic():
            document = _lock_document(document_id)
            _set_progress(document, RenderState.FAILED, 0)
            _audit_rendered(document, ok=False)
        return RenderState.FAILED
    _set_progress(document, RenderState.RENDERING, 90)
    with transaction.atomic():
        document = _lock_document(document_id)
        _store_pdf(document, data)
        document.save(update_fields=["sha256", "size", "pdf", "render_state", "render_progress"])
        _audit_rendered(document, ok=True)
    return RenderState.DONE


def _lock_document(document_id: int) -> Document | None:
    """Locks the document after its referral, the order issuing and correcting take."""
    referral_id = Document.objects.filter(pk=document_id).values_list("referral", flat=True)
    if not referral_id:
        return None
    _lock_referral(referral_id[0])
    return (
        Document.objects.select_for_update(of=("self",))
        .select_related("referral")
        .get(pk=document_id)
    )


def _set_progress(document: Document, state: str, progress: int) -> None:
    document.render_state, document.render_progress = state, progress
    document.save(update_fields=["render_state", "render_progress"])


def _audit_rendered(document: Document, *, ok: bool) -> None:
    """The hash of a deferred PDF enters the audit chain when the PDF exists."""
    referral = document.referral
    audit_append(
        action="render_document" if ok else "render_document_failed",
        at=now(),
        referral=referral,
        from_status=referral.status,
        to_status=referral.status,
        payload={
            "document": document.pk,
            "number": document.display_number,
            "verification_code": document.verification_code,
            "sha256": document.sha256 or None,
            "size": document.size,
        },
    )
