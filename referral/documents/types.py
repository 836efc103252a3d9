"""The registry of statutory document types (DOMAIN.md §5.1–5.9, §9.5).

Each type names its template, the short code used in document numbers (绵市监移〔2026〕3号 →
"移"; police codes carry their 字: 涪公（食药）立字〔2026〕5号), which side issues it, what it hangs
on (a referral or a joint meeting), the lifecycle steps (transition method names in
`referral/lifecycle/`) at which it is issued, the sides its 版记 copies it to (抄送, GB/T
9704-2012 7.4.2) and whether it stays inside the issuing agency.
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
    copy_to: tuple[IssuerSide, ...] = ()
    # An internal record (the transfer approval form) is never sent: no addressee, no 版记, and
    # only it may show internal approval opinions (DOMAIN.md §9.5).
    internal: bool = False
    # Printed on demand by the issuing agency for itself (the case summary): shown and served to
    # that agency alone, never to another side of the referral (access.document_get_for_user).
    private: bool = False
    # Issued by the organ whose official takes the step, where the step moves the case away
    # from it: the police organ handing a case over tells the agency (MPS rules art. 184).
    by_acting_organ: bool = False


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
        copy_to=("procuratorate",),  # 310 art 6: 抄送同级人民检察院
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
        "立字",
        "police",
        ("file_case", "reconsider_file", "file_as_ordered"),
        copy_to=("procuratorate",),  # MPS 182(1): a filing under supervision goes to it
    ),
    DocumentType(
        "non_filing_notice",
        "不予立案通知书",
        "documents/non_filing_notice.html",
        "不立字",
        "police",
        ("decline_filing",),
        copy_to=("procuratorate",),  # so it can supervise (310 art 9, 14)
    ),
    DocumentType(
        "reconsideration_request",
        "不立案决定提请复议书",
        "documents/reconsideration_request.html",
        "复",
        "agency",
        ("request_reconsideration",),
        copy_to=("procuratorate",),
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
        copy_to=("agency",),
    ),
    DocumentType(
        "notice_to_file",
        "通知立案书",
        "documents/notice_to_file.html",
        "通立",
        "procuratorate",
        ("order_filing",),
        copy_to=("agency",),
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
    # Decree 310 art 5: the head's approval recorded on the agency's own form; never sent.
    DocumentType(
        "transfer_approval_record",
        "移送涉嫌犯罪案件审批表",
        "documents/transfer_approval_record.html",
        "审",
        "agency",
        ("approve_transfer",),
        internal=True,
    ),
    # The transferring agency's own print of its file: 案件概况 and 卷宗目录. Numbered in a
    # series of its own like every issued document (so a printout is verifiable), on demand
    # rather than at a step, internal and private.
    DocumentType(
        "case_summary",
        "案件概况及卷宗目录",
        "documents/case_summary.html",
        "概",
        "agency",
        (),
        internal=True,
        private=True,
    ),
    # Decree 310 art 9(2): the police's decision on the agency's reconsideration request.
    DocumentType(
        "reconsideration_decision",
        "复议决定通知书",
        "documents/reconsideration_decision.html",
        "复决字",
        "police",
        ("reconsider_file", "reconsider_uphold"),
        copy_to=("procuratorate",),
    ),
    # Decree 310 art 7: not competent, the police forward the case and tell the agency.
    DocumentType(
        "forwarding_notice",
        "移送案件告知书",
        "documents/forwarding_notice.html",
        "转字",
        "police",
        ("forward_to_competent_police",),
    ),
    # MPS 180(2): materials incomplete, the agency is told what to supply.
    DocumentType(
        "supplement_notice",
        "补充材料通知书",
        "documents/supplement_notice.html",
        "补字",
        "police",
        ("request_supplement",),
    ),
    # MPS 184: moved to another police organ, the agency is told in writing within 3 days.
    DocumentType(
        "police_transfer_notice",
        "移送案件通知书",
        "documents/police_transfer_notice.html",
        "移字",
        "police",
        ("transfer_to_other_police",),
        by_acting_organ=True,
    ),
    # MPS 189 (withdrawal of a filed case), the agency is told in writing.
    DocumentType(
        "withdrawal_notice",
        "撤销案件通知书",
        "documents/withdrawal_notice.html",
        "撤字",
        "police",
        ("withdraw_case",),
        copy_to=("procuratorate",),
    ),
    # SPP 564(1): the procuratorate's 纠正违法通知书 to police who do not file as notified; SPP
    # 562: its 纠正意见 on a decision the police let run overdue.
    DocumentType(
        "correction_notice",
        "纠正违法通知书",
        "documents/correction_notice.html",
        "纠违",
        "procuratorate",
        ("issue_correction_notice", "correct_overdue_decision"),
        copy_to=("agency",),
    ),
    # SPP 564(3): the 立案监督案件催办函.
    DocumentType(
        "urging_letter",
        "立案监督案件催办函",
        "documents/urging_letter.html",
        "催",
        "procuratorate",
        ("chase_supervised_case",),
    ),
    # SPP 557(3) (demand to transfer) and SPP 373 / CPL 177(3) (penalty after non-prosecution).
    DocumentType(
        "procuratorial_opinion",
        "检察意见书",
        "documents/procuratorial_opinion.html",
        "检意",
        "procuratorate",
        ("demand_transfer", "reverse_transfer_after_non_prosecution"),
    ),
    # Food Safety Law art 123: a case for administrative detention goes to the police.
    DocumentType(
        "detention_transfer_letter",
        "案件移送函",
        "documents/detention_transfer_letter.html",
        "拘移",
        "agency",
        ("approve_detention_transfer",),
    ),
)


def document_types_for_step(step_name: str) -> tuple[DocumentType, ...]:
    """The document types a lifecycle step issues, in registry order."""
    return tuple(t for t in DOCUMENT_TYPES.values() if step_name in t.issued_by_steps)


PRIVATE_TYPES = tuple(code for code, doc in DOCUMENT_TYPES.items() if doc.private)
