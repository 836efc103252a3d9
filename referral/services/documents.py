"""Issuing statutory documents: number, verification code and audit inside the issuing
transaction, the PDF after it commits (`documents_render_after_commit`, the render task);
corrections as new versions; another try at a failed rendering.

Lock order, the one `run_transition` takes: referral -> audit chain head -> document counter.
Issuing locks the chain head before the counter even when called outside a step, so a step's
issue and a stand-alone one can never wait on each other in opposite order.
"""

from collections.abc import Iterable
from datetime import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import access, meeting_access, permissions
from ..documents.numbering import format_number, new_verification_code
from ..documents.types import DOCUMENT_TYPES, document_types_for_step
from ..models import Document, DocumentCounter, Referral, RenderState
from ..tasks import render_document
from ..timeutil import now
from .audit import audit_append, audit_chain_lock
from .errors import IllegalTransition, InvalidInput, NotFound, PermissionDenied

# --- Numbering -------------------------------------------------------------------------------


def document_number_allocate(*, agency, doc_type: str, year: int) -> int:
    """Takes the next serial of `agency`'s `doc_type` in `year`. Runs inside the issuing
    transaction: the counter row stays locked until it commits, and a rollback returns the
    serial, so the sequence never has a gap or a duplicate."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate document numbers inside the issuing transaction")
    audit_chain_lock()  # lock order, see the module docstring
    # Created race-free: the unique constraint makes a second creator fail and read the first.
    counter, _created = DocumentCounter.objects.select_for_update().get_or_create(
        agency=agency, doc_type=doc_type, year=year
    )
    counter.last_serial += 1
    counter.save(update_fields=["last_serial"])
    return counter.last_serial


# --- Issuing ---------------------------------------------------------------------------------


def documents_issue_for_step(*, referral, step_name: str, actor, at: datetime) -> list[Document]:
    """Issues the documents lifecycle step `step_name` carries (none for most steps), each
    numbered and waiting for its PDF; the step queues their rendering after it commits."""
    # Inside the step's transaction, which holds the referral's row lock already: no
    # savepoint and no second lock of the referral per document (a step that fails after it
    # rolls the whole transaction back, numbers included).
    return [
        _issue(referral, DOCUMENT_TYPES[doc_type.code], actor, at)
        for doc_type in document_types_for_step(step_name)
    ]


def document_issue(*, referral, doc_type: str, actor, at: datetime) -> Document:
    """Numbers one document of `referral` and records it with a fresh verification code,
    audited as "issue_document"; its PDF is rendered after commit (the caller queues it with
    `documents_render_after_commit`). Called by `run_transition` inside the step's
    transaction, so a step that fails after it takes the number back with everything else."""
    kind = DOCUMENT_TYPES.get(doc_type)
    if kind is None:
        raise InvalidInput(_("Unknown document type."))
    with transaction.atomic():
        _lock_referral(referral.pk)
        return _issue(referral, kind, actor, at)


def _issue(referral, kind, actor, at: datetime) -> Document:
    """Numbers, records and audits one document; the caller holds the referral's row lock."""
    # The acting official belongs to the organ that held the case: the gate checked it
    # against the case as it stood before the step moved it.
    agency = (
        actor.agency
        if kind.by_acting_organ
        else permissions.side_agency(referral, kind.issuer_side)
    )
    if agency is None:
        raise IllegalTransition(_("No agency stands on the side that issues this document."))
    document = _new_document(referral, kind, agency, actor, at)
    _save_waiting(document)
    _audit_document(document, "issue_document", actor)
    return document


def document_issue_for_meeting(*, meeting, doc_type: str, actor, at: datetime) -> Document:
    """Numbers a document of a joint meeting (its minutes), issued by the convening agency and
    audited as "issue_document"; called inside the meeting service's transaction, which holds
    the meeting's row lock and queues the rendering after it commits."""
    kind = DOCUMENT_TYPES.get(doc_type)
    if kind is None or kind.owner != "meeting":
        raise InvalidInput(_("Unknown document type."))
    document = _new_document(None, kind, meeting.convening_agency, actor, at)
    document.meeting = meeting
    _save_waiting(document)
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
            unit=agency.unit_code,
            code=kind.number_code,
            year=year,
            serial=serial,
        ),
        issued_by=actor,
        issued_at=at,
    )


def document_reissue(*, document_id: int, actor, reason: str, request_id: str = "") -> Document:
    """Issues a corrected version of a document: same number, version + 1, a new verification
    code and PDF from the referral's present data, rendered after commit. The old version is
    kept, marked superseded and pointing to its successor; both stay visible and verifiable."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give a reason for the correction."))
    at = now()
    with transaction.atomic():
        owner = Document.objects.filter(pk=document_id).values("referral", "meeting").first()
        if owner is None:
            raise NotFound(_("No such document."))
        referral = None
        if owner["meeting"] is not None:
            # Issued minutes: the meeting's lock, and its convening agency corrects them.
            meeting_access.meeting_lock_for_user(user=actor, meeting_id=owner["meeting"])
        else:
            referral = access.referral_lock_for_user(user=actor, referral_id=owner["referral"])
        old = Document.objects.select_for_update(of=("self",)).get(pk=document_id)
        _check_may_correct(actor, old)
        old.superseded_at = at
        old.save(update_fields=["superseded_at"])
        document = Document(
            referral=referral,
            meeting_id=old.meeting_id,
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
        _save_waiting(document)
        _audit_document(document, "reissue_document", actor, reason=reason, request_id=request_id)
        documents_render_after_commit(document_ids=[document.pk])
    return document


CASE_SUMMARY = "case_summary"


def case_summary_print(*, referral_id: int, actor, request_id: str = "") -> Document:
    """Issues the case summary (案件概况及卷宗目录) of the record as it stands, for the
    transferring agency's officers and head at any stage: the first print a numbered internal
    document of its own series, each later one the next version under the same number (the
    file changed in between). Rendered after commit; served to that agency alone."""
    at = now()
    with transaction.atomic():
        referral = access.referral_lock_for_user(user=actor, referral_id=referral_id)
        if not permissions.may_edit_case_record(actor, referral):
            raise PermissionDenied(
                _("Only the transferring agency's officers may print the case summary.")
            )
        current = (
            referral.documents.select_for_update(of=("self",))
            .filter(doc_type=CASE_SUMMARY, superseded_at=None)
            .first()
        )
        if current is None:
            document = document_issue(referral=referral, doc_type=CASE_SUMMARY, actor=actor, at=at)
        else:
            if current.is_rendering:
                raise IllegalTransition(_("The document is still being rendered."))
            current.superseded_at = at
            current.save(update_fields=["superseded_at"])
            document = Document(
                referral=referral,
                doc_type=CASE_SUMMARY,
                issuing_agency=current.issuing_agency,
                year=current.year,
                serial=current.serial,
                number=current.number,
                version=current.version + 1,
                replaces=current,
                reason="按打印时的案件记录重新生成",
                issued_by=actor,
                issued_at=at,
            )
            _save_waiting(document)
            _audit_document(document, "reissue_document", actor, request_id=request_id)
        documents_render_after_commit(document_ids=[document.pk])
    return document


def _check_may_correct(actor, document: Document) -> None:
    """The current, finished version, by those `permissions.may_correct_document` names (for
    a meeting's minutes: the convening agency, `meeting_access.may_run_meeting`)."""
    if document.meeting_id is not None:
        allowed = meeting_access.may_run_meeting(actor, document.meeting)
    else:
        allowed = permissions.may_correct_document(actor, document)
    if not allowed:
        raise PermissionDenied(_("Only the issuing agency's officers may correct this document."))
    if document.superseded_at is not None:
        raise IllegalTransition(_("Only the current version of a document can be corrected."))
    if document.is_rendering:
        raise IllegalTransition(_("The document is still being rendered."))


def document_render_retry(*, document_id: int, actor, request_id: str = "") -> Document:
    """Tries a failed rendering again, for those who may correct the document: the same
    version, number and verification code, queued for rendering after commit."""
    with transaction.atomic():
        referral_id = Document.objects.filter(pk=document_id).values_list("referral", flat=True)
        if not referral_id:
            raise NotFound(_("No such document."))
        access.referral_lock_for_user(user=actor, referral_id=referral_id[0])
        document = Document.objects.select_for_update(of=("self",)).get(pk=document_id)
        if not permissions.may_correct_document(actor, document):
            raise PermissionDenied(
                _("Only the issuing agency's officers may correct this document.")
            )
        if document.render_state != RenderState.FAILED or document.superseded_at is not None:
            raise IllegalTransition(
                _("Only a current document whose rendering failed can be rendered again.")
            )
        document.render_state, document.render_progress = RenderState.PENDING, 0
        document.save(update_fields=["render_state", "render_progress"])
        _audit_document(document, "retry_render_document", actor, at=now(), request_id=request_id)
        documents_render_after_commit(document_ids=[document.pk])
    return document


def documents_render_after_commit(*, document_ids: Iterable[int]) -> None:
    """Queues the rendering of each document once the caller's transaction commits: by id, as
    the render task may run in another process. Robust: a broker that cannot be reached leaves
    the document waiting (logged; requeued by `referral.requeue_document_renders`), never fails
    the committed step."""
    for document_id in document_ids:
        transaction.on_commit(partial(render_document.delay, document_id), robust=True)


def _save_waiting(document: Document) -> None:
    """Saves a new document with a fresh verification code, its PDF still to be rendered."""
    document.verification_code = _unused_verification_code()
    document.render_state, document.render_progress = RenderState.PENDING, 0
    document.save()


def _unused_verification_code() -> str:
    while True:
        code = new_verification_code()
        if not Document.objects.filter(verification_code=code).exists():
            return code


def _audit_document(document, action, actor, *, at=None, reason="", request_id="") -> None:
    referral = document.referral
    status = referral.status if referral is not None else ""
    payload = {"meeting": document.meeting_id} if document.meeting_id else {}
    audit_append(
        action=action,
        at=at or document.issued_at,
        actor=actor,
        referral=referral,
        from_status=status,
        to_status=status,
        reason=reason,
        payload={
            **payload,
            "document": document.pk,
            "doc_type": document.doc_type,
            "number": document.display_number,
            "version": document.version,
            "replaces": document.replaces_id,
            "verification_code": document.verification_code,
        },
        request_id=request_id,
    )
