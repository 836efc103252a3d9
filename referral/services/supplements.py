"""Supplements and corrections after transfer (补充材料 / 更正说明): the record as transferred
stays unchanged and each supplement is recorded beside it, audited, for every side that sees
the case (the police on the case page and the timeline)."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .. import permissions
from ..access import referral_lock_for_user
from ..lifecycle import AttachmentKind, Status
from ..models import CaseSupplement, SupplementKind, User
from ..timeutil import now
from .audit import audit_append
from .base import full_clean
from .errors import IllegalTransition, InvalidInput, PermissionDenied
from .referrals import attachment_store, attachment_summary, check_upload


def supplement_record(
    *,
    referral_id: int,
    actor: User,
    kind: str,
    subject: str,
    content: str,
    reason: str,
    file_name: str = "",
    file_data: bytes = b"",
    request_id: str = "",
) -> CaseSupplement:
    """Records a supplement or correction of a transferred case by the transferring agency's
    officers, with an optional file (kind "supplementary material")."""
    if kind not in SupplementKind.values:
        raise InvalidInput(_("Unknown kind of supplement."))
    if file_data:
        check_upload(kind=AttachmentKind.SUPPLEMENT, data=file_data)
    at = now()
    with transaction.atomic():
        referral = referral_lock_for_user(user=actor, referral_id=referral_id)
        if not permissions.may_edit_case_record(actor, referral):
            raise PermissionDenied(
                _("Only the transferring agency's officers may supplement the case record.")
            )
        if referral.transferred_at is None:
            raise IllegalTransition(
                _("The case has not been transferred: change the record itself.")
            )
        if referral.status == Status.CLOSED:
            raise IllegalTransition(_("The file is closed."))
        supplement = CaseSupplement(
            referral=referral,
            kind=kind,
            subject=(subject or "").strip(),
            content=(content or "").strip(),
            reason=(reason or "").strip(),
            agency_id=actor.agency_id,
            created_by=actor,
            created_at=at,
        )
        full_clean(supplement)
        supplement.save()
        files = []
        if file_data:
            attachment = attachment_store(
                referral=referral,
                actor=actor,
                kind=AttachmentKind.SUPPLEMENT,
                name=file_name or "supplement",
                data=file_data,
                supplement=supplement,
            )
            files.append(attachment_summary(attachment))
        audit_append(
            action="record_supplement",
            at=at,
            actor=actor,
            referral=referral,
            from_status=referral.status,
            to_status=referral.status,
            reason=supplement.reason,
            payload={
                "supplement": supplement.pk,
                "kind": kind,
                "subject": supplement.subject,
                "content": supplement.content,
                "files": files,
            },
            request_id=request_id,
        )
    return supplement
