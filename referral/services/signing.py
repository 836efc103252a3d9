"""The doors for receiving a document (送达, DOMAIN.md §9.1): the addressee signs for it in the
app (签收), or the sender records a paper service with the date on the receipt and its scan.

A document whose receipt is a lifecycle step (the police signing for the transfer letter,
`Step.receives`) is signed for only with that step, which records the receipt checklist of
Decree 310 art. 6 and is taken by whoever holds its task; not from the documents list."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .. import access, lifecycle, permissions
from ..models import ServiceMethod, ServiceRecord
from ..timeutil import now
from .errors import IllegalTransition, InvalidInput, NotFound, PermissionDenied
from .service_records import addressee_side, service_mark_received


def receiving_step(doc_type: str, status: str) -> str | None:
    """The transition that is the receipt of `doc_type` from `status`, if any."""
    for name, transitions in lifecycle.transitions().items():
        for t in transitions:
            if t.source == status and doc_type in lifecycle.step_of(t).receives:
                return name
    return None


def step_receives(doc_type: str) -> bool:
    return any(
        doc_type in lifecycle.step_of(ts[0]).receives for ts in lifecycle.transitions().values()
    )


def document_sign_for(*, actor, document_id: int, request_id: str = "") -> ServiceRecord:
    """The addressee's officer signs for the document now."""
    record = _record(actor, document_id)
    if step_receives(record.document.doc_type):
        raise IllegalTransition(_("This document is received by its step, not on its own."))
    at = now()
    with transaction.atomic():
        referral = access.referral_lock_for_user(
            user=actor, referral_id=record.document.referral_id
        )
        record = _record_locked(record.pk)
        if not permissions.may_sign_for_document(actor, record, addressee_side(record.document)):
            raise PermissionDenied(_("Only the addressee's officers may sign for a document."))
        service_mark_received(
            record=record,
            referral=referral,
            at=at,
            method=ServiceMethod.SIGNED,
            actor=actor,
            recorded_at=at,
            request_id=request_id,
        )
    return record


def document_record_paper_service(
    *, actor, document_id: int, received_at: datetime, scan, request_id: str = ""
) -> ServiceRecord:
    """The sender records that the document was served on paper: the date on the receipt and a
    scan of it. The periods that run from the receipt start at `received_at`."""
    record = _record(actor, document_id)
    if step_receives(record.document.doc_type):
        raise IllegalTransition(_("This document is received by its step, not on its own."))
    if not scan:
        raise InvalidInput(_("Attach a scan of the signed receipt."))
    at = now()
    if received_at > at:
        raise InvalidInput(_("The receipt cannot be dated in the future."))
    if received_at < record.sent_at:
        raise InvalidInput(_("The receipt cannot be dated before the document was sent."))
    with transaction.atomic():
        referral = access.referral_lock_for_user(
            user=actor, referral_id=record.document.referral_id
        )
        record = _record_locked(record.pk)
        if not permissions.may_correct_document(actor, record.document):
            raise PermissionDenied(_("Only the sending agency's officers may record a service."))
        service_mark_received(
            record=record,
            referral=referral,
            at=received_at,
            method=ServiceMethod.PAPER,
            actor=actor,
            recorded_at=at,
            scan=scan,
            request_id=request_id,
        )
    return record


def _record(actor, document_id: int) -> ServiceRecord:
    document = access.document_get_for_user(user=actor, document_id=document_id)
    record = ServiceRecord.objects.filter(document=document).first()
    if record is None:
        raise NotFound(_("This document is not sent to another agency."))
    record.document = document
    if record.received_at is not None:
        raise IllegalTransition(_("This document has been received already."))
    return record


def _record_locked(record_id: int) -> ServiceRecord:
    # Re-read under the referral's lock: a second signer waits, then finds it received.
    record = ServiceRecord.objects.select_related("document").get(pk=record_id)
    if record.received_at is not None:
        raise IllegalTransition(_("This document has been received already."))
    return record
