"""Document numbers: per issuing agency, type and year, in the agency's format, without gaps."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from referral import lifecycle
from referral.documents.numbering import (
    CODE_ALPHABET,
    DEFAULT_NUMBER_PATTERN,
    format_number,
    new_verification_code,
    normalise_verification_code,
    validate_number_pattern,
    version_label,
)
from referral.models import Document, DocumentCounter, Role
from referral.services import documents as issuing
from referral.services.audit import audit_verify
from referral.services.transitions import run_transition
from referral.timeutil import frozen_now
from tests.factories import World

S = lifecycle.Status
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_default_pattern_gives_the_customary_number():
    assert (
        format_number(DEFAULT_NUMBER_PATTERN, short="绵市监", code="移", year=2026, serial=3)
        == "绵市监移〔2026〕3号"
    )
    # A correction is a record fact beside the number, never part of the 发文字号 (GB/T 9704).
    assert version_label(1) == ""
    assert version_label(2) == "第2版（更正）"


def test_police_pattern_carries_the_unit_code_and_zi():
    # DOMAIN.md §9.5: …公（食药）立字〔2026〕5号; the 字 comes with the police types' codes.
    pattern = "{short}{unit}{code}〔{year}〕{serial}号"
    validate_number_pattern(pattern)
    number = format_number(pattern, short="涪公", unit="（食药）", code="立字", year=2026, serial=5)
    assert number == "涪公（食药）立字〔2026〕5号"


@pytest.mark.parametrize(
    "pattern",
    [
        "{short}{code}〔{year}〕{serial}号",
        "涪城市监{code}字〔{year}〕{serial}号",
        "{short}{code}[{year}]{serial}",
    ],
)
def test_valid_patterns(pattern):
    validate_number_pattern(pattern)


@pytest.mark.parametrize(
    ("pattern", "code"),
    [
        ("{short}{code}〔{year}〕号", "missing"),  # no serial
        ("{short}〔{year}〕{serial}号", "missing"),  # types would share numbers
        ("{short}{code}{serial}号", "missing"),  # years would share numbers
        ("{short}{code}〔{year}〕{serial}号{agency}", "unknown"),
        ("{short}{code}〔{year}〕{serial号", "syntax"),
        ("{short}{code}〔{year}〕{serial:q}号", "spec"),
        ("{short}{code}〔{year}〕{serial:03d}号", "spec"),  # GB/T 9704: no leading zeros
        ("{short}{code}〔{year}〕第{serial}号", "di"),  # GB/T 9704: no 第
    ],
)
def test_invalid_patterns_are_refused(pattern, code):
    with pytest.raises(ValidationError) as caught:
        validate_number_pattern(pattern)
    assert caught.value.code == code


def test_agency_pattern_is_validated_by_the_model(world):
    agency = world.agencies["fc-msa"]
    agency.document_number_pattern = "{short}{code}〔{year}〕号"
    with pytest.raises(ValidationError) as caught:
        agency.full_clean()
    assert "document_number_pattern" in caught.value.message_dict


def test_verification_codes_are_unambiguous_and_typed_loosely():
    codes = {new_verification_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 10 and set(c) <= set(CODE_ALPHABET) for c in codes)
    assert not set("01IOL") & set(CODE_ALPHABET)
    assert normalise_verification_code(" abcde-fghjk ") == "ABCDEFGHJK"


# --- Sequences -------------------------------------------------------------------------------


def _transfer(world):
    referral = world.reach(S.TRANSFER_APPROVED)
    world.do(referral, "transfer")
    return referral


def _numbers(doc_type, agency=None):
    documents = Document.objects.filter(doc_type=doc_type).order_by("serial")
    if agency is not None:
        documents = documents.filter(issuing_agency=agency)
    return list(documents.values_list("number", flat=True))


def test_each_type_counts_on_its_own_per_agency(world):
    for _ in range(3):
        _transfer(world)
    assert _numbers("transfer_letter") == [f"fcmsa移〔2026〕{n}号" for n in (1, 2, 3)]
    assert _numbers("seized_item_list") == [f"fcmsa物〔2026〕{n}号" for n in (1, 2, 3)]
    assert DocumentCounter.objects.get(doc_type="transfer_letter").last_serial == 3


def test_agencies_count_separately_and_use_their_own_pattern(world):
    county = world.agencies["fc-msa"]
    county.document_number_pattern = "涪城市监{code}字〔{year}〕第{serial:03d}号"
    county.save()
    _transfer(world)
    _transfer(world)
    assert _numbers("transfer_letter", county) == [
        "涪城市监移字〔2026〕第001号",
        "涪城市监移字〔2026〕第002号",
    ]
    city = world.agencies["my-msa"]
    with transaction.atomic():
        assert (
            issuing.document_number_allocate(agency=city, doc_type="transfer_letter", year=2026)
            == 1
        )


def test_the_count_starts_again_each_year(db):
    world = World(start=datetime(2026, 12, 31, 15, 0, tzinfo=SHANGHAI))
    first = _transfer(world)  # 31 December, 21:00
    # Transferred at 06:30 Beijing time on 1 January: still 31 December in UTC.
    world.t = datetime(2027, 1, 1, 0, 30, tzinfo=SHANGHAI)
    second = _transfer(world)
    assert first.documents.get(doc_type="transfer_letter").number == "fcmsa移〔2026〕1号"
    letter = second.documents.get(doc_type="transfer_letter")
    assert letter.issued_at.astimezone(ZoneInfo("UTC")).year == 2026
    assert (letter.year, letter.number) == (2027, "fcmsa移〔2027〕1号")


def test_a_failed_step_leaves_no_gap(world, monkeypatch):
    """The number is taken in the step's transaction: when the step fails after taking it,
    the rollback returns it and the next issue gets the same serial."""
    _transfer(world)
    referral = world.reach(S.TRANSFER_APPROVED)
    world.prepare(referral, "transfer")
    real = issuing.document_number_allocate

    def fails_on_the_item_list(*, agency, doc_type, year):
        if doc_type == "seized_item_list":  # after the letter was numbered and recorded
            raise RuntimeError("counter table locked")
        return real(agency=agency, doc_type=doc_type, year=year)

    monkeypatch.setattr(issuing, "document_number_allocate", fails_on_the_item_list)
    with pytest.raises(RuntimeError), frozen_now(world.t):
        run_transition(
            referral_id=referral.pk, actor=world.user("fc-msa", Role.CASE_OFFICER), name="transfer"
        )
    assert DocumentCounter.objects.get(doc_type="transfer_letter").last_serial == 1
    assert not referral.documents.exclude(doc_type="transfer_approval_record").exists()

    monkeypatch.undo()
    world.do(referral, "transfer", prepare=False)
    assert _numbers("transfer_letter") == ["fcmsa移〔2026〕1号", "fcmsa移〔2026〕2号"]
    assert _numbers("seized_item_list") == ["fcmsa物〔2026〕1号", "fcmsa物〔2026〕2号"]
    assert audit_verify() is None
