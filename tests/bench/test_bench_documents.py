"""Runs bench/documents.py's measuring steps once so the benchmark cannot rot: the WeasyPrint
render of the letter it times, the equivalent .docx it hands LibreOffice, and one conversion.
Timings are never asserted."""

import shutil
import subprocess

import pytest

from bench.documents import (
    CODE,
    NUMBER,
    letter_case,
    letter_docx,
    measure_libreoffice,
    measure_weasyprint,
)


@pytest.fixture(scope="module")
def case():
    return letter_case()


def _text(pdf_path):
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, check=True
    ).stdout.decode()


def test_bench_letter_is_the_three_page_transfer_letter(case, tmp_path):
    # Three pages since it prints the suspects' particulars, the amounts apart, the coercive
    # measures and the 版记 (DOMAIN.md §9.5), before the tear-off receipt.
    measure, pdf = measure_weasyprint(case, runs=1, warmup=0)
    (tmp_path / "letter.pdf").write_bytes(pdf)

    assert measure.pages == 3 and len(measure.times_ms) == 1 and measure.size == len(pdf)
    text = _text(tmp_path / "letter.pdf")
    assert "涉嫌犯罪案件移送书" in text and NUMBER in text and CODE in text


def test_bench_docx_carries_the_same_letter_to_libreoffice(case, tmp_path):
    docx = tmp_path / "transfer_letter.docx"
    letter_docx(case, docx)
    from docx import Document

    body = "\n".join(p.text for p in Document(docx).paragraphs)
    assert "涉嫌犯罪案件移送书" in body and "回执" in body and NUMBER in body
    soffice = shutil.which("soffice")
    if soffice:  # LibreOffice is installed for the benchmark only, not by bin/setup.sh
        measure, pdf = measure_libreoffice(soffice, docx, runs=1, warmup=0)
        (tmp_path / "lo.pdf").write_bytes(pdf)
        assert measure.pages >= 2 and "涉嫌犯罪案件移送书" in _text(tmp_path / "lo.pdf")
