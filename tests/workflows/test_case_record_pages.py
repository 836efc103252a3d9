"""The case record on the case page: corrected before transfer (typed input kept on error, with
a Chinese message), refused after it, supplemented after it for the police to see, and the
police's receipt checklist shown to both sides."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from referral import lifecycle
from referral.models import AttachmentKind, CaseSupplement, ReceiptChecklist, Referral, Role
from referral.services import referrals as case
from referral.services.errors import InvalidInput
from referral.services.seized_items import seized_item_add
from referral.timeutil import now

S = lifecycle.Status
PDF = b"%PDF-1.4 supplement"


def _page(client, referral) -> str:
    response = client.get(reverse("xianjie:referral_detail", args=[referral.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _record_post(**fields) -> dict:
    data = {
        "title": "某食品公司销售有毒有害食品案",
        "charge": "substandard_food",
        "facts": "经查，当事人销售不符合食品安全标准的食品。",
        "goods_value": "60000",
        "sales_amount": "52000",
        "discovered_on": "2026-02-20",
        "offence_place": "绵阳市涪城区某路1号",
    }
    data.update(fields)
    return {f"record-{name}": value for name, value in data.items()}


def test_the_officer_corrects_the_record_on_the_case_page(client, world):
    referral = world.new_referral()
    client.force_login(world.user("fc-msa", Role.CASE_OFFICER))
    assert 'data-testid="edit-record"' in _page(client, referral)
    response = client.post(
        reverse("xianjie:referral_record", args=[referral.pk]), _record_post(), follow=True
    )
    html = response.content.decode()
    referral.refresh_from_db()
    assert referral.charge == "substandard_food"
    assert referral.suspected_charge == "生产、销售不符合安全标准的食品罪"
    assert referral.discovered_on == date(2026, 2, 20)
    assert "《刑法》第一百四十三条" in html  # the charge shown with its article
    assert "60,000.00" in html and "52,000.00" in html
    assert referral.events.filter(action="update_case").exists()


def test_a_future_discovery_date_keeps_the_typed_input_with_a_chinese_message(client, world):
    referral = world.new_referral()
    client.force_login(world.user("fc-msa", Role.CASE_OFFICER))
    tomorrow = (now() + timedelta(days=2)).date().isoformat()
    response = client.post(
        reverse("xianjie:referral_record", args=[referral.pk]),
        _record_post(discovered_on=tomorrow, offence_place="新录入的地点"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "发现日期不能晚于今天" in html
    assert 'value="新录入的地点"' in html and f'value="{tomorrow}"' in html
    referral.refresh_from_db()
    assert referral.offence_place == ""


def test_a_seizure_before_the_discovery_is_refused_on_the_page(client, world):
    referral = world.new_referral()
    officer = world.user("fc-msa", Role.CASE_OFFICER)
    with world.at():
        case.referral_update_case(
            referral_id=referral.pk, actor=officer, discovered_on=date(2026, 2, 20)
        )
        item = seized_item_add(
            referral_id=referral.pk, actor=officer, name="白酒", quantity=1, unit="箱"
        )
    client.force_login(officer)
    response = client.post(
        reverse("xianjie:referral_seized_item_update", args=[referral.pk, item.pk]),
        {
            f"item-{item.pk}-name": "白酒（更正）",
            f"item-{item.pk}-quantity": "2",
            f"item-{item.pk}-unit": "箱",
            f"item-{item.pk}-seized_on": "2026-02-10",
        },
    )
    html = response.content.decode()
    assert "扣押日期" in html and "早于发现日期" in html
    assert 'value="白酒（更正）"' in html  # kept
    item.refresh_from_db()
    assert item.name == "白酒"


def test_parties_items_and_attachments_are_removed_before_transfer(client, world):
    referral = world.new_referral()
    officer = world.user("fc-msa", Role.CASE_OFFICER)
    with world.at():
        party = case.party_add(referral_id=referral.pk, actor=officer, kind="person", name="张三")
        item = seized_item_add(
            referral_id=referral.pk, actor=officer, name="白酒", quantity=1, unit="箱"
        )
        attachment = case.attachment_add(
            referral_id=referral.pk,
            actor=officer,
            kind=AttachmentKind.EVIDENCE,
            name="a.pdf",
            data=PDF,
        )
    client.force_login(officer)
    html = _page(client, referral)
    for testid in (f"remove-party-{party.pk}", f"remove-item-{item.pk}"):
        assert f'data-testid="{testid}"' in html
    assert f'data-testid="remove-attachment-{attachment.pk}"' in html
    for name, args in (
        ("referral_party_remove", [referral.pk, party.pk]),
        ("referral_seized_item_remove", [referral.pk, item.pk]),
        ("referral_attachment_remove", [referral.pk, attachment.pk]),
    ):
        assert client.post(reverse(f"xianjie:{name}", args=args)).status_code == 302
    assert not referral.parties.exists() and not referral.seized_items.exists()
    assert not referral.attachments.exists()
    assert "a.pdf" not in _page(client, referral)


def test_the_record_cannot_be_changed_after_transfer(client, world):
    referral = world.reach(S.RECEIVED_BY_POLICE)
    client.force_login(world.user("fc-msa", Role.CASE_OFFICER))
    html = _page(client, referral)
    assert 'data-testid="edit-record"' not in html
    response = client.post(
        reverse("xianjie:referral_record", args=[referral.pk]), _record_post(), follow=True
    )
    assert "已经移送" in response.content.decode()
    referral.refresh_from_db()
    assert referral.charge == "toxic_food"


@pytest.mark.parametrize(
    ("agency", "role", "status"),
    [
        ("yx-msa", Role.CASE_OFFICER, 404),  # another agency: looks missing
        ("fc-police", Role.POLICE_INTAKE, 404),  # police before transfer: not theirs to see
        ("fc-proc", Role.PROCURATOR, 200),  # sees the case, may not edit it: refused
    ],
)
def test_only_the_transferring_agency_corrects_the_record(client, world, agency, role, status):
    referral = world.new_referral()
    client.force_login(world.user(agency, role))
    response = client.post(reverse("xianjie:referral_record", args=[referral.pk]), _record_post())
    assert response.status_code == status
    referral.refresh_from_db()
    assert referral.charge == "toxic_food" and referral.discovered_on is None
    if status == 200:
        assert 'data-testid="edit-record"' not in response.content.decode()


# --- supplements after transfer -------------------------------------------------------------------


def _supplement_post(**fields) -> dict:
    data = {
        "kind": "correction",
        "subject": "货值金额",
        "content": "货值金额应为人民币六万元。",
        "reason": "原录入时漏计一批货物。",
    }
    data.update(fields)
    return {f"supplement-{name}": value for name, value in data.items()}


def test_a_supplement_after_transfer_is_shown_to_the_police_beside_the_record(client, world):
    referral = world.reach(S.RECEIVED_BY_POLICE)
    facts = referral.facts
    client.force_login(world.user("fc-msa", Role.CASE_OFFICER))
    data = _supplement_post(file=SimpleUploadedFile("更正.pdf", PDF))
    response = client.post(reverse("xianjie:referral_supplement", args=[referral.pk]), data)
    assert response.status_code == 302
    supplement = CaseSupplement.objects.get(referral=referral)
    assert [a.kind for a in supplement.attachments.all()] == [AttachmentKind.SUPPLEMENT]
    event = referral.events.get(action="record_supplement")
    assert event.reason == "原录入时漏计一批货物。"
    assert event.payload["subject"] == "货值金额"
    referral.refresh_from_db()
    assert referral.facts == facts  # the record as transferred is unchanged

    client.force_login(world.user("fc-police", Role.POLICE_INTAKE))
    html = _page(client, referral)
    assert f'data-testid="supplement-{supplement.pk}"' in html
    assert "货值金额应为人民币六万元。" in html and "更正.pdf" in html
    assert 'data-testid="add-supplement"' not in html
    assert "移送后补充或更正" in html  # the timeline row


def test_a_supplement_keeps_the_typed_input_when_incomplete(client, world):
    referral = world.reach(S.RECEIVED_BY_POLICE)
    client.force_login(world.user("fc-msa", Role.CASE_OFFICER))
    response = client.post(
        reverse("xianjie:referral_supplement", args=[referral.pk]),
        _supplement_post(reason=""),
    )
    html = response.content.decode()
    assert response.status_code == 200 and "这个字段是必填项" in html
    assert "货值金额应为人民币六万元。" in html
    assert not CaseSupplement.objects.exists()


def test_no_supplement_before_transfer(client, world):
    referral = world.new_referral()
    client.force_login(world.user("fc-msa", Role.CASE_OFFICER))
    assert 'data-testid="add-supplement"' not in _page(client, referral)
    client.post(reverse("xianjie:referral_supplement", args=[referral.pk]), _supplement_post())
    assert not CaseSupplement.objects.exists()


@pytest.mark.parametrize(
    ("agency", "role", "status"),
    [
        ("fc-police", Role.POLICE_INTAKE, 200),  # sees the case: refused with a message
        ("fc-proc", Role.PROCURATOR, 200),
        ("yx-msa", Role.CASE_OFFICER, 404),
    ],
)
def test_only_the_transferring_agency_supplements(client, world, agency, role, status):
    referral = world.reach(S.RECEIVED_BY_POLICE)
    client.force_login(world.user(agency, role))
    response = client.post(
        reverse("xianjie:referral_supplement", args=[referral.pk]), _supplement_post()
    )
    assert response.status_code == status
    assert not CaseSupplement.objects.exists()


# --- the receipt checklist ------------------------------------------------------------------------


def _checklist_post(missing=()) -> dict:
    return {
        f"sign_receipt-item_{kind}": "missing" if kind in missing else "complete"
        for kind in lifecycle.MANDATORY_TRANSFER_ATTACHMENTS
    }


def test_the_police_sign_with_the_checklist_and_both_sides_see_it(client, world):
    referral = world.reach(S.TRANSFERRED_AWAITING_RECEIPT)
    intake = world.user("fc-police", Role.POLICE_INTAKE)
    client.force_login(intake)
    html = _page(client, referral)
    assert 'name="sign_receipt-item_test_report"' in html
    # Every item must be marked: a checklist left incomplete is refused, nothing signed.
    partial = _checklist_post()
    partial.pop("sign_receipt-item_other_materials")
    url = reverse("xianjie:referral_step", args=[referral.pk, "sign_receipt"])
    assert client.post(url, partial).status_code == 200
    referral.refresh_from_db()
    assert referral.status == S.TRANSFERRED_AWAITING_RECEIPT

    assert client.post(url, _checklist_post(missing=["test_report"])).status_code == 302
    referral.refresh_from_db()
    assert referral.status == S.RECEIVED_BY_POLICE
    checklist = ReceiptChecklist.objects.get(referral=referral)
    assert checklist.items["test_report"] == "missing"
    assert checklist.signed_by == intake
    event = referral.events.get(action="sign_receipt")
    assert event.payload["receipt_checklist"] == checklist.items

    html = _page(client, referral)
    assert 'data-testid="receipt-checklist"' in html
    # The missing item feeds the request for supplementary materials.
    assert "移送材料缺少：检验报告或者鉴定结论。" in html
    client.force_login(world.user("fc-msa", Role.CASE_OFFICER))
    html = _page(client, referral)
    assert 'data-testid="receipt-test_report"' in html and 'data-testid="receipt-missing"' in html


def test_the_checklist_is_refused_on_another_step(world):
    referral = world.reach(S.RECEIVED_BY_POLICE)
    with pytest.raises(InvalidInput):
        world.do(
            referral,
            "begin_review",
            receipt_checklist={k: "complete" for k in lifecycle.MANDATORY_TRANSFER_ATTACHMENTS},
        )
    assert not Referral.objects.get(pk=referral.pk).receipt_checklists.exists()


@pytest.mark.parametrize(
    ("agency", "role", "status"),
    [
        ("yx-msa", Role.CASE_OFFICER, 404),  # another agency: looks missing
        ("fc-police", Role.POLICE_INTAKE, 404),  # police before transfer
        ("fc-proc", Role.PROCURATOR, 200),  # sees the case: refused with a message
    ],
)
def test_only_the_transferring_agency_changes_or_removes_parts(client, world, agency, role, status):
    referral = world.new_referral()
    officer = world.user("fc-msa", Role.CASE_OFFICER)
    with world.at():
        party = case.party_add(referral_id=referral.pk, actor=officer, kind="person", name="张三")
        item = seized_item_add(
            referral_id=referral.pk, actor=officer, name="白酒", quantity=1, unit="箱"
        )
        attachment = case.attachment_add(
            referral_id=referral.pk,
            actor=officer,
            kind=AttachmentKind.EVIDENCE,
            name="a.pdf",
            data=PDF,
        )
    client.force_login(world.user(agency, role))
    posts = [
        (
            "referral_party_update",
            [referral.pk, party.pk],
            {f"party-{party.pk}-kind": "person", f"party-{party.pk}-name": "改"},
        ),
        ("referral_party_remove", [referral.pk, party.pk], {}),
        ("referral_seized_item_remove", [referral.pk, item.pk], {}),
        ("referral_attachment_remove", [referral.pk, attachment.pk], {}),
        ("referral_case_summary", [referral.pk], {}),
    ]
    for name, args, data in posts:
        assert client.post(reverse(f"xianjie:{name}", args=args), data).status_code == status
    party.refresh_from_db()
    assert party.name == "张三" and referral.seized_items.count() == 1
    assert referral.attachments.count() == 1 and not referral.documents.exists()
