"""Issue 10: hidden characters in what officers type, and 生僻字 in the printed documents.

A right-to-left override (U+202E) in a party's name reversed the first paragraph of the 移送书;
an Extension B ideograph (𠀀) printed as a blank box."""

import unicodedata

import pytest

from referral.documents import render
from referral.models import AuditEvent, Party, Referral, Role, SeizedItem
from referral.services import referrals as case
from referral.services import seized_items
from referral.services.errors import InvalidInput
from referral.text import clean_text, invisible_characters
from tests.referral.documents.pdftools import (
    font_problems,
    pdf_fonts,
    pdf_pages_text,
    save_pngs,
    squeeze,
)

RLO, LRI, PDI, ZWSP = "\u202e", "\u2066", "\u2069", "\u200b"
E_ACUTE_DECOMPOSED = "e\u0301"  # NFC: é (U+00E9)
RARE = "𠀀"  # U+20000, CJK Extension B


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (f"钱{RLO}德贵", "钱德贵"),
        (f"钱{LRI}德贵{PDI}", "钱德贵"),
        (f"钱{ZWSP}德贵", "钱德贵"),
        (f"Jos{E_ACUTE_DECOMPOSED}", "Jos\u00e9"),
        (f"王{RARE}明", f"王{RARE}明"),
        ("张三\x00\x07", "张三"),
        ("\ufeff张三\u00ad", "张三"),
    ],
)
def test_clean_text_normalises_and_strips(typed, stored):
    assert clean_text(typed) == stored
    assert unicodedata.is_normalized("NFC", clean_text(typed))


def test_multiline_text_keeps_newlines_and_tabs_and_single_line_text_does_not():
    typed = "第一段\r\n\t第二段\u2028第三段"
    assert clean_text(typed) == "第一段\n\t第二段\n第三段"
    assert clean_text(typed, multiline=False) == "第一段 第二段 第三段"


def test_a_mark_separated_from_its_base_by_a_hidden_character_is_composed():
    assert clean_text(f"e{ZWSP}\u0301") == "\u00e9"


def test_invisible_characters_names_what_an_identifier_may_not_hold():
    assert invisible_characters(f"5107{RLO}03{ZWSP}") == ["U+202E", "U+200B"]
    assert invisible_characters("510703198001011234") == []


def test_services_store_cleaned_text_whatever_path_the_write_takes(world):
    referral = world.new_referral()
    officer = world.user("fc-msa", Role.CASE_OFFICER)
    with world.at():
        party = case.party_add(
            referral_id=referral.pk,
            actor=officer,
            kind="person",
            name=f"钱{RLO}德贵{ZWSP}",
            address=f"绵阳市{LRI}涪城区{PDI}\n临园路",
        )
        seized_items.seized_item_add(
            referral_id=referral.pk,
            actor=officer,
            name=f"辣椒油{RLO}散装",
            quantity=1,
            unit="桶",
            note=f"第一行{ZWSP}\n第二行",
        )
        case.referral_update_case(
            referral_id=referral.pk, actor=officer, facts=f"事实{RLO}一\r\n事实二"
        )
    party.refresh_from_db()
    assert (party.name, party.address) == ("钱德贵", "绵阳市涪城区 临园路")
    item = SeizedItem.objects.get(referral=referral)
    assert (item.name, item.note) == ("辣椒油散装", "第一行\n第二行")
    assert Referral.objects.get(pk=referral.pk).facts == "事实一\n事实二"
    # The audit trail records the stored value, not the typed one.
    event = AuditEvent.objects.filter(referral=referral, action="add_party").get()
    assert event.payload["name"] == "钱德贵"
    # Writes that skip validation are cleaned too: save() and QuerySet.update().
    Party.objects.filter(pk=party.pk).update(name=f"赵{RLO}立新")
    party.refresh_from_db()
    assert party.name == "赵立新"
    party.legal_representative = f"孙{ZWSP}{E_ACUTE_DECOMPOSED}"
    party.save()
    assert party.legal_representative == "孙\u00e9"  # the instance holds what was stored


def test_a_step_reason_is_cleaned_before_the_gate_judges_and_audits_it(world):
    referral = world.new_referral()
    world.do(referral, "find_suspected_crime")
    world.do(referral, "submit_transfer_report")
    with pytest.raises(InvalidInput):  # nothing visible is no reason
        world.do(referral, "refuse_transfer", reason=f"{ZWSP}{RLO}")
    world.do(referral, "refuse_transfer", reason=f"证据{RLO}不足")
    event = AuditEvent.objects.filter(referral=referral, action="refuse_transfer").get()
    assert event.reason == "证据不足"


@pytest.mark.parametrize("field", ["id_number", "phone"])
def test_an_identifier_with_hidden_characters_is_refused_in_chinese(world, field):
    referral = world.new_referral()
    officer = world.user("fc-msa", Role.CASE_OFFICER)
    with world.at(), pytest.raises(InvalidInput) as refused:
        case.party_add(
            referral_id=referral.pk,
            actor=officer,
            kind="person",
            name="钱德贵",
            **{field: f"5107{RLO}0319800101"},
        )
    assert "U+202E" in str(refused.value)
    assert not Party.objects.filter(referral=referral).exists()


def test_the_transfer_letter_prints_the_names_in_order_and_draws_extension_b(world):
    """Rendered by WeasyPrint (render.render_document_report is the real renderer), read back
    with pdftotext and pdffonts."""
    referral = world.new_referral()
    officer = world.user("fc-msa", Role.CASE_OFFICER)
    with world.at():
        case.party_add(
            referral_id=referral.pk,
            actor=officer,
            kind="person",
            name=f"钱{RLO}德贵{LRI}乙{PDI}{ZWSP}",
            id_number="510703198001011234",
        )
        case.party_add(
            referral_id=referral.pk,
            actor=officer,
            kind="person",
            name=f"王{RARE}明Jos{E_ACUTE_DECOMPOSED}",
        )
    referral.refresh_from_db()

    report = render.render_document_report(
        "transfer_letter",
        referral,
        number="测试〔2026〕1号",
        issued_at=world.t,
        verification_code="T3STK7QX9M",
        verify_url="https://xianjie.test/verify/T3STK7QX9M",
    )

    text = "".join(pdf_pages_text(report.pdf))
    assert squeeze("钱德贵乙") in text and f"王{RARE}明Jos\u00e9" in text
    assert "贵德钱" not in text
    faces = {font.name.partition("+")[2] for font in pdf_fonts(report.pdf)}
    assert "XJ-HanaMin-B" in faces  # 𠀀 is drawn with Hanazono's glyph, not a box
    assert font_problems(report.pdf, report) == []  # no missing glyph anywhere
    assert save_pngs(report.pdf, "transfer_letter-hidden-characters")  # for a person to look at
