"""Extending the police review from the case page (MPS rules art. 178; DOMAIN.md §9.2, §9.4):
the case reviewer asks under a rule of the jurisdiction's rule set, the police head extends or
refuses; nobody else is offered or may do either."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from referral import lifecycle
from referral.models import AuditEvent, ClockState, Role
from tests.workflows.test_queries import CASE_PAGE

S = lifecycle.Status


@pytest.fixture
def suzhou(world):
    """Fucheng's agencies moved to 姑苏区, whose rule set (Suzhou) provides the extensions."""
    call_command("loaddata", "fixtures/rulesets.json", verbosity=0)
    for agency in world.agencies.values():
        if agency.code.startswith("fc-"):
            agency.region_code = "320508"
            agency.save()
    return world


def _page(client, referral):
    return client.get(reverse("xianjie:referral_detail", args=[referral.pk])).content.decode()


def _post(client, name, referral, **data):
    url = reverse(f"xianjie:{name}", args=[referral.pk])
    return client.post(url, data, follow=True)


def _ask(client, world, referral, reason="线索需要核实，申请延长审查期限。"):
    client.force_login(world.user("fc-police", Role.POLICE_REVIEWER))
    return _post(
        client,
        "referral_extension_request",
        referral,
        **{"extension-rule": "police_review_clue_check", "extension-reason": reason},
    )


def test_the_reviewer_asks_and_the_head_extends_from_the_case_page(client, flow_world, suzhou):
    referral = flow_world.reach(S.UNDER_POLICE_REVIEW)
    client.force_login(flow_world.user("fc-police", Role.POLICE_REVIEWER))
    page = _page(client, referral)
    form = re.search(r'data-testid="extension-request-form">(.*?)</form>', page, re.S).group(1)
    assert "police_review_clue_check" in form and "police_review_major" in form
    assert "7" in form  # the period the rule set gives

    done = _ask(client, flow_world, referral).content.decode()
    assert "已报请公安机关负责人批准延长审查期限。" in done
    assert 'data-testid="extension-request-form"' not in done  # one request at a time
    assert 'data-testid="extension-request"' in done

    client.force_login(flow_world.user("fc-police", Role.POLICE_HEAD))
    page = _page(client, referral)
    decision = re.search(r'data-testid="extension-decision-form">(.*?)</form>', page, re.S)
    assert decision and re.search(
        r'<option value="police_review_clue_check"[^>]*selected', decision.group(1)
    )
    assert "线索需要核实，申请延长审查期限。" in page
    _post(
        client,
        "referral_extension_grant",
        referral,
        **{
            "extension-decision-rule": "police_review_clue_check",
            "extension-decision-reason": "同意延长",
        },
    )
    extended = referral.clocks.get(rule="police_review_clue_check")
    assert extended.state == ClockState.RUNNING
    assert referral.clocks.get(rule="police_filing_decision").state == ClockState.CANCELLED
    actions = list(
        AuditEvent.objects.filter(referral=referral, action__contains="extension")
        .order_by("seq")
        .values_list("action", "actor__username")
    )
    assert actions == [("request_review_extension", "fc-police_reviewer")]
    assert AuditEvent.objects.get(referral=referral, action="extend_review").actor.username == (
        "fc-police_head"
    )
    assert 'data-testid="extension-decision-form"' not in _page(client, referral)


def test_the_head_refuses_and_the_reviewer_may_ask_again(client, flow_world, suzhou):
    referral = flow_world.reach(S.UNDER_POLICE_REVIEW)
    _ask(client, flow_world, referral)
    client.force_login(flow_world.user("fc-police", Role.POLICE_HEAD))
    _post(
        client,
        "referral_extension_refuse",
        referral,
        **{"extension-decision-rule": "", "extension-decision-reason": "三日内可以审结"},
    )
    refused = AuditEvent.objects.get(referral=referral, action="refuse_review_extension")
    assert refused.reason == "三日内可以审结"
    assert referral.clocks.get(rule="police_filing_decision").state == ClockState.RUNNING
    client.force_login(flow_world.user("fc-police", Role.POLICE_REVIEWER))
    assert 'data-testid="extension-request-form"' in _page(client, referral)


def test_a_request_without_a_reason_comes_back_with_its_choice_and_a_chinese_error(
    client, flow_world, suzhou
):
    referral = flow_world.reach(S.UNDER_POLICE_REVIEW)
    page = _ask(client, flow_world, referral, reason="").content.decode()
    assert "这个字段是必填项。" in page
    assert re.search(r'<option value="police_review_clue_check"[^>]*selected', page)
    assert not AuditEvent.objects.filter(referral=referral, action="request_review_extension")


def test_nothing_is_offered_where_the_rule_set_provides_no_extension(client, flow_world):
    referral = flow_world.reach(S.UNDER_POLICE_REVIEW)  # Fucheng: national rules only
    client.force_login(flow_world.user("fc-police", Role.POLICE_REVIEWER))
    assert 'data-testid="review-extension"' not in _page(client, referral)
    page = _ask(client, flow_world, referral).content.decode()
    assert "选择一个有效的选项" in page  # no extension to choose from
    assert not AuditEvent.objects.filter(referral=referral, action="request_review_extension")


@pytest.mark.parametrize(
    ("agency", "role"),
    [
        ("fc-msa", Role.CASE_OFFICER),
        ("fc-police", Role.POLICE_INTAKE),
        ("fc-police", Role.POLICE_HEAD),  # the head decides, he does not ask
        ("my-police", Role.POLICE_REVIEWER),
        ("fc-proc", Role.PROCURATOR),
    ],
)
def test_only_the_reviewer_of_the_organ_may_ask(client, flow_world, suzhou, agency, role):
    referral = flow_world.reach(S.UNDER_POLICE_REVIEW)
    client.force_login(flow_world.user(agency, role))
    response = _post(
        client,
        "referral_extension_request",
        referral,
        **{"extension-rule": "police_review_clue_check", "extension-reason": "理由"},
    )
    assert response.status_code in (200, 404)
    assert 'data-testid="extension-request-form"' not in response.content.decode()
    assert not AuditEvent.objects.filter(referral=referral, action="request_review_extension")


@pytest.mark.parametrize(
    ("agency", "role"),
    [
        ("fc-police", Role.POLICE_REVIEWER),  # the reviewer asks, he does not decide
        ("my-police", Role.POLICE_HEAD),
        ("fc-msa", Role.AGENCY_HEAD),
        ("fc-proc", Role.CHIEF_PROCURATOR),
    ],
)
@pytest.mark.parametrize("action", ["referral_extension_grant", "referral_extension_refuse"])
def test_only_the_head_of_the_organ_may_decide(client, flow_world, suzhou, agency, role, action):
    referral = flow_world.reach(S.UNDER_POLICE_REVIEW)
    _ask(client, flow_world, referral)
    client.force_login(flow_world.user(agency, role))
    page = _page(client, referral)
    assert 'data-testid="extension-decision-form"' not in page
    _post(
        client,
        action,
        referral,
        **{
            "extension-decision-rule": "police_review_clue_check",
            "extension-decision-reason": "同意",
        },
    )
    assert not AuditEvent.objects.filter(
        referral=referral, action__in=("extend_review", "refuse_review_extension")
    )
    assert referral.clocks.get(rule="police_filing_decision").state == ClockState.RUNNING


def test_the_reviewers_page_reads_the_rule_set_in_a_fixed_number_of_queries(
    client, flow_world, suzhou, django_assert_num_queries
):
    referral = flow_world.reach(S.UNDER_POLICE_REVIEW)
    client.force_login(flow_world.user("fc-police", Role.POLICE_REVIEWER))
    _page(client, referral)  # the session and the user's roles read once, as on any page
    # The case page's queries, without the case-group form's choices (-1: the police do not
    # appoint it) + the open tasks of the police with their holders, for the steps offered
    # (1) + the name of the local rule set beside its clocks (1, tests/workflows/test_queries.py)
    # + the rule set's two extensions, each resolved with its period and article (2); the
    # pending request is read from the timeline already loaded (0).
    with django_assert_num_queries(CASE_PAGE - 1 + 1 + 1 + 2):
        page = _page(client, referral)
    assert 'data-testid="extension-request-form"' in page
