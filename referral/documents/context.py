"""What a document shows, as plain values: `CaseData` is built either from a stored referral
(`case_data_from_referral`, reads only) or from demo data (`sample.sample_case`), and the
templates see nothing else. Both paths therefore render through the same context."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from ..clock_rules import RULES
from ..models import AuditEvent
from .numbering import DEFAULT_NUMBER_PATTERN
from .types import DOCUMENT_TYPES, PRIVATE_TYPES


@dataclass(frozen=True)
class AgencyData:
    name: str  # the name documents are issued, addressed and sealed in (Agency.document_name)
    short_name: str
    unit_code: str = ""
    number_pattern: str = DEFAULT_NUMBER_PATTERN


@dataclass(frozen=True)
class PartyData:
    kind: str  # "person" | "unit"
    name: str
    id_number: str = ""
    legal_representative: str = ""
    phone: str = ""
    address: str = ""

    @property
    def kind_label(self) -> str:
        return "单位" if self.kind == "unit" else "自然人"

    @property
    def id_label(self) -> str:
        return "统一社会信用代码" if self.kind == "unit" else "身份证件号码"


@dataclass(frozen=True)
class ItemData:
    """One line of the seized-item list (DOMAIN.md §5.4)."""

    serial: int
    name: str
    quantity: Decimal
    unit: str
    specification: str = ""
    condition: str = ""
    origin: str = ""
    storage_location: str = ""
    custodian: str = ""
    seizure_document_number: str = ""
    seized_on: date | None = None
    sample_id: str = ""
    note: str = ""


@dataclass(frozen=True)
class AttachmentData:
    kind: str
    name: str


@dataclass(frozen=True)
class PenaltyData:
    decision_number: str
    decided_on: date
    measures: str
    fine_amount: Decimal | None = None


@dataclass(frozen=True)
class StepData:
    """The latest recorded run of a lifecycle step (from the audit trail)."""

    name: str
    at: datetime
    reason: str = ""
    actor_name: str = ""
    inputs: dict = field(default_factory=dict)  # the step's audited extra data


@dataclass(frozen=True)
class DocumentRef:
    """An issued document other documents cite by number and date."""

    doc_type: str
    number: str
    issued_at: datetime


@dataclass(frozen=True)
class ClockData:
    """A statutory clock as the case summary lists it."""

    label: str
    article: str
    started_at: datetime
    due_at: datetime
    state: str


@dataclass(frozen=True)
class FileEntry:
    """A line of the file index (卷宗目录): a document issued or a file uploaded."""

    title: str
    number: str
    at: datetime
    pages: int | None = None
    note: str = ""


@dataclass(frozen=True)
class CaseData:
    reference: str
    title: str
    suspected_charge: str
    facts: str
    agency: AgencyData
    police_agency: AgencyData | None = None
    procuratorate: AgencyData | None = None
    amount_involved: Decimal | None = None
    goods_value: Decimal | None = None
    sales_amount: Decimal | None = None
    case_source: str = ""
    investigation_process: str = ""
    coercive_measures: str = ""
    evidence_list: str = ""
    prosecution_standard: str = ""
    contact_phone: str = ""
    is_ip_case: bool = False
    case_officer: str = ""
    case_team: tuple[str, ...] = ()
    transferred_at: datetime | None = None
    procuratorate_copied_at: datetime | None = None
    filed_at: datetime | None = None
    items_handed_over_at: datetime | None = None
    parties: tuple[PartyData, ...] = ()
    items: tuple[ItemData, ...] = ()
    attachments: tuple[AttachmentData, ...] = ()
    penalties: tuple[PenaltyData, ...] = ()
    steps: dict[str, StepData] = field(default_factory=dict)
    documents: dict[str, DocumentRef] = field(default_factory=dict)
    # What the case summary (案件概况及卷宗目录) shows besides.
    status: str = ""
    charge_citation: str = ""
    discovered_on: date | None = None
    offence_place: str = ""
    clocks: tuple[ClockData, ...] = ()
    file_index: tuple[FileEntry, ...] = ()

    @property
    def party_names(self) -> str:
        return "、".join(p.name for p in self.parties) or "（当事人未录入）"

    def step(self, *names: str) -> StepData | None:
        """The latest run of any of `names`."""
        runs = [self.steps[n] for n in names if n in self.steps]
        return max(runs, key=lambda s: s.at) if runs else None

    def document(self, doc_type: str) -> DocumentRef | None:
        return self.documents.get(doc_type)


# Steps whose date or reason some document cites.
CITED_STEPS = (
    "submit_transfer_report",
    "approve_transfer",
    "transfer",
    "request_supplement",
    "forward_to_competent_police",
    "transfer_to_other_police",
    "withdraw_case",
    "issue_correction_notice",
    "chase_supervised_case",
    "demand_transfer",
    "reverse_transfer_after_non_prosecution",
    "record_non_prosecution",
    "propose_detention",
    "approve_detention_transfer",
    "sign_receipt",
    "file_case",
    "reconsider_file",
    "file_as_ordered",
    "decline_filing",
    "request_reconsideration",
    "reconsider_uphold",
    "request_filing_supervision",
    "accept_supervision_request",
    "request_explanation",
    "submit_explanation",
    "open_supervision",
    "order_filing",
    "report_overdue_decision",
    "correct_overdue_decision",
    "hand_over_items",
)


def agency_data(agency) -> AgencyData | None:
    if agency is None:
        return None
    return AgencyData(
        agency.document_name, agency.short_name, agency.unit_code, agency.document_number_pattern
    )


def _person(user) -> str:
    return (user.full_name or user.get_username()) if user is not None else ""


def case_data_from_referral(referral, *, as_of: datetime | None = None) -> CaseData:
    """Reads everything a document of `referral` may show (a handful of queries, no writes).
    With `as_of` (a document's time of issue) the steps and documents it cites are those of that
    moment: a document rendered after later steps still cites what it was issued upon."""

    steps: dict[str, StepData] = {}
    events = (
        AuditEvent.objects.filter(referral_id=referral.pk, action__in=CITED_STEPS)
        .select_related("actor")
        .order_by("seq")
    )
    documents = referral.documents.current()
    if as_of is not None:
        events = events.filter(created_at__lte=as_of)
        documents = referral.documents.filter(issued_at__lte=as_of).exclude(
            superseded_at__lte=as_of
        )
    for event in events:
        steps[event.action] = StepData(
            event.action, event.created_at, event.reason, _person(event.actor), event.payload or {}
        )
    return CaseData(
        reference=referral.reference,
        title=referral.title,
        suspected_charge=referral.suspected_charge,
        facts=referral.facts,
        agency=agency_data(referral.agency),
        police_agency=agency_data(referral.police_agency),
        procuratorate=agency_data(referral.procuratorate),
        amount_involved=referral.amount_involved,
        goods_value=referral.goods_value,
        sales_amount=referral.sales_amount,
        case_source=referral.case_source,
        investigation_process=referral.investigation_process,
        coercive_measures=referral.coercive_measures,
        evidence_list=referral.evidence_list,
        prosecution_standard=referral.prosecution_standard,
        contact_phone=referral.contact_phone,
        is_ip_case=referral.is_ip_case,
        case_officer=_person(referral.case_officer),
        case_team=tuple(_person(u) for u in referral.case_team.order_by("pk")),
        transferred_at=referral.transferred_at,
        procuratorate_copied_at=referral.procuratorate_copied_at,
        filed_at=referral.filed_at,
        items_handed_over_at=referral.items_handed_over_at,
        parties=tuple(
            PartyData(p.kind, p.name, p.id_number, p.legal_representative, p.phone, p.address)
            for p in referral.parties.all()
        ),
        items=tuple(_item(i) for i in referral.seized_items.order_by("serial")),
        attachments=tuple(
            AttachmentData(a.kind, a.original_name) for a in referral.attachments.all()
        ),
        penalties=tuple(
            PenaltyData(p.decision_number, p.decided_on, p.measures, p.fine_amount)
            for p in referral.penalties.all()
        ),
        steps=steps,
        documents={
            d.doc_type: DocumentRef(d.doc_type, d.number, d.issued_at)
            for d in documents.order_by("issued_at", "pk")
        },
        status=str(referral.get_status_display()),
        charge_citation=referral.charge_entry.citation if referral.charge_entry else "",
        discovered_on=referral.discovered_on,
        offence_place=referral.offence_place,
        clocks=_clocks(referral, as_of),
        file_index=_file_index(referral, as_of),
    )


def _clocks(referral, as_of) -> tuple[ClockData, ...]:
    clocks = referral.clocks.order_by("started_at", "pk")
    if as_of is not None:
        clocks = clocks.filter(started_at__lte=as_of)
    return tuple(
        ClockData(
            str(RULES[c.rule].label) if c.rule in RULES else c.rule,
            c.article,
            c.started_at,
            c.due_at,
            str(c.get_state_display()),
        )
        for c in clocks
    )


def _file_index(referral, as_of) -> tuple[FileEntry, ...]:
    """Every document issued on the referral (every version; not the summaries themselves)
    and every file uploaded and not removed, in the order they joined the file."""
    documents = referral.documents.exclude(doc_type__in=PRIVATE_TYPES)
    attachments = referral.attachments.all()
    if as_of is not None:
        documents = documents.filter(issued_at__lte=as_of)
        attachments = attachments.filter(uploaded_at__lte=as_of)
    entries = [
        FileEntry(
            DOCUMENT_TYPES[d.doc_type].title if d.doc_type in DOCUMENT_TYPES else d.doc_type,
            d.display_number,
            d.issued_at,
            note="已被更正版本取代" if d.superseded_at else "",
        )
        for d in documents
    ]
    entries += [
        FileEntry(
            f"{a.get_kind_display()}：{a.original_name}",
            "",
            a.uploaded_at,
            note=f"SHA-256 {a.sha256[:16]}…",
        )
        for a in attachments
    ]
    return tuple(sorted(entries, key=lambda e: e.at))


def _item(item) -> ItemData:
    return ItemData(
        serial=item.serial,
        name=item.name,
        quantity=item.quantity,
        unit=item.unit,
        specification=item.specification,
        condition=item.condition,
        origin=item.origin,
        storage_location=item.storage_location,
        custodian=item.custodian,
        seizure_document_number=item.seizure_document_number,
        seized_on=item.seized_on,
        sample_id=item.sample_id,
        note=item.note,
    )
