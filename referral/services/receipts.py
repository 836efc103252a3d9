"""The police's receipt checklist: at the receipt (sign_receipt), each of the five items the
transfer must carry (《行政执法机关移送涉嫌犯罪案件的规定》第六条) marked complete or missing.
Written by the step gate inside the step; a missing item is what the police's request for
supplementary materials (request_supplement, MPS rules art. 180(2)) asks for."""

from django.utils.translation import gettext_lazy as _

from ..lifecycle import MANDATORY_TRANSFER_ATTACHMENTS
from ..models import ReceiptChecklist, ReceiptMark
from .errors import InvalidInput


def receipt_checklist_check(items: dict[str, str]) -> dict[str, str]:
    """The checklist in the order of art. 6; InvalidInput unless every item, and nothing else,
    is marked complete or missing."""
    kinds = [str(kind) for kind in MANDATORY_TRANSFER_ATTACHMENTS]
    if set(items) != set(kinds) or not set(items.values()) <= set(ReceiptMark.values):
        raise InvalidInput(_("Mark each of the five items of the transfer as complete or missing."))
    return {kind: items[kind] for kind in kinds}


def receipt_checklist_record(*, referral, actor, at, items: dict[str, str]) -> ReceiptChecklist:
    return ReceiptChecklist.objects.create(
        referral=referral,
        police_agency_id=referral.police_agency_id,
        signed_by=actor,
        signed_at=at,
        items=receipt_checklist_check(items),
    )


def missing_items(checklist: ReceiptChecklist | None) -> list[str]:
    """The kinds marked missing, in the order of art. 6."""
    if checklist is None:
        return []
    return [kind for kind, mark in checklist.items.items() if mark == ReceiptMark.MISSING]
