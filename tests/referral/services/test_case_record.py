"""The case record before transfer: particulars, charge from the controlled list, dates checked,
parties, seized items and attachments changed or removed, every change audited with old and new
values; refused once transferred and to anyone but the transferring agency's officers."""

from datetime import date
from decimal import Decimal

import pytest

from referral import lifecycle
from referral.charges import CHARGES, charge_for_text
from referral.lifecycle.conditions import has_test_report
from referral.models import Attachment, AttachmentKind, Role
from referral.services import case_record
from referral.services import referrals as case
from referral.services.errors import IllegalTransition, InvalidInput, NotFound, PermissionDenied
from referral.services.seized_items import (
    seized_item_add,
    seized_item_remove,
    seized_item_update,
)

S = lifecycle.Status
PDF = b"%PDF-1.4 test"


def _officer(world):
    return world.user("fc-msa", Role.CASE_OFFICER)


def _last_event(referral):
    return referral.events.order_by("-seq").first()


def test_charge_list_cites_the_criminal_law_and_the_2021_interpretation():
    assert CHARGES["toxic_food"].name == "生产、销售有毒、有害食品罪"
    assert CHARGES["toxic_food"].citation.startswith("《刑法》第一百四十四条")
    assert "第一百四十条" in CHARGES["fake_or_shoddy_products"].article
    assert CHARGES["illegal_business"].article == "第二百二十五条"
    assert {"fake_drugs", "substandard_drugs", "substandard_food"} <= set(CHARGES)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("生产、销售有毒、有害食品罪", "toxic_food"),
        ("涉嫌生产、销售不符合安全标准的食品罪", "substandard_food"),
        ("诈骗罪", ""),
        ("", ""),
    ],
)
def test_free_text_charges_are_matched_to_the_list(text, code):
    assert charge_for_text(text) == code


def test_a_new_referral_with_a_listed_name_gets_its_code(world):
    referral = world.new_referral()  # suspected_charge="生产、销售有毒、有害食品罪"
    assert referral.charge == "toxic_food"


def test_charge_chosen_from_the_list_sets_the_printed_name_and_is_audited(world):
    referral = world.new_referral()
    with world.at():
        case.referral_update_case(
            referral_id=referral.pk, actor=_officer(world), charge="substandard_food"
        )
    referral.refresh_from_db()
    assert referral.suspected_charge == "生产、销售不符合安全标准的食品罪"
    changes = _last_event(referral).payload["changes"]
    assert changes["charge"] == {"old": "toxic_food", "new": "substandard_food"}
    assert changes["suspected_charge"]["new"] == "生产、销售不符合安全标准的食品罪"


def test_a_charge_outside_the_list_is_refused(world):
    referral = world.new_referral()
    with pytest.raises(InvalidInput), world.at():
        case.referral_update_case(referral_id=referral.pk, actor=_officer(world), charge="murder")


def test_amounts_discovery_and_place_are_recorded_apart_with_old_and_new(world):
    referral = world.new_referral()
    with world.at():
        case.referral_update_case(
            referral_id=referral.pk,
            actor=_officer(world),
            goods_value=Decimal("60000.00"),
            sales_amount=Decimal("52000.00"),
            discovered_on=date(2026, 2, 20),
            offence_place="绵阳市涪城区某路1号",
        )
    referral.refresh_from_db()
    assert (referral.goods_value, referral.sales_amount) == (Decimal("60000"), Decimal("52000"))
    changes = _last_event(referral).payload["changes"]
    assert changes["goods_value"] == {"old": "", "new": "60000.00"}
    assert changes["sales_amount"] == {"old": "", "new": "52000.00"}
    assert changes["discovered_on"] == {"old": "", "new": "2026-02-20"}
    assert changes["offence_place"]["new"] == "绵阳市涪城区某路1号"


def test_a_discovery_date_in_the_future_is_refused(world):
    referral = world.new_referral()
    with pytest.raises(InvalidInput, match="晚于今天"), world.at():
        case.referral_update_case(
            referral_id=referral.pk, actor=_officer(world), discovered_on=date(2026, 3, 3)
        )


def test_a_seizure_in_the_future_is_refused(world):
    referral = world.new_referral()
    with pytest.raises(InvalidInput), world.at():
        seized_item_add(
            referral_id=referral.pk,
            actor=_officer(world),
            name="白酒",
            quantity=Decimal("1"),
            unit="箱",
            seized_on=date(2026, 3, 9),
        )
    assert not referral.seized_items.exists()


def test_a_seizure_before_the_discovery_is_refused_both_ways(world):
    referral = world.new_referral()
    officer = _officer(world)
    with world.at():
        case.referral_update_case(
            referral_id=referral.pk, actor=officer, discovered_on=date(2026, 2, 20)
        )
        with pytest.raises(InvalidInput):
            seized_item_add(
                referral_id=referral.pk,
                actor=officer,
                name="白酒",
                quantity=Decimal("1"),
                unit="箱",
                seized_on=date(2026, 2, 19),
            )
        seized_item_add(
            referral_id=referral.pk,
            actor=officer,
            name="白酒",
            quantity=Decimal("1"),
            unit="箱",
            seized_on=date(2026, 2, 21),
        )
        # Moving the discovery after a seizure already recorded is refused too.
        with pytest.raises(InvalidInput):
            case.referral_update_case(
                referral_id=referral.pk, actor=officer, discovered_on=date(2026, 2, 25)
            )


def test_the_record_is_refused_after_transfer_with_a_pointer_to_supplements(world):
    referral = world.reach(S.MATERIALS_SUPPLEMENT_REQUESTED)  # editable state, but transferred
    with pytest.raises(IllegalTransition, match="补充材料"), world.at():
        case.referral_update_case(referral_id=referral.pk, actor=_officer(world), facts="改")


@pytest.mark.parametrize(
    ("agency", "role", "error"),
    [
        ("fc-police", Role.POLICE_INTAKE, NotFound),  # not yet transferred: invisible
        ("fc-proc", Role.PROCURATOR, PermissionDenied),
        ("yx-msa", Role.CASE_OFFICER, NotFound),
    ],
)
def test_the_record_is_the_transferring_agencys_alone(world, agency, role, error):
    referral = world.new_referral()
    with pytest.raises(error), world.at():
        case.referral_update_case(
            referral_id=referral.pk, actor=world.user(agency, role), facts="改"
        )


def test_the_agency_head_may_correct_the_record(world):
    referral = world.new_referral()
    with world.at():
        case.referral_update_case(
            referral_id=referral.pk, actor=world.user("fc-msa", Role.AGENCY_HEAD), facts="改正"
        )
    referral.refresh_from_db()
    assert referral.facts == "改正"


# --- parties ------------------------------------------------------------------------------------


def _party(world, referral):
    with world.at():
        return case.party_add(
            referral_id=referral.pk, actor=_officer(world), kind="person", name="张三"
        )


def test_a_party_is_changed_with_old_and_new_values(world):
    referral = world.new_referral()
    party = _party(world, referral)
    with world.at():
        case_record.party_update(
            referral_id=referral.pk,
            actor=_officer(world),
            party_id=party.pk,
            name="张三丰",
            id_number="510703198001011234",
        )
    party.refresh_from_db()
    assert party.name == "张三丰"
    event = _last_event(referral)
    assert event.action == "update_party"
    assert event.payload["changes"]["name"] == {"old": "张三", "new": "张三丰"}
    assert event.payload["changes"]["id_number"] == {"old": "", "new": "510703198001011234"}


def test_a_party_is_removed_and_the_audit_keeps_it(world):
    referral = world.new_referral()
    party = _party(world, referral)
    with world.at():
        case_record.party_remove(referral_id=referral.pk, actor=_officer(world), party_id=party.pk)
    assert not referral.parties.exists()
    event = _last_event(referral)
    assert (event.action, event.payload["old"]["name"]) == ("remove_party", "张三")


def test_a_party_of_another_referral_is_not_found(world):
    referral, other = world.new_referral(), world.new_referral()
    party = _party(world, other)
    with pytest.raises(NotFound), world.at():
        case_record.party_remove(referral_id=referral.pk, actor=_officer(world), party_id=party.pk)


def test_parties_cannot_be_removed_after_transfer(world):
    referral = world.reach(S.TRANSFERRED_AWAITING_RECEIPT)
    party = referral.parties.first() or referral.parties.create(kind="person", name="李四")
    with pytest.raises(IllegalTransition), world.at():
        case_record.party_remove(referral_id=referral.pk, actor=_officer(world), party_id=party.pk)
    assert referral.parties.filter(pk=party.pk).exists()


def test_a_police_officer_cannot_change_a_party(world):
    referral = world.reach(S.RECEIVED_BY_POLICE)
    with world.at():
        party = referral.parties.create(kind="person", name="李四")
    with pytest.raises(PermissionDenied), world.at():
        case_record.party_update(
            referral_id=referral.pk,
            actor=world.user("fc-police", Role.POLICE_INTAKE),
            party_id=party.pk,
            name="改",
        )


# --- seized items --------------------------------------------------------------------------------


def test_seized_items_are_changed_and_removed_and_the_list_renumbered(world):
    referral = world.new_referral()
    officer = _officer(world)
    with world.at():
        items = [
            seized_item_add(
                referral_id=referral.pk, actor=officer, name=n, quantity=Decimal("1"), unit="箱"
            )
            for n in ("一", "二", "三")
        ]
        seized_item_update(
            referral_id=referral.pk, actor=officer, item_id=items[2].pk, quantity=Decimal("4")
        )
        assert _last_event(referral).payload["changes"] == {
            "quantity": {"old": "1.000", "new": "4"}
        }
        seized_item_remove(referral_id=referral.pk, actor=officer, item_id=items[0].pk)
    assert list(referral.seized_items.values_list("serial", "name")) == [(1, "二"), (2, "三")]
    event = _last_event(referral)
    assert (event.action, event.payload["old"]["name"]) == ("remove_seized_item", "一")


def test_seized_items_are_frozen_after_transfer(world):
    referral = world.reach(S.TRANSFERRED_AWAITING_RECEIPT)
    item = referral.seized_items.create(serial=1, name="白酒", quantity=1, unit="箱")
    with pytest.raises(IllegalTransition), world.at():
        seized_item_remove(referral_id=referral.pk, actor=_officer(world), item_id=item.pk)


# --- attachments ---------------------------------------------------------------------------------


def test_a_removed_attachment_leaves_the_record_and_the_transfer_package(world):
    referral = world.reach(S.TRANSFER_APPROVED)
    world.prepare(referral, "transfer")  # uploads items 4 and 5 as an officer would
    assert has_test_report(referral)
    letter = referral.attachments.get(kind=AttachmentKind.TEST_REPORT)
    with world.at():
        case_record.attachment_remove(
            referral_id=referral.pk, actor=_officer(world), attachment_id=letter.pk
        )
    assert not referral.attachments.filter(pk=letter.pk).exists()
    assert Attachment.all_objects.get(pk=letter.pk).removed_by == _officer(world)
    assert not has_test_report(referral)  # the package lacks item 4 again
    event = _last_event(referral)
    assert (event.action, event.payload["sha256"]) == ("remove_attachment", letter.sha256)


def test_a_removed_attachment_cannot_be_removed_twice(world):
    referral = world.new_referral()
    with world.at():
        attachment = case.attachment_add(
            referral_id=referral.pk,
            actor=_officer(world),
            kind=AttachmentKind.EVIDENCE,
            name="a.pdf",
            data=PDF,
        )
        case_record.attachment_remove(
            referral_id=referral.pk, actor=_officer(world), attachment_id=attachment.pk
        )
        with pytest.raises(NotFound):
            case_record.attachment_remove(
                referral_id=referral.pk, actor=_officer(world), attachment_id=attachment.pk
            )


def test_attachments_cannot_be_removed_by_the_procuratorate(world):
    referral = world.new_referral()
    with world.at():
        attachment = case.attachment_add(
            referral_id=referral.pk,
            actor=_officer(world),
            kind=AttachmentKind.EVIDENCE,
            name="a.pdf",
            data=PDF,
        )
    with pytest.raises(PermissionDenied), world.at():
        case_record.attachment_remove(
            referral_id=referral.pk,
            actor=world.user("fc-proc", Role.PROCURATOR),
            attachment_id=attachment.pk,
        )
