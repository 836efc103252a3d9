"""Benchmark: rendering the three-page transfer letter (涉嫌犯罪案件移送书 with its receipt) with
WeasyPrint, beside LibreOffice converting an equivalent .docx to PDF in the same run.

    .venv/bin/python bench/documents.py [--runs 15] [--lo-runs 15] [--keep DIR]

Prints the median (and min/max) wall time of each path after warm-up, the PDF sizes and the
ratios, next to the issue's targets (<= 150 ms median, >= 10x faster than LibreOffice,
<= 150 KB). The .docx is built with python-docx (a dev dependency) from the same HTML the PDF
is rendered from: same text, fonts, sizes, A4 margins, QR code and page numbers in the footer.
LibreOffice is Debian's `libreoffice-writer`, run as `soffice --headless --convert-to pdf` once
per document (a fresh process each time, the way a conversion job calls it) with a profile made
during warm-up; if `soffice` is missing and the script runs as root, it installs
`libreoffice-writer` with apt-get and says so."""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
AT = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
NUMBER = "涪市监移〔2026〕3号"
CODE = "K7Q2M9X4TP"
VERIFY_URL = f"https://xianjie.example.cn/verify/{CODE}"
TARGET_MS, TARGET_RATIO, TARGET_KB = 150, 10, 150
FACTS = (
    "2026年1月8日，我局执法人员根据群众举报，依法对绵阳宝宝乐食品有限公司位于涪城区工业园区"
    "的生产车间进行现场检查，发现该公司正在生产标注为“婴幼儿辅助营养米粉”的预包装食品，现场"
    "存放成品1260盒、半成品原料约850千克。",
    "经抽样送检（检验报告编号JC2026-0113），涉案米粉铅含量超出食品安全国家标准规定限量。"
    "当事人共销售涉案产品3860盒，销售金额人民币86000.00元。",
)
ATTACHMENTS = (
    ("investigation_report", "涉嫌犯罪案件情况的调查报告.pdf"),
    ("item_list", "涉案物品清单.pdf"),
    ("test_report", "检验报告（编号JC2026-0113）.pdf"),
    ("other_materials", "现场检查笔录.pdf"),
    ("other_materials", "询问笔录（当事人）.pdf"),
    ("other_materials", "询问笔录（证人）.pdf"),
)


@dataclass(frozen=True)
class Measure:
    times_ms: list[float]
    size: int
    pages: int

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()


def letter_case():
    """The demo transfer letter's case with a full statement of facts and six attachments:
    three pages with the receipt."""
    from referral.documents import sample
    from referral.documents.context import AttachmentData

    case = sample.sample_case("transfer_letter", at=AT)
    return replace(
        case,
        facts="\n".join(FACTS),
        attachments=tuple(AttachmentData(kind, name) for kind, name in ATTACHMENTS),
    )


def letter_kwargs() -> dict:
    return {
        "number": NUMBER,
        "issued_at": AT,
        "verification_code": CODE,
        "verify_url": VERIFY_URL,
    }


def measure_weasyprint(case, runs: int, warmup: int) -> tuple[Measure, bytes]:
    from referral.documents import render

    times = []
    for index in range(warmup + runs):
        start = time.perf_counter()
        report = render.render_document_report("transfer_letter", case, **letter_kwargs())
        if index >= warmup:
            times.append((time.perf_counter() - start) * 1e3)
    return Measure(times, len(report.pdf), report.pages), report.pdf


# --- The equivalent .docx ---------------------------------------------------------------------


class _Blocks(HTMLParser):
    """Block-level text of the document HTML with the classes that style it (the page footer,
    the watermark and the seal label are left to the docx footer or left out)."""

    SKIP = {"page-footer", "watermark", "seal"}
    BLOCKS = {"h1", "h2", "p", "li", "div"}

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, set[str]]] = []
        self.blocks: list[tuple[str, set[str], str]] = []
        self.text: list[str] = []

    def _classes(self) -> set[str]:
        return set().union(*(classes for _, classes in self.stack)) if self.stack else set()

    def handle_starttag(self, tag, attrs):
        classes = set((dict(attrs).get("class") or "").split())
        if tag == "span" and "fill" in classes:
            self.text.append("________")
        if tag in self.BLOCKS:
            self._flush()
            self.stack.append((tag, classes))

    def handle_endtag(self, tag):
        if tag in self.BLOCKS and self.stack:
            self._flush()
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)

    def _flush(self):
        text = " ".join("".join(self.text).split())
        self.text = []
        classes = self._classes()
        if text and self.stack and not classes & self.SKIP:
            self.blocks.append((self.stack[-1][0], classes, text))


def letter_docx(case, path: Path) -> None:
    """The transfer letter as a .docx built from the HTML the PDF is rendered from."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    from referral.documents import render

    html = render.document_html("transfer_letter", case, **letter_kwargs())
    parser = _Blocks()
    parser.feed(html)
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(30), Mm(34)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _set_font(document.styles["Normal"], "Noto Serif CJK SC", Pt(14))
    for tag, classes, text in parser.blocks:
        paragraph = document.add_paragraph()
        run = paragraph.add_run(text)
        fmt = paragraph.paragraph_format
        fmt.space_after = Pt(0)
        size = 12 if classes & {"receipt", "basis"} else 14
        if tag == "h1" or "issuer" in classes or tag == "h2":
            run.bold = True
            size = 22 if tag == "h1" else 18
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif "number" in classes or classes & {"who", "who-date"}:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif "cut-line" in classes:
            run.text = f"- - - - - - - - {text} - - - - - - - -"
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            size = 9
        elif tag == "li":
            fmt.left_indent = Pt(28)
        elif tag == "p" and not classes & {"addressee", "flush", "contact", "basis"}:
            fmt.first_line_indent = Pt(28)
        run.font.size = Pt(size)
        fmt.line_spacing = Pt(size * 1.65)  # exactly, as the CSS line-height
    _footer(section, render.qr_data_uri(VERIFY_URL))
    document.save(path)


def _set_font(style, family, size) -> None:
    from docx.oxml.ns import qn

    style.font.name = family
    style.font.size = size
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), family)


def _footer(section, qr_uri: str) -> None:
    """QR code, verification code and 第 X 页 共 Y 页 (PAGE / NUMPAGES fields)."""
    import base64
    import io

    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    paragraph = section.footer.paragraphs[0]
    png = base64.b64decode(qr_uri.split(",", 1)[1])
    paragraph.add_run().add_picture(io.BytesIO(png), width=Mm(18), height=Mm(18))
    text = paragraph.add_run(f"  验证码 {CODE}  扫描二维码或访问 {VERIFY_URL} 核验      第 ")
    text.font.size = Pt(8)
    for field in ("PAGE", "NUMPAGES"):
        simple = OxmlElement("w:fldSimple")
        simple.set(qn("w:instr"), field)
        simple.append(OxmlElement("w:r"))
        paragraph._p.append(simple)
        tail = paragraph.add_run(" 页 共 " if field == "PAGE" else " 页")
        tail.font.size = Pt(8)


# --- LibreOffice ------------------------------------------------------------------------------


def ensure_soffice() -> str:
    found = shutil.which("soffice")
    if found:
        return found
    if os.geteuid() != 0:
        sys.exit("soffice is missing: install Debian's libreoffice-writer (as root).")
    print("soffice is missing: installing libreoffice-writer with apt-get (about a minute) ...")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "libreoffice-writer"],
        check=True,
        env=env,
    )
    return shutil.which("soffice") or sys.exit("libreoffice-writer installed but no soffice.")


def measure_libreoffice(soffice: str, docx: Path, runs: int, warmup: int) -> Measure:
    with tempfile.TemporaryDirectory(prefix="xj-lo-") as tmp:
        profile, out = Path(tmp) / "profile", Path(tmp) / "out"
        command = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(docx),
        ]
        times = []
        for index in range(warmup + runs):
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            if index >= warmup:
                times.append((time.perf_counter() - start) * 1e3)
        pdf = out / f"{docx.stem}.pdf"
        return Measure(times, pdf.stat().st_size, _pages(pdf)), pdf.read_bytes()


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True).stdout
    line = next(x for x in info.decode().splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def report(wp: Measure, lo: Measure, warmup: int, lo_warmup: int) -> None:
    def row(label, m: Measure):
        return (
            f"{label:<30}{m.median:>10.1f}{min(m.times_ms):>9.1f}{max(m.times_ms):>9.1f}"
            f"{len(m.times_ms):>6}{m.size / 1024:>10.1f}{m.pages:>7}"
        )

    print(f"Transfer letter with receipt; {warmup} / {lo_warmup} warm-up runs not counted.")
    print(f"{'':<30}{'median ms':>10}{'min':>9}{'max':>9}{'runs':>6}{'size KB':>10}{'pages':>7}")
    print(row("WeasyPrint (render_document)", wp))
    print(row("LibreOffice (docx -> pdf)", lo))
    ratio = lo.median / wp.median
    print(f"\nLibreOffice / WeasyPrint median time: {ratio:.1f}x")
    print(f"LibreOffice / WeasyPrint size:        {lo.size / wp.size:.2f}x\n")
    for label, ok, shown in (
        (f"median <= {TARGET_MS} ms", wp.median <= TARGET_MS, f"{wp.median:.1f} ms"),
        (f">= {TARGET_RATIO}x faster than LibreOffice", ratio >= TARGET_RATIO, f"{ratio:.1f}x"),
        (f"size <= {TARGET_KB} KB", wp.size <= TARGET_KB * 1024, f"{wp.size / 1024:.1f} KB"),
    ):
        print(f"target {label:<36} {shown:>10}  {'met' if ok else 'MISSED'}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="timed WeasyPrint renders")
    parser.add_argument("--lo-runs", type=int, default=15, help="timed LibreOffice conversions")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write both PDFs and the .docx here")
    args = parser.parse_args(argv)
    setup_django()
    from referral.documents.render import harfbuzz_subset_in_use

    soffice = ensure_soffice()
    case = letter_case()
    print(f"libharfbuzz-subset in use: {harfbuzz_subset_in_use()}; soffice: {soffice}")
    wp, wp_pdf = measure_weasyprint(case, args.runs, args.warmup)
    with tempfile.TemporaryDirectory(prefix="xj-docx-") as tmp:
        docx = Path(tmp) / "transfer_letter.docx"
        letter_docx(case, docx)
        lo, lo_pdf = measure_libreoffice(soffice, docx, args.lo_runs, 1)
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            shutil.copy(docx, args.keep / docx.name)
            (args.keep / "transfer_letter-weasyprint.pdf").write_bytes(wp_pdf)
            (args.keep / "transfer_letter-libreoffice.pdf").write_bytes(lo_pdf)
    report(wp, lo, args.warmup, 1)


if __name__ == "__main__":
    main()
