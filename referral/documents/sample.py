"""Sample documents for template designers: `CaseData` built in memory from the demo fixtures
(`fixtures/demo_referrals.json`, `fixtures/agencies.json`), never from or into the database."""

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from ..timeutil import now
from .context import (
    AgencyData,
    AttachmentData,
    CaseData,
    DocumentRef,
    ItemData,
    PartyData,
    StepData,
)
from .minutes import MeetingData, sample_meeting
from .numbering import DEFAULT_NUMBER_PATTERN, format_number
from .types import DOCUMENT_TYPES

SAMPLE_REASON = "（样本）经审查，依据现有证据作出本决定，具体理由以正式文书为准。"
SAMPLE_CASE_SOURCE = "（样本）群众举报"
SAMPLE_INVESTIGATION = "（样本）立案后现场检查、抽样检验、询问当事人并调取购销记录。"
SAMPLE_COERCIVE_MEASURES = "（样本）对涉案物品依法实施扣押（扣押决定书见《涉案物品清单》）。"
SAMPLE_EVIDENCE = "（样本）现场检查笔录；询问笔录；检验报告；购销记录。"
SAMPLE_PHONE = "0816-0000000"
SAMPLE_INPUTS = {"decline_filing": {"non_filing_ground": "no_criminal_facts"}}
# Officers of the demo agencies (fixtures/demo_users.json) by agency prefix.
SAMPLE_OFFICERS = ("张明", "李娜")
SAMPLE_ITEMS = (
    ("辣椒油（散装）", "塑料桶装，25千克/桶", "12", "桶", "红色油状液体，桶身无标签"),
    ("辣椒油（瓶装）", "玻璃瓶，500毫升/瓶，批号20260108", "360", "瓶", "标签标注“秘制红油”"),
    ("罂粟壳粉末", "透明自封袋", "0.85", "千克", "褐色粉末，已抽样送检"),
    ("调味原料（混合）", "编织袋", "6", "袋", "袋内为干辣椒及香料"),
    ("生产记录本", "A5笔记本", "2", "本", "记载2025年10月至2026年1月生产数量"),
    ("电子秤", "最大称量30千克", "1", "台", "作案工具"),
)
# Transfer attachments as the demo seeds them (referral.demo.TRANSFER_ITEMS).
SAMPLE_ATTACHMENTS = (
    ("test_report", "检验报告（编号JC2026-0113）.pdf"),
    ("other_materials", "现场检查笔录.pdf"),
    ("other_materials", "询问笔录（当事人）.pdf"),
)


def _fixtures() -> Path:
    return Path(settings.BASE_DIR) / "fixtures"


def _agencies() -> dict[str, AgencyData]:
    rows = json.loads((_fixtures() / "agencies.json").read_text(encoding="utf-8"))
    return {
        row["fields"]["code"]: AgencyData(
            row["fields"].get("issuing_name") or row["fields"]["name"],
            row["fields"]["short_name"],
            row["fields"].get("unit_code", ""),
            row["fields"].get("document_number_pattern", DEFAULT_NUMBER_PATTERN),
        )
        for row in rows
        if row["model"] == "referral.agency"
    }


def _steps_of(spec) -> list[tuple[str, int]]:
    return [
        (item, 3) if isinstance(item, str) else (item["step"], item.get("after_hours", 3))
        for item in spec["steps"]
    ]


def sample_spec(doc_type: str) -> dict:
    """The demo referral that has gone furthest through one of the steps issuing `doc_type`
    (or, for a step no demo case takes, the one with the longest history)."""
    specs = json.loads((_fixtures() / "demo_referrals.json").read_text(encoding="utf-8"))
    steps = set(DOCUMENT_TYPES[doc_type].issued_by_steps)
    matching = [s for s in specs if steps & {name for name, _ in _steps_of(s)}]
    candidates = matching or [s for s in specs if s["kind"] == "criminal_transfer"]
    return max(candidates, key=lambda s: len(s["steps"]))


def sample_owner(doc_type: str, *, at: datetime | None = None) -> CaseData | MeetingData:
    """What a sample of `doc_type` is drawn from: a demo case, or for the minutes a demo
    meeting."""
    if DOCUMENT_TYPES[doc_type].owner == "meeting":
        return sample_meeting(at=at or now(), agencies=_agencies())
    return sample_case(doc_type, at=at)


def sample_case(doc_type: str, *, at: datetime | None = None) -> CaseData:
    """An unsaved case for `doc_type` from the demo data; its history is replayed in time the
    way `referral.demo.seed_referral` does, with every issuing step a sample might cite."""
    spec = sample_spec(doc_type)
    at = at or now()
    agencies = _agencies()
    prefix = spec["agency"]
    moment = at - timedelta(days=spec["days_ago"])
    steps: dict[str, StepData] = {}
    for name, hours in _steps_of(spec):
        moment += timedelta(hours=hours)
        steps[name] = StepData(
            name, min(moment, at), SAMPLE_REASON, SAMPLE_OFFICERS[0], SAMPLE_INPUTS.get(name, {})
        )
    for name in DOCUMENT_TYPES[doc_type].issued_by_steps[:1]:
        steps.setdefault(
            name, StepData(name, at, SAMPLE_REASON, SAMPLE_OFFICERS[0], SAMPLE_INPUTS.get(name, {}))
        )
    party = spec["party"]
    transferred = steps.get("transfer")
    filed = next(
        (steps[n] for n in ("file_case", "reconsider_file", "file_as_ordered") if n in steps), None
    )
    handed = steps.get("hand_over_items")
    return CaseData(
        reference="XJ-样本",
        title=spec["title"],
        suspected_charge=spec["suspected_charge"],
        facts=spec["facts"],
        agency=agencies[f"{prefix}-msa"],
        police_agency=agencies.get(f"{prefix}-police"),
        procuratorate=agencies.get(f"{prefix}-proc"),
        amount_involved=_amount(spec.get("amount_involved")),
        goods_value=_amount(spec.get("goods_value")),
        sales_amount=_amount(spec.get("sales_amount")),
        case_source=spec.get("case_source", SAMPLE_CASE_SOURCE),
        investigation_process=spec.get("investigation_process", SAMPLE_INVESTIGATION),
        coercive_measures=spec.get("coercive_measures", SAMPLE_COERCIVE_MEASURES),
        evidence_list=spec.get("evidence_list", SAMPLE_EVIDENCE),
        prosecution_standard=spec.get("prosecution_standard", ""),
        contact_phone=spec.get("contact_phone", SAMPLE_PHONE),
        is_ip_case=spec["is_ip_case"],
        case_officer=SAMPLE_OFFICERS[0],
        case_team=SAMPLE_OFFICERS,
        transferred_at=transferred.at if transferred else None,
        procuratorate_copied_at=transferred.at if transferred else None,
        filed_at=filed.at if filed else None,
        items_handed_over_at=handed.at if handed else None,
        parties=(
            PartyData(
                kind=party["kind"],
                name=party["name"],
                id_number=party.get("id_number", ""),
                legal_representative=party.get("legal_representative", ""),
            ),
        ),
        items=sample_items(spec, moment.date()),
        attachments=tuple(AttachmentData(kind, name) for kind, name in SAMPLE_ATTACHMENTS),
        steps=steps,
        documents=_sample_refs(steps, agencies, prefix, at.year),
    )


def _amount(value) -> Decimal | None:
    return Decimal(value) if value else None


def sample_items(spec: dict, seized_on: date) -> tuple[ItemData, ...]:
    rows = spec.get("seized_items") or [
        {"name": n, "specification": s, "quantity": q, "unit": u, "condition": c}
        for n, s, q, u, c in SAMPLE_ITEMS
    ]
    return tuple(
        ItemData(
            serial=index,
            name=row["name"],
            quantity=Decimal(str(row["quantity"])),
            unit=row["unit"],
            specification=row.get("specification", ""),
            condition=row.get("condition", ""),
            origin=row.get("origin", spec["party"]["name"] + "经营场所"),
            storage_location=row.get("storage_location", "涉案物品仓库"),
            custodian=row.get("custodian", SAMPLE_OFFICERS[1]),
            seizure_document_number=row.get("seizure_document_number", "（样本）扣押决定书"),
            seized_on=seized_on,
            sample_id=row.get("sample_id", ""),
            note=row.get("note", ""),
        )
        for index, row in enumerate(rows, start=1)
    )


def _sample_refs(steps, agencies, prefix, year) -> dict[str, DocumentRef]:
    """Sample numbers for the documents a sample cites, so none looks like a real one."""
    sides = {"agency": "msa", "police": "police", "procuratorate": "proc"}
    refs = {}
    for doc in DOCUMENT_TYPES.values():
        run = max(
            (steps[n] for n in doc.issued_by_steps if n in steps),
            key=lambda s: s.at,
            default=None,
        )
        if run is None:
            continue
        issuer = agencies.get(f"{prefix}-{sides[doc.issuer_side]}")
        number = format_number(
            issuer.number_pattern if issuer else DEFAULT_NUMBER_PATTERN,
            short=issuer.short_name if issuer else "",
            unit=issuer.unit_code if issuer else "",
            code=doc.number_code,
            year=year,
            serial="样",
        )
        refs[doc.code] = DocumentRef(doc.code, number, run.at)
    return refs
