"""Rendering each statutory document from a referral driven to the step that issues it: the
text (title, number, parties, dates, articles), the fonts (embedded subsets of the pinned Noto
CJK SC faces, no missing glyph), the QR/verification code on every page, and PNGs of the pages
in artifacts/documents/ for a person to look at. Render times are measured by
bench/documents.py, never asserted here."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from referral import lifecycle
from referral.documents import render
from referral.documents.filters import cn_date
from referral.documents.types import DOCUMENT_TYPES
from referral.models import AuditEvent, Role, SeizedItem
from referral.services import referrals as case
from referral.services.errors import InvalidInput
from tests.factories import path_to

from .pdftools import font_problems, pdf_pages_text, save_pngs, squeeze

S = lifecycle.Status
CODE = "T3STK7QX9M"
VERIFY_URL = f"https://xianjie.test/verify/{CODE}"

PARTIES = (
    {
        "kind": "unit",
        "name": "绵阳市涪城区味美调味品有限公司",
        "id_number": "91510703MA6ABCDE1X",
        "legal_representative": "赵立新",
    },
    {"kind": "person", "name": "钱德贵", "id_number": "510703198001011234"},
)
ITEMS = (
    ("辣椒油（散装）", "25千克/桶", "12", "桶"),
    ("罂粟壳粉末", "透明自封袋", "0.850", "千克"),
    ("生产记录本", "A5", "2", "本"),
)
SEIZED_ON = date(2026, 2, 27)
REASONS = {
    "decline_filing": "现有证据不能证明涉案辣椒油中检出的物质属于有毒、有害的非食品原料。",
    "request_reconsideration": "检验报告已确认涉案辣椒油含有罂粟碱，属于有毒、有害的非食品原料。",
    "request_filing_supervision": (
        "检验报告证明涉案食品含有罂粟碱，公安机关不予立案的理由不能成立。"
    ),
    "request_explanation": "移送材料显示涉案金额已达追诉标准，需要公安机关说明不立案理由。",
    "order_filing": "你局说明的不立案理由与检验报告的结论相矛盾，不能成立。",
    "reconsider_uphold": "经复议，检验报告不足以认定涉案物质为有毒、有害的非食品原料。",
    "report_overdue_decision": "公安机关自接受案件之日起已逾三十日未作出立案决定。",
}
DECREE = "《行政执法机关移送涉嫌犯罪案件的规定》"
CPL = "《中华人民共和国刑事诉讼法》"
SPP_RULES = "《人民检察院刑事诉讼规则》"
# doc type -> (state reached by the issuing step, what the text must cite); VIA forces a path
# through the usual route where the shortest one takes a side road.
VIA = {
    "urging_letter": (S.FILING_AS_ORDERED_PROPOSED, "file_as_ordered"),
    "correction_notice": (S.FILING_ORDERED, "issue_correction_notice"),
    "explanation_requirement": (S.FILING_SUPERVISION_REQUESTED, "accept_supervision_request"),
    "notice_to_file": (S.EXPLANATION_REQUESTED, "submit_explanation"),
}
EXPECTED = {
    "transfer_letter": (
        S.TRANSFERRED_AWAITING_RECEIPT,
        [
            "《中华人民共和国行政处罚法》第二十七条",
            f"{DECREE}第三条",
            f"{DECREE}第十二条",
            f"{DECREE}第八条",
            f"{DECREE}第六条",
            "涉嫌犯罪案件情况的调查报告",
            "有关检验报告或者鉴定结论",
            "其他有关涉嫌犯罪的材料",
            "回执",
            f"{DECREE}第七条",
            "接收人（签名）",
            "接收时间",
            "沿此线剪下",
        ],
    ),
    "investigation_report_cover": (
        S.TRANSFERRED_AWAITING_RECEIPT,
        [f"{DECREE}第三条、第五条", f"{DECREE}第六条", "涉嫌犯罪的事实", "专案组成员"],
    ),
    "seized_item_list": (
        S.TRANSFERRED_AWAITING_RECEIPT,
        [f"{DECREE}第四条", "第六条", "罂粟壳粉末", "0.85", "2026-02-27", "见证人（签名）"],
    ),
    "filing_notice": (
        S.FILED,
        [f"{CPL}第一百一十二条", f"{DECREE}第八条", f"{DECREE}第十二条", "决定立案侦查"],
    ),
    "non_filing_notice": (
        S.NOT_FILED,
        [f"{CPL}第一百一十二条", f"{DECREE}第八条", f"{DECREE}第九条", "三日内", "提请复议"],
    ),
    "reconsideration_request": (
        S.RECONSIDERATION_PENDING,
        [f"{DECREE}第九条第一款", "《公安机关办理刑事案件程序规定》第一百八十一条", "三日内"],
    ),
    "supervision_request": (
        S.FILING_SUPERVISION_REQUESTED,
        [f"{DECREE}第九条", f"{CPL}第一百一十三条", f"{SPP_RULES}第五百五十七条"],
    ),
    "explanation_requirement": (
        S.EXPLANATION_REQUESTED,
        [f"{CPL}第一百一十三条", f"{SPP_RULES}第五百五十九条、第五百六十条", "七日以内"],
    ),
    "notice_to_file": (
        S.FILING_ORDERED,
        [f"{CPL}第一百一十三条", f"{SPP_RULES}第五百六十一条、第五百六十三条", "十五日以内"],
    ),
    "transfer_approval_record": (
        S.TRANSFER_APPROVED,
        [f"{DECREE}第五条", "负责人审批意见", "同意移送", "不对外送达"],
    ),
    "reconsideration_decision": (
        S.RECONSIDERATION_UPHELD_NOT_FILED,
        [f"{DECREE}第九条第二款", "维持原不予立案决定", "建议人民检察院依法进行立案监督"],
    ),
    "forwarding_notice": (S.FORWARDED_TO_COMPETENT_AUTHORITY, [f"{DECREE}第七条", "转送"]),
    "supplement_notice": (
        S.MATERIALS_SUPPLEMENT_REQUESTED,
        ["《公安机关办理刑事案件程序规定》第一百八十条第二款", "三日以内"],
    ),
    "police_transfer_notice": (
        S.TRANSFER_TO_OTHER_POLICE_PROPOSED,
        ["《公安机关办理刑事案件程序规定》第一百八十四条"],
    ),
    "withdrawal_notice": (S.CASE_WITHDRAWN, ["《公安机关办理刑事案件程序规定》", "第一百八十九条"]),
    "correction_notice": (
        S.CORRECTION_NOTICE_ISSUED,
        [f"{SPP_RULES}第五百六十四条第一款", f"{CPL}第一百一十三条", "予以纠正"],
    ),
    "urging_letter": (S.FILED, [f"{SPP_RULES}第五百六十四条第三款", "书面告知本院"]),
    "procuratorial_opinion": (
        S.TRANSFER_DEMANDED,
        [f"{SPP_RULES}第五百五十七条第三款", "检察意见", "书面回复本院"],
    ),
    "detention_transfer_letter": (
        S.DETENTION_TRANSFERRED,
        ["《中华人民共和国食品安全法》第一百二十三条", "拘留"],
    ),
    "handover_list": (
        S.ITEMS_HANDED_OVER,
        [f"{DECREE}第十二条", "《中华人民共和国行政强制法》第二十一条", "接收人（签名）"],
    ),
}


# Steps taken once the referral stands in the state: chasing stays there; the police head's
# approval of a transfer returns to where the proposal came from, which a path cannot know.
EXTRA_STEP = {
    "police_transfer_notice": "transfer_to_other_police",
    "urging_letter": "chase_supervised_case",
}


def referral_with_history(world, state, via=(), extra=None):
    """A referral with two parties and three seized items, driven through the services into
    `state`; the steps that take a reason get the ones above."""
    kind, path = path_to(state, via)
    referral = world.new_referral(kind)
    officer = world.user("fc-msa", Role.CASE_OFFICER)
    with world.at():
        for party in PARTIES:
            case.party_add(referral_id=referral.pk, actor=officer, **party)
    for serial, (name, spec, quantity, unit) in enumerate(ITEMS, start=1):
        SeizedItem.objects.create(
            referral=referral,
            serial=serial,
            name=name,
            specification=spec,
            quantity=Decimal(quantity),
            unit=unit,
            seized_on=SEIZED_ON,
            storage_location="局涉案物品仓库",
        )
    path = [*path, extra] if extra else list(path)
    for name in path:
        world.do(referral, name, **({"reason": REASONS[name]} if name in REASONS else {}))
    referral.refresh_from_db()
    return referral, path


def _step_date(referral, name):
    event = AuditEvent.objects.filter(referral=referral, action=name).order_by("-seq").first()
    return cn_date(event.created_at)


def _cited_dates(doc_type, referral) -> list[str]:
    """Dates of earlier steps the document must state."""
    if doc_type in ("filing_notice", "non_filing_notice", "reconsideration_request"):
        return [cn_date(referral.transferred_at)]
    if doc_type == "supervision_request":
        return [cn_date(referral.transferred_at), _step_date(referral, "decline_filing")]
    if doc_type in ("explanation_requirement", "notice_to_file"):
        return [_step_date(referral, "decline_filing")]
    if doc_type == "handover_list":
        return [cn_date(referral.filed_at)]
    return []


# The minutes hang on a meeting, not a referral: tests/referral/meetings/test_minutes_pdf.py.
# The case summary is printed on demand, at no step: tests/referral/documents/test_case_summary.py.
REFERRAL_TYPES = [
    code for code, doc in DOCUMENT_TYPES.items() if doc.owner == "referral" and doc.issued_by_steps
]


@pytest.mark.parametrize("doc_type", REFERRAL_TYPES)
def test_document_renders_from_the_referral_with_its_data_and_legal_basis(world, doc_type):
    doc = DOCUMENT_TYPES[doc_type]
    state, citations = EXPECTED[doc_type]
    referral, path = referral_with_history(
        world, state, VIA.get(doc_type, ()), EXTRA_STEP.get(doc_type)
    )
    assert path[-1] in doc.issued_by_steps  # the state is the one the document is issued in
    number = f"测试{doc.number_code}〔2026〕7号"
    issued_at = world.t

    report = render.render_document_report(
        doc_type,
        referral,
        number=number,
        issued_at=issued_at,
        verification_code=CODE,
        verify_url=VERIFY_URL,
    )

    pages = pdf_pages_text(report.pdf)
    text = "".join(pages)
    assert len(pages) == report.pages >= 1
    expected = [
        doc.title,
        number,
        cn_date(issued_at),
        *citations,
        *_cited_dates(doc_type, referral),
    ]
    expected += [p["name"] for p in PARTIES]
    for step_name in path:
        if step_name in REASONS and step_name in doc.issued_by_steps:
            expected.append(REASONS[step_name])
    issuer = render.issuer_of(doc, render.case_data_from_referral(referral))
    expected.append(issuer.name)
    missing = [s for s in expected if squeeze(s) not in text]
    assert not missing, f"{doc_type}: not in the PDF text: {missing}"
    for page in pages:  # QR code and verification code in every page's footer
        assert CODE in page and VERIFY_URL in page
    assert "SAMPLE" not in text
    assert font_problems(report.pdf, report) == []
    assert save_pngs(report.pdf, doc_type)


def _render_text(world, doc_type, referral) -> str:
    pdf = render.render_document(
        doc_type,
        referral,
        number="测试〔2026〕9号",
        issued_at=world.t,
        verification_code=CODE,
        verify_url=VERIFY_URL,
    )
    return "".join(pdf_pages_text(pdf))


def test_non_filing_upheld_on_reconsideration_points_to_supervision_only(world):
    referral, _ = referral_with_history(world, S.RECONSIDERATION_UPHELD_NOT_FILED)
    text = _render_text(world, "reconsideration_decision", referral)
    for expected in (
        "复议决定通知书",
        "维持原不予立案决定",
        REASONS["reconsider_uphold"],
        f"{DECREE}第九条第二款",
        "建议人民检察院依法进行立案监督",
    ):
        assert squeeze(expected) in text
    assert "提请复议。" not in text.split("理由如下")[-1]  # no second reconsideration offered


def test_notice_to_file_after_an_overdue_decision_cites_the_overdue_rule(world):
    referral, path = referral_with_history(world, S.FILING_ORDERED)
    assert "report_overdue_decision" in path and "decline_filing" not in path
    text = _render_text(world, "notice_to_file", referral)
    for expected in (
        "逾期未作出是否立案的决定",
        f"{SPP_RULES}第五百六十二条",
        REASONS["order_filing"],
    ):
        assert squeeze(expected) in text
    assert "决定不予立案" not in text


def test_rendering_reads_the_database_and_never_writes_it(world):
    referral, _ = referral_with_history(world, S.FILED)
    with CaptureQueriesContext(connection) as queries:
        render.render_document(
            "filing_notice",
            referral,
            number="测试立〔2026〕1号",
            issued_at=world.t,
            verification_code=CODE,
            verify_url=VERIFY_URL,
        )
    statements = [q["sql"].lstrip().split()[0].upper() for q in queries.captured_queries]
    assert statements and set(statements) == {"SELECT"}


def test_documents_cite_earlier_documents_by_their_issued_number(world):
    """The filing notice names the transfer letter the agency was issued at the transfer."""
    referral, _ = referral_with_history(world, S.FILED)
    letter = referral.documents.current().get(doc_type="transfer_letter")
    pdf = render.render_document(
        "filing_notice",
        referral,
        number="测试立〔2026〕2号",
        issued_at=world.t,
        verification_code=CODE,
        verify_url=VERIFY_URL,
    )
    assert squeeze(f"以{letter.number}《涉嫌犯罪案件移送书》") in "".join(pdf_pages_text(pdf))


def test_transfer_package_prints_the_particulars_and_keeps_approvals_internal(world):
    """DOMAIN.md §9.5: suspects' particulars, 货值金额 and 生产/销售金额 apart, coercive measures,
    the 追诉标准 provision, contact phone, 抄送 the procuratorate in the 版记 (310 art 6); the
    investigation report never prints the internal approval block; the approval record does."""
    referral, _ = referral_with_history(world, S.TRANSFERRED_AWAITING_RECEIPT)
    referral.goods_value, referral.sales_amount = Decimal("86000"), Decimal("34400")
    referral.coercive_measures = "依法扣押涉案辣椒油12桶。"
    referral.prosecution_standard = "《中华人民共和国刑法》第一百四十四条"
    referral.case_source, referral.contact_phone = "群众举报", "0816-2222333"
    referral.evidence_list = "现场检查笔录；检验报告"
    referral.save()

    letter = _render_text(world, "transfer_letter", referral)
    for expected in (
        "统一社会信用代码：91510703MA6ABCDE1X",
        "法定代表人：赵立新",
        "身份证件号码：510703198001011234",
        "货值金额：人民币86,000.00元",
        "生产、销售金额：人民币34,400.00元",
        "依法扣押涉案辣椒油12桶",
        "《中华人民共和国刑法》第一百四十四条",
        "联系电话：0816-2222333",
        f"抄送：{referral.procuratorate.name}。",
        "印发",
    ):
        assert squeeze(expected) in letter, expected

    report = _render_text(world, "investigation_report_cover", referral)
    for expected in ("案件来源：群众举报", "依法扣押涉案辣椒油12桶", "现场检查笔录；检验报告"):
        assert squeeze(expected) in report, expected
    assert "审批意见" not in report  # internal opinions never go to another agency

    record = _render_text(world, "transfer_approval_record", referral)
    assert "负责人审批意见" in record and "不对外送达" in record and "抄送" not in record


def test_police_documents_bear_the_organs_name_not_the_units(world):
    police = world.agencies["fc-police"]
    police.issuing_name = "绵阳市公安局涪城区分局"
    police.save()
    referral, _ = referral_with_history(world, S.FILED)
    text = _render_text(world, "filing_notice", referral)
    assert squeeze("绵阳市公安局涪城区分局") in text
    assert police.name not in text  # the internal unit neither issues nor seals
    assert squeeze(f"{referral.agency.name}：") in text  # addressed to the transferring agency


@pytest.mark.parametrize(
    ("ground", "printed", "not_printed"),
    [
        ("trivial", "犯罪事实显著轻微，不需要追究刑事责任", "没有犯罪事实"),
        ("no_criminal_facts", "没有犯罪事实", "显著轻微"),
    ],
)
def test_non_filing_notice_states_the_ground_actually_found(world, ground, printed, not_printed):
    referral, _ = referral_with_history(world, S.RECEIVED_BY_POLICE)
    world.do(referral, "propose_non_filing")  # the police head approves it (MPS rules art. 178)
    world.do(referral, "decline_filing", reason=REASONS["decline_filing"], non_filing_ground=ground)
    text = _render_text(world, "non_filing_notice", referral)
    assert squeeze(f"我局认为{printed}") in text
    assert not_printed not in text  # the other statutory alternative is never printed


def test_an_unknown_non_filing_ground_is_refused(world):
    referral, _ = referral_with_history(world, S.RECEIVED_BY_POLICE)
    world.do(referral, "propose_non_filing")
    with pytest.raises(InvalidInput):
        world.do(referral, "decline_filing", reason="理由", non_filing_ground="guess")
