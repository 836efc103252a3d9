"""Rendering is safe and its fonts are checked: the URL fetcher serves only the document
templates, the pinned fonts and data: URIs; user text is escaped and triggers no fetch;
HarfBuzz subsetting is in use; a fallback font or a missing glyph is detected; long item lists
paginate with their header repeated."""

from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from weasyprint import HTML

from referral.documents import fonts, render, sample
from referral.documents.context import ItemData, PartyData
from referral.documents.fetcher import DocumentURLFetcher, RefusedURL, templates_dir

from .pdftools import font_problems, pdf_pages_text, save_pngs, squeeze

AT = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
CODE = "S4FEC0DE77"


def _render(case, doc_type="transfer_letter"):
    return render.render_document_report(
        doc_type,
        case,
        number="测试移〔2026〕5号",
        issued_at=AT,
        verification_code=CODE,
        verify_url=f"https://xianjie.test/verify/{CODE}",
    )


def test_harfbuzz_subset_is_in_use():
    # Without libharfbuzz-subset WeasyPrint falls back to fontTools: seconds per Chinese page.
    assert render.harfbuzz_subset_in_use() is True


def test_user_text_is_escaped_and_fetches_nothing():
    hostile = (
        '<script>alert("x")</script><img src="http://127.0.0.1:9/track.png">'
        '<link rel="stylesheet" href="file:///etc/passwd">'
    )
    base = sample.sample_case("transfer_letter", at=AT)
    case = replace(
        base,
        facts=f"经查，当事人销售假冒食品。{hostile}",
        parties=(PartyData("person", '王某<b onload="x">'),),
    )
    html = render.document_html(
        "transfer_letter",
        case,
        number="测试移〔2026〕5号",
        issued_at=AT,
        verification_code=CODE,
        verify_url="https://xianjie.test/v",
    )
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert '<img src="http' not in html

    report = _render(case)

    text = "".join(pdf_pages_text(report.pdf))
    assert squeeze('<script>alert("x")</script>') in text  # shown as text
    assert squeeze('<img src="http://127.0.0.1:9/track.png">') in text
    assert squeeze('王某<b onload="x">') in text
    assert not [url for url in report.fetched if not url.startswith(("file:", "data:"))]
    assert "file:///etc/passwd" not in report.fetched


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.org/font.woff",
        "ftp://example.org/x",
        "file:///etc/passwd",
        "file://remote-host/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
        # Escapes the templates folder by .. and by percent-encoding.
        f"{templates_dir().as_uri()}/../../pyproject.toml",
        f"{templates_dir().as_uri()}/%2e%2e/%2e%2e/pyproject.toml",
    ],
)
def test_fetcher_refuses_everything_but_templates_fonts_and_data(url):
    with pytest.raises(RefusedURL):
        DocumentURLFetcher().fetch(url)


def test_fetcher_serves_templates_pinned_fonts_and_data_uris():
    fetcher = DocumentURLFetcher(text="移送书")
    css = fetcher.fetch(f"{templates_dir().as_uri()}/document.css")
    assert b"@page" in css.read()
    font = fetcher.fetch(fonts.PINNED_FONTS[0].url).read()
    assert font[:4] == b"OTTO" and len(font) < 200_000  # one face, cut to the text
    assert fetcher.fetch("data:text/plain;base64,b2s=").read() == b"ok"


def test_a_template_reaching_outside_aborts_the_rendering():
    html = '<html><body><img src="http://127.0.0.1:9/x.png"></body></html>'
    with pytest.raises(RefusedURL):
        HTML(string=html, url_fetcher=DocumentURLFetcher()).render()


def test_font_check_detects_a_glyph_the_pinned_fonts_lack():
    """The check the per-type tests rely on can fail: an emoji has no glyph in Noto CJK, so it
    is either drawn by a fallback font or as a .notdef box, and both are reported."""
    base = sample.sample_case("transfer_letter", at=AT)
    case = replace(base, facts="经查，当事人销售假冒食品😀。")
    report = _render(case)
    assert font_problems(report.pdf, report)


def test_pinned_fonts_are_the_simplified_chinese_faces():
    """Given the whole collection WeasyPrint would use the Japanese face (face 0)."""
    report = _render(sample.sample_case("transfer_letter", at=AT))
    assert {f.postscript_name for f in report.fonts} == {
        "NotoSerifCJKsc-Regular",
        "NotoSerifCJKsc-Bold",
        "NotoSansCJKsc-Regular",
    }


def test_a_long_item_list_paginates_with_its_header_on_every_page():
    base = sample.sample_case("seized_item_list", at=AT)
    items = tuple(
        ItemData(
            serial=n,
            name=f"涉案食品第{n}号",
            quantity=Decimal("2.5"),
            unit="千克",
            specification=f"批号2026{n:04d}",
            condition="外包装完好",
            storage_location="局涉案物品仓库",
        )
        for n in range(1, 81)
    )
    report = _render(replace(base, items=items), "seized_item_list")

    pages = pdf_pages_text(report.pdf)
    assert len(pages) >= 3
    for page in pages:
        assert CODE in page
    table_pages = [p for p in pages if "涉案食品第" in p]
    assert len(table_pages) >= 3
    for page in table_pages:
        assert squeeze("规格/批号") in page and squeeze("来源（查获地点/持有人）") in page
    text = "".join(pages)
    assert all(f"涉案食品第{n}号" in text for n in range(1, 81))
    assert "以上物品共80项" in text
    assert font_problems(report.pdf, report) == []
    save_pngs(report.pdf, "seized_item_list-80-items")
