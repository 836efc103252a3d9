"""Issue 9: the transfer package asks only what the law needs from the officer, every missing
condition is listed at once, only applicable steps are offered, the receiving police organ is
preselected, and a reason box appears only where the law asks for one."""

import pytest
from django.urls import reverse

from referral import lifecycle
from referral.demo import placeholder_pdf
from referral.documents.context import case_data_from_referral
from referral.documents.render import transfer_materials
from referral.models import AttachmentKind, Role
from referral.services import referrals as case
from referral.services.errors import ConditionNotMet
from workflows.forms import AttachmentForm, StepForm

S = lifecycle.Status


def _step(name):
    return lifecycle.step_of(lifecycle.transitions()[name][0])


def test_the_gate_lists_every_unmet_condition_at_once(flow_world):
    referral = flow_world.reach(S.TRANSFER_APPROVED)
    referral.police_agency = None
    referral.save(update_fields=["police_agency"])
    with pytest.raises(ConditionNotMet) as refused:
        flow_world.do(referral, "transfer", prepare=False)
    message = str(refused.value)
    for part in ("检验报告或者鉴定结论", "其他有关涉嫌犯罪的材料", "接收案件的公安机关"):
        assert part in message, message
    referral.refresh_from_db()
    assert referral.status == S.TRANSFER_APPROVED


def test_the_transfer_needs_only_the_test_report_and_other_materials(flow_world):
    """Items 1 to 3 (移送书, 调查报告, 涉案物品清单) are issued by the step itself."""
    referral = flow_world.reach(S.TRANSFER_APPROVED)
    officer = flow_world.user("fc-msa", Role.CASE_OFFICER)
    for kind in (AttachmentKind.TEST_REPORT, AttachmentKind.EVIDENCE):
        with flow_world.at():
            case.attachment_add(
                referral_id=referral.pk,
                actor=officer,
                kind=kind,
                name=f"{kind}.pdf",
                data=placeholder_pdf(kind),
            )
    flow_world.do(referral, "transfer", prepare=False)
    referral.refresh_from_db()
    assert referral.status == S.TRANSFERRED_AWAITING_RECEIPT
    issued = set(referral.documents.values_list("doc_type", flat=True))
    assert {"transfer_letter", "investigation_report_cover", "seized_item_list"} <= issued


def test_the_upload_form_never_asks_for_a_generated_document():
    offered = {value for value, _label in AttachmentForm().fields["kind"].choices}
    assert not offered & {"transfer_letter", "investigation_report", "item_list"}
    assert {"test_report", "other_materials", "transfer_report"} <= offered
    assert not AttachmentForm({"kind": "transfer_letter"}).is_valid()


def test_the_written_report_to_the_head_is_not_listed_as_the_investigation_report(flow_world):
    referral = flow_world.reach(S.TRANSFER_REPORT_PENDING_APPROVAL)  # its written report attached
    assert referral.attachments.filter(kind=AttachmentKind.TRANSFER_REPORT).exists()
    materials = transfer_materials(case_data_from_referral(referral))
    report = next(m for m in materials if m["label"] == "涉嫌犯罪案件情况的调查报告")
    assert report["files"] == []


def _page(client, user, referral):
    client.force_login(user)
    return client.get(reverse("xianjie:referral_detail", args=[referral.pk])).content.decode()


def test_steps_that_cannot_apply_are_not_offered(client, flow_world):
    officer = flow_world.user("fc-msa", Role.CASE_OFFICER)
    food = flow_world.new_referral()
    page = _page(client, officer, food)
    assert 'data-testid="step-find_suspected_crime"' in page
    assert 'data-testid="step-find_reasonable_suspicion"' not in page  # not an IP case
    assert 'data-testid="step-propose_detention"' not in page  # a criminal transfer
    with flow_world.at():
        case.referral_update_case(referral_id=food.pk, actor=officer, is_ip_case=True)
    assert 'data-testid="step-find_reasonable_suspicion"' in _page(client, officer, food)
    detention = flow_world.new_referral(lifecycle.ReferralKind.ADMIN_DETENTION)
    page = _page(client, officer, detention)
    assert 'data-testid="step-propose_detention"' in page
    assert 'data-testid="step-find_suspected_crime"' not in page


def test_the_receiving_police_organ_is_preselected_on_the_transfer_step(client, flow_world):
    referral = flow_world.reach(S.TRANSFER_APPROVED)
    police = flow_world.agencies["fc-police"]
    assert referral.police_agency_id == police.pk  # the same-level organ of the jurisdiction
    form = StepForm(step=_step("transfer"), prefix="transfer", referral=referral)
    assert form["police_agency"].value() == police.pk
    page = _page(client, flow_world.user("fc-msa", Role.CASE_OFFICER), referral)
    assert f'<option value="{police.pk}" selected>' in page


def test_a_forward_to_other_police_preselects_nothing(flow_world):
    referral = flow_world.reach(S.RECEIVED_BY_POLICE)
    form = StepForm(step=_step("forward_to_competent_police"), referral=referral)
    assert form["police_agency"].value() is None


@pytest.mark.parametrize(
    ("name", "label", "required"),
    [
        ("approve_transfer", "审批意见", False),
        ("refuse_transfer", "审批意见（必填）", True),
        ("request_reconsideration", "理由（必填）", True),
    ],
)
def test_a_reason_box_only_where_the_law_asks_and_an_opinion_on_approvals(name, label, required):
    field = StepForm(step=_step(name)).fields["reason"]
    assert (str(field.label), field.required) == (label, required)


def test_an_officers_ordinary_step_has_no_reason_box():
    for name in ("find_suspected_crime", "submit_transfer_report", "transfer", "sign_receipt"):
        assert "reason" not in StepForm(step=_step(name)).fields, name
