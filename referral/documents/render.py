"""Renders a statutory document to PDF: a Django template filled from `CaseData`, laid out by
WeasyPrint with the pinned Noto CJK fonts, a QR code and verification code on every page.
Rendering reads the referral and never writes the database."""

import io
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache

import segno
from django.template import Context, Engine
from django.utils.safestring import mark_safe
from fontTools.ttLib import TTFont
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from . import fonts
from .context import AgencyData, CaseData, case_data_from_referral
from .fetcher import DocumentURLFetcher, templates_dir
from .grounds import NON_FILING_GROUND_TEXT
from .minutes import MeetingData, meeting_data_from_meeting
from .numbering import format_number
from .types import DOCUMENT_TYPES, DocumentType

harfbuzz_subset_in_use = fonts.harfbuzz_subset_in_use

SAMPLE_SERIAL = "样"


@dataclass(frozen=True)
class UsedFont:
    """A font embedded in a rendered PDF."""

    pdf_name: str  # BaseFont with its subset prefix, as pdffonts prints it
    family: str
    postscript_name: str  # from the embedded font program
    missing: tuple[str, ...]  # characters drawn as .notdef boxes


@dataclass(frozen=True)
class RenderedDocument:
    pdf: bytes
    pages: int
    fonts: tuple[UsedFont, ...]
    fetched: tuple[str, ...]  # URLs the fetcher served


def render_document(
    doc_type: str,
    referral,
    *,
    number: str,
    issued_at: datetime,
    verification_code: str,
    verify_url: str,
    sample: bool = False,
    issuer: AgencyData | None = None,
) -> bytes:
    """PDF bytes of document `doc_type` for `referral` (a Referral or a `CaseData`); `issuer`
    is the agency that issued it (by default the one on its issuing side of the case)."""
    return render_document_report(
        doc_type,
        referral,
        number=number,
        issued_at=issued_at,
        verification_code=verification_code,
        verify_url=verify_url,
        sample=sample,
        issuer=issuer,
    ).pdf


def render_document_report(
    doc_type: str,
    referral,
    *,
    number: str,
    issued_at: datetime,
    verification_code: str,
    verify_url: str,
    sample: bool = False,
    issuer: AgencyData | None = None,
) -> "RenderedDocument":
    """Like `render_document`, with what went into the PDF: pages, embedded fonts (and any
    missing glyphs), the URLs fetched. `referral` is the document's owner: for a meeting's
    document (the minutes) a Meeting or a `MeetingData`."""
    if DOCUMENT_TYPES[doc_type].owner == "meeting":
        is_data = isinstance(referral, MeetingData)
        case = referral if is_data else meeting_data_from_meeting(referral)
    elif isinstance(referral, CaseData):
        case = referral
    else:
        case = case_data_from_referral(referral, as_of=issued_at)  # rendered after it was issued
    html = document_html(
        doc_type,
        case,
        number=number,
        issued_at=issued_at,
        verification_code=verification_code,
        verify_url=verify_url,
        sample=sample,
        issuer=issuer,
    )
    fetcher = DocumentURLFetcher(text=html + _stylesheet_text())
    document = HTML(
        string=html, base_url=templates_dir().as_uri() + "/", url_fetcher=fetcher
    ).render(font_config=FontConfiguration())
    pdf = document.write_pdf()
    return RenderedDocument(
        pdf=pdf,
        pages=len(document.pages),
        fonts=tuple(_used_font(font) for font in document.fonts.values()),
        fetched=tuple(fetcher.fetched),
    )


def document_html(
    doc_type: str,
    case: CaseData | MeetingData,
    *,
    number: str,
    issued_at: datetime,
    verification_code: str,
    verify_url: str,
    sample: bool = False,
    issuer: AgencyData | None = None,
) -> str:
    """The document's HTML (user text escaped by the template engine)."""
    doc = DOCUMENT_TYPES[doc_type]
    context = {
        "doc": doc,
        "case": case,
        "number": number,
        "issued_at": issued_at,
        "issuer": issuer or issuer_of(doc, case),
        "copies": copies_of(doc, case),
        "verification_code": verification_code,
        "verify_url": verify_url,
        "qr_uri": qr_data_uri(verify_url),
        "footer_text": (
            f"验证码 {verification_code}\n"
            f"扫描二维码或访问以下地址核验本文书是否真实、现行有效：\n{verify_url}"
        ),
        "font_css": mark_safe(fonts.font_face_css()),
        "sample": sample,
    }
    if isinstance(case, MeetingData):
        context["meeting"] = case
    else:
        step = case.step(*doc.issued_by_steps)
        context |= {
            "step": step,
            # The non-filing notice states the ground actually found (DOMAIN.md §9.5).
            "ground": NON_FILING_GROUND_TEXT.get(step.inputs.get("non_filing_ground"))
            if step
            else None,
            "case_line": f"{case.party_names}涉嫌{case.suspected_charge or '犯罪'}一案",
            "materials": transfer_materials(case),
            "test_reports": [a.name for a in case.attachments if a.kind == "test_report"],
        }
    return _engine().get_template(doc.template).render(Context(context))


# 《行政执法机关移送涉嫌犯罪案件的规定》第六条: the five items of a transfer, with the attachment
# kinds (referral.models.AttachmentKind) filed under each. The written transfer report to the
# head (transfer_report) is an internal record, not the investigation report (issue 9).
TRANSFER_MATERIALS = (
    ("涉嫌犯罪案件移送书", ()),
    ("涉嫌犯罪案件情况的调查报告", ("investigation_report",)),
    ("涉案物品清单", ("item_list",)),
    ("有关检验报告或者鉴定结论", ("test_report",)),
    ("其他有关涉嫌犯罪的材料", ("other_materials", "evidence", "supplement")),
)


def transfer_materials(case: CaseData) -> list[dict]:
    """The transfer package as the transfer letter lists it."""
    entries = []
    for index, (label, kinds) in enumerate(TRANSFER_MATERIALS):
        files = [a.name for a in case.attachments if a.kind in kinds]
        note = "本件" if index == 0 else ""
        if kinds == ("item_list",) and case.items:
            note = f"共{len(case.items)}项"
        if files:
            note = "、".join(filter(None, [note, f"{len(files)}份"]))
        entries.append({"label": label, "note": note, "files": files})
    return entries


def _side(case: CaseData, side: str):
    return {
        "agency": case.agency,
        "police": case.police_agency,
        "procuratorate": case.procuratorate,
    }[side]


def issuer_of(doc: DocumentType, case: CaseData | MeetingData):
    if isinstance(case, MeetingData):
        return case.convening_agency
    return _side(case, doc.issuer_side)


def copies_of(doc: DocumentType, case: CaseData | MeetingData) -> list[str]:
    """The 版记's 抄送 line: the agencies of the sides the type copies to, where there is one."""
    if doc.internal:
        return []
    return [agency.name for side in doc.copy_to if (agency := _side(case, side)) is not None]


def sample_number(doc_type: str, case: CaseData | MeetingData, year: int) -> str:
    """A number in the issuer's format that the real sequence never gives: 绵市监移〔2026〕样号."""
    doc = DOCUMENT_TYPES[doc_type]
    issuer = issuer_of(doc, case)
    if issuer is None:
        return f"{doc.number_code}〔{year}〕{SAMPLE_SERIAL}号"
    return format_number(
        issuer.number_pattern,
        short=issuer.short_name,
        unit=issuer.unit_code,
        code=doc.number_code,
        year=year,
        serial=SAMPLE_SERIAL,
    )


@lru_cache(maxsize=256)
def qr_data_uri(url: str) -> str:
    """The verification URL as a QR code in a PNG data URI, two pixels a module: about 16 mm
    wide at CSS's 96 px/in, drawn unsmoothed (`image-rendering: pixelated`). One image however
    many pages; an inline SVG would be parsed again for every page."""
    return segno.make(url, error="m").png_data_uri(scale=2, border=0)


@cache
def _engine() -> Engine:
    # A dedicated engine: autoescaping on, no request context processors, the document filters
    # built in, templates cached.
    from django.conf import settings

    return Engine(
        dirs=[str(settings.BASE_DIR / "templates")],
        autoescape=True,
        builtins=["referral.documents.filters"],
        debug=False,
    )


@cache
def _stylesheet_text() -> str:
    # Characters in the stylesheet (page counters, margin-box text) must be in the font subset.
    return (templates_dir() / "document.css").read_text(encoding="utf-8")


def _used_font(font) -> UsedFont:
    try:
        program = TTFont(io.BytesIO(font.file_content), lazy=True)
        postscript_name = program["name"].getDebugName(6) or ""
    except Exception:  # a font program fontTools cannot read names no font we pinned
        postscript_name = ""
    return UsedFont(
        pdf_name=font.name.decode().lstrip("/"),
        family=font.family,
        postscript_name=postscript_name,
        missing=tuple(sorted(chr(c) for c in font.missing)),
    )
