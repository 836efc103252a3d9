"""`manage.py render_document`: the list of types, and samples rendered from the demo fixtures
without a single database query, watermarked and numbered outside the real sequence."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from referral.documents import render, sample
from referral.documents.types import DOCUMENT_TYPES

from .pdftools import font_problems, pdf_fonts, pdf_pages_text, save_pngs, squeeze


def test_list_prints_every_type_with_its_chinese_title():
    out = StringIO()
    call_command("render_document", "--list", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == len(DOCUMENT_TYPES)
    for line, doc in zip(lines, DOCUMENT_TYPES.values(), strict=True):
        assert line.split() == [doc.code, doc.title]


@pytest.mark.parametrize("doc_type", list(DOCUMENT_TYPES))
def test_sample_renders_from_demo_data_without_touching_the_database(doc_type, tmp_path):
    # No `db` fixture: pytest-django fails any query this test would make.
    target = tmp_path / f"{doc_type}.pdf"
    call_command("render_document", "--sample", doc_type, "-o", str(target), stdout=StringIO())

    pdf = target.read_bytes()
    pages = pdf_pages_text(pdf)
    text = "".join(pages)
    doc = DOCUMENT_TYPES[doc_type]
    assert squeeze(doc.title) in text
    assert f"{doc.number_code}〔" in text and "〕样号" in text  # never a real serial
    assert all("SAMPLE" in page for page in pages)  # the watermark, on every page
    assert pdf_fonts(pdf) and not [f for f in pdf_fonts(pdf) if not (f.embedded and f.subset)]
    save_pngs(pdf, f"sample-{doc_type}")


def test_sample_of_an_unknown_type_is_refused(tmp_path):
    with pytest.raises(CommandError, match="Unknown document type"):
        call_command("render_document", "--sample", "nonsense", "-o", str(tmp_path / "x.pdf"))


def test_sample_needs_an_output_file():
    with pytest.raises(CommandError, match="-o OUT.pdf"):
        call_command("render_document", "--sample", "transfer_letter")


def test_sample_fonts_are_the_pinned_ones():
    case = sample.sample_case("transfer_letter")
    report = render.render_document_report(
        "transfer_letter",
        case,
        number=render.sample_number("transfer_letter", case, 2026),
        issued_at=case.transferred_at,
        verification_code="SAMPLE",
        verify_url="样本",
        sample=True,
    )
    assert font_problems(report.pdf, report) == []
