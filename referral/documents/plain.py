"""A plain PDF of an issued document: one page listing its title, number, date of issue,
verification code and verification address, as text that `pdftotext` extracts. It takes
milliseconds where the statutory layout (render.py, WeasyPrint) takes a third of a second, and
is what the test suite renders (`XIANJIE_DOCUMENT_RENDERER` in config/settings/test.py): most
tests need a frozen, verifiable PDF, not its layout. Never for real documents: the page says so.

The text is drawn in a non-embedded CID font whose codes are the Unicode code points, with a
ToUnicode map, so Chinese text needs no font file and still extracts."""

from datetime import datetime

from django.utils import timezone

from .types import DOCUMENT_TYPES

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
FONT_SIZE, LEADING, MARGIN = 12, 20, 56
NOTICE = "（简易排版，仅用于测试与开发，不是正式文书）"


def render_plain_pdf(
    doc_type: str,
    referral,
    *,
    number: str,
    issued_at: datetime,
    verification_code: str,
    verify_url: str,
    sample: bool = False,
    issuer=None,
) -> bytes:
    """The same signature as `render.render_document`; `referral` is not read."""
    lines = [
        DOCUMENT_TYPES[doc_type].title,
        number,
        timezone.localtime(issued_at).strftime("%Y-%m-%d %H:%M"),
        f"验证码 {verification_code}",
        verify_url,
        NOTICE,
    ]
    return plain_pdf(lines)


def plain_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with `lines` of text (Basic Multilingual Plane characters)."""
    text = [line.encode("utf-16-be", "replace").hex().upper() for line in lines]
    content = f"BT /F1 {FONT_SIZE} Tf {LEADING} TL {MARGIN} {PAGE_HEIGHT - MARGIN} Td\n"
    content += "".join(f"<{hex_line}> Tj T*\n" for hex_line in text) + "ET\n"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}]"
        " /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type0 /BaseFont /XJPlain /Encoding /Identity-H"
        " /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        _stream(content),
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /XJPlain /CIDToGIDMap /Identity"
        " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
        " /FontDescriptor 8 0 R /DW 1000 >>",
        _stream(_to_unicode({code for line in lines for code in map(ord, line)})),
        "<< /Type /FontDescriptor /FontName /XJPlain /Flags 4 /FontBBox [0 -120 1000 880]"
        " /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
    ]
    return _assemble(objects)


def _to_unicode(codes: set[int]) -> str:
    """A CMap mapping each used two-byte code to the character with that code point."""
    codes = sorted(c for c in codes if c <= 0xFFFF)
    chunks = [codes[i : i + 100] for i in range(0, len(codes), 100)]  # at most 100 per block
    body = "".join(
        f"{len(chunk)} beginbfchar\n"
        + "".join(f"<{c:04X}> <{c:04X}>\n" for c in chunk)
        + "endbfchar\n"
        for chunk in chunks
    )
    return (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /XJPlain-UCS def /CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        f"{body}endcmap CMapName currentdict /CMap defineresource pop end end\n"
    )


def _stream(text: str) -> str:
    return f"<< /Length {len(text.encode('ascii'))} >>\nstream\n{text}endstream"


def _assemble(objects: list[str]) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("ascii")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode("ascii")
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode("ascii")
    return bytes(out)
