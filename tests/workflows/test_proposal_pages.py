"""The police head's case page shows the reviewer's proposal above the steps that decide it, the
form pre-filled with what was proposed (the organ, the ground), in a fixed number of queries."""

import re

from django.urls import reverse

from referral import lifecycle
from referral.models import Role
from tests.workflows.test_queries import CASE_PAGE

S = lifecycle.Status


def _selected(html: str, name: str) -> str | None:
    """The value of the option selected in the <select> named `name`."""
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    option = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(0)) if select else None
    return option.group(1) if option else None


def test_the_head_sees_the_proposal_and_the_proposed_organ_preselected(
    client, flow_world, django_assert_num_queries
):
    referral = flow_world.reach(S.FILED)
    my_police = flow_world.agencies["my-police"]
    flow_world.do(
        referral,
        "propose_transfer_to_other_police",
        police_agency_id=my_police.pk,
        reason="犯罪地在绵阳市区，建议移送市局管辖。",
    )
    client.force_login(flow_world.user("fc-police", Role.POLICE_HEAD))
    # The case page's queries, without the case-group form's choices (-1: the police do not
    # appoint it) + the receiving organs of the transfer form (1) + the open tasks of the police
    # with their holders, for the steps offered (1); the proposal is read from the timeline
    # already loaded (0).
    with django_assert_num_queries(CASE_PAGE - 1 + 1 + 1):
        html = client.get(reverse("xianjie:referral_detail", args=[referral.pk])).content.decode()
    proposal = re.search(r'data-testid="proposal">(.*?)</div>', html, re.S).group(1)
    assert "提出移送其他公安机关意见" in proposal and "建议移送市局管辖" in proposal
    assert _selected(html, "transfer_to_other_police-police_agency") == str(my_police.pk)
    # The approval comes first, sending the proposal back after it.
    approve = html.index('data-testid="step-transfer_to_other_police"')
    assert approve < html.index('data-testid="step-return_police_proposal"')


def test_the_head_decides_the_ground_the_reviewer_proposed(client, flow_world):
    referral = flow_world.reach(S.UNDER_POLICE_REVIEW)
    flow_world.do(
        referral, "propose_non_filing", non_filing_ground="trivial", reason="情节显著轻微。"
    )
    client.force_login(flow_world.user("fc-police", Role.POLICE_HEAD))
    html = client.get(reverse("xianjie:referral_detail", args=[referral.pk])).content.decode()
    assert _selected(html, "decline_filing-non_filing_ground") == "trivial"


def test_the_reviewer_sees_no_proposal_box_only_the_head_decides(client, flow_world):
    referral = flow_world.reach(S.FILED)
    flow_world.do(referral, "propose_withdrawal", reason="不应追究刑事责任。")
    client.force_login(flow_world.user("fc-police", Role.POLICE_REVIEWER))
    html = client.get(reverse("xianjie:referral_detail", args=[referral.pk])).content.decode()
    assert 'data-testid="proposal"' not in html
    assert 'data-testid="step-withdraw_case"' not in html


def test_the_head_sees_the_approval_before_sending_back(client, flow_world):
    """However the lifecycle declares them, a decision comes before the send-back on the page
    (the lifecycle lists its steps by name: return_police_proposal before withdraw_case)."""
    referral = flow_world.reach(S.WITHDRAWAL_PROPOSED)
    client.force_login(flow_world.user("fc-police", Role.POLICE_HEAD))
    html = client.get(reverse("xianjie:referral_detail", args=[referral.pk])).content.decode()
    approve = html.index('data-testid="step-withdraw_case"')
    assert approve < html.index('data-testid="step-return_police_proposal"')
