"""Poppler-based checks of rendered PDFs (pdftotext, pdffonts, pdftoppm) and the artifacts."""

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

ARTIFACTS = Path(settings.BASE_DIR) / "artifacts" / "documents"
PINNED_PDF_NAMES = {
    "XJ-Noto-Serif-CJK-SC",
    "XJ-Noto-Serif-CJK-SC-Bold",
    "XJ-Noto-Sans-CJK-SC",
    "XJ-HanaMin-B",
    "XJ-HanaMin-A",
}
PINNED_FACES = {
    "NotoSerifCJKsc-Regular",
    "NotoSerifCJKsc-Bold",
    "NotoSansCJKsc-Regular",
    "HanaMinB",
    "HanaMinA",
}


def _run(*args: str, data: bytes) -> str:
    return subprocess.run(args, input=data, capture_output=True, check=True).stdout.decode()


def pdf_pages_text(pdf: bytes) -> list[str]:
    """The text of each page, whitespace removed (pdftotext breaks Chinese lines anywhere)."""
    text = _run("pdftotext", "-enc", "UTF-8", "-", "-", data=pdf)
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [squeeze(page) for page in pages]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@dataclass(frozen=True)
class PdfFont:
    name: str
    type: str
    embedded: bool
    subset: bool
    unicode_map: bool


def pdf_fonts(pdf: bytes) -> list[PdfFont]:
    """The rows of `pdffonts` (it reads a file, not stdin)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as scratch:
        scratch.write(pdf)
        scratch.flush()
        out = subprocess.run(
            ["pdffonts", scratch.name], capture_output=True, check=True
        ).stdout.decode()
    rows = []
    for line in out.splitlines()[2:]:
        # name | type (may contain spaces) | encoding | emb | sub | uni | object ID
        match = re.match(
            r"^(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", line
        )
        assert match, f"unparsed pdffonts row: {line!r}"
        name, kind, _encoding, emb, sub, uni = match.groups()
        rows.append(PdfFont(name, kind, emb == "yes", sub == "yes", uni == "yes"))
    return rows


def font_problems(pdf: bytes, report) -> list[str]:
    """Everything wrong with the fonts of a rendered document: a font not embedded, not
    subset, not one of the pinned Noto CJK SC faces (a fontconfig fallback), or a glyph drawn
    as .notdef. Empty when the fonts are right."""
    problems = []
    for font in pdf_fonts(pdf):
        prefix, _, base = font.name.partition("+")
        if not (font.embedded and font.subset and font.unicode_map):
            problems.append(f"{font.name}: emb/sub/uni not all yes")
        if not re.fullmatch(r"[A-Z]{6}", prefix) or base not in PINNED_PDF_NAMES:
            problems.append(f"{font.name}: not a subset of a pinned font")
    for used in report.fonts:
        if used.postscript_name not in PINNED_FACES:
            problems.append(f"{used.pdf_name}: face {used.postscript_name!r} is not pinned")
        if used.missing:
            problems.append(f"{used.pdf_name}: missing glyphs {''.join(used.missing)!r}")
    return problems


def save_pngs(pdf: bytes, stem: str) -> list[Path]:
    """Page images for a person to look at: artifacts/documents/<stem>-<page>.png at 60 dpi."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{stem}-*.png"):
        old.unlink()
    (ARTIFACTS / f"{stem}.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(ARTIFACTS / f"{stem}.pdf"), str(ARTIFACTS / stem)],
        check=True,
    )
    return sorted(ARTIFACTS.glob(f"{stem}-*.png"))
