"""The registry of statutory document types (DOMAIN.md §5.1–5.9).

Each type names its template, the short code used in document numbers (绵市监移〔2026〕3号 →
"移"), which side issues it, what it hangs on (a referral or a joint meeting) and the
lifecycle steps (transition method names in `referral/lifecycle.py`) at which it is issued.
"""

from dataclasses import dataclass
from typing import Literal

# "convener": the agency that convened the joint meeting a document belongs to.
IssuerSide = Literal["agency", "police", "procuratorate", "convener"]
Owner = Literal["referral", "meeting"]


@dataclass(frozen=True)
class DocumentType:
    code: str
    title: str
    template: str
    number_code: str
    issuer_side: IssuerSide
    issued_by_steps: tuple[str, ...]
    owner: Owner = "referral"


def _types(*items: DocumentType) -> dict[str, DocumentType]:
    return {item.code: item for item in items}


DOCUMENT_TYPES: dict[str, DocumentType] = _types(
    DocumentType(
        "transfer_letter",
        "涉嫌犯罪案件移送书",
        "documents/transfer_letter.html",
        "移",
        "agency",
        ("transfer",),
    ),
    DocumentType(
        "investigation_report_cover",
        "涉嫌犯罪案件情况的调查报告",
        "documents/investigation_report_cover.html",
        "调",
        "agency",
        ("transfer",),
    ),
    DocumentType(
        "seized_item_list",
        "涉案物品清单",
        "documents/seized_item_list.html",
        "物",
        "agency",
        ("transfer",),
    ),
    DocumentType(
        "filing_notice",
        "立案通知书",
        "documents/filing_notice.html",
        "立",
        "police",
        ("file_case", "reconsider_file", "file_as_ordered"),
    ),
    DocumentType(
        "non_filing_notice",
        "不予立案通知书",
        "documents/non_filing_notice.html",
        "不立",
        "police",
        ("decline_filing", "reconsider_uphold"),
    ),
    DocumentType(
        "reconsideration_request",
        "不立案决定提请复议书",
        "documents/reconsideration_request.html",
        "复",
        "agency",
        ("request_reconsideration",),
    ),
    DocumentType(
        "supervision_request",
        "立案监督建议书",
        "documents/supervision_request.html",
        "监",
        "agency",
        ("request_filing_supervision",),
    ),
    DocumentType(
        "explanation_requirement",
        "要求说明不立案理由通知书",
        "documents/explanation_requirement.html",
        "说",
        "procuratorate",
        ("request_explanation",),
    ),
    DocumentType(
        "notice_to_file",
        "通知立案书",
        "documents/notice_to_file.html",
        "通立",
        "procuratorate",
        ("order_filing",),
    ),
    DocumentType(
        "handover_list",
        "移交涉案物品清单",
        "documents/handover_list.html",
        "交",
        "agency",
        ("hand_over_items",),
    ),
    # Issued by referral.services.meetings.meeting_issue, not by a lifecycle step.
    DocumentType(
        "meeting_minutes",
        "联席会议纪要",
        "documents/meeting_minutes.html",
        "纪",
        "convener",
        (),
        owner="meeting",
    ),
)


def document_types_for_step(step_name: str) -> tuple[DocumentType, ...]:
    """The document types a lifecycle step issues, in registry order."""
    return tuple(t for t in DOCUMENT_TYPES.values() if step_name in t.issued_by_steps)
