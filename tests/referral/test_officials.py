"""Who decides (DOMAIN.md §9.2), the supervision paths (§9.3) and local rule sets (§9.4).

The edge x actor table (test_lifecycle.py) already refuses every wrong role on every step; these
tests pin what it cannot say: the principal head's mark, the two steps of a proposal and its
approval with their own actors, where a proposal sent back lands, and which local period applies.
"""

import pytest
from django.core.exceptions import ValidationError

from referral import deadlines, lifecycle
from referral.models import AuditEvent, DeadlineRule, Role, RuleSet
from referral.services.errors import ConditionNotMet, PermissionDenied
from referral.services.transitions import run_transition
from referral.services.users import user_set_access
from tests.factories import UserFactory

S = lifecycle.Status


def _events(referral):
    return list(
        AuditEvent.objects.filter(referral=referral)
        .exclude(action__in=("issue_document", "receive_document"))
        .order_by("seq")
        .values_list("action", "actor__username", "reason")
    )


def test_a_deputy_head_may_not_approve_a_transfer_the_principal_head_may(world):
    """《行政执法机关移送涉嫌犯罪案件的规定》第五条: 正职负责人 or 主持工作的负责人."""
    referral = world.reach(S.TRANSFER_REPORT_PENDING_APPROVAL)
    deputy = world.user("fc-msa", "deputy_head")
    for name in ("approve_transfer", "refuse_transfer"):
        with world.at(), pytest.raises(PermissionDenied, match="principal|正职"):
            run_transition(referral_id=referral.pk, actor=deputy, name=name, reason="理由")
    world.do(referral, "approve_transfer", actor=world.user("fc-msa", Role.AGENCY_HEAD))
    referral.refresh_from_db()
    assert referral.status == S.TRANSFER_APPROVED


def test_the_security_admin_marks_the_principal_head_and_it_is_audited(world):
    secadmin = UserFactory(username="secadmin", agency=None, roles=[Role.SECURITY_ADMIN])
    deputy = world.user("fc-msa", "deputy_head")
    user_set_access(
        actor=secadmin, user_id=deputy.pk, roles=[Role.AGENCY_HEAD], principal_head=True
    )
    deputy.refresh_from_db()
    assert deputy.is_principal_head
    event = AuditEvent.objects.get(action="set_principal_head")
    assert (event.actor, event.payload["after"]) == (secadmin, True)


def test_the_reviewer_proposes_filing_and_the_police_head_approves(world):
    """《公安机关办理刑事案件程序规定》第一百七十八条: two steps, two actors, both audited."""
    referral = world.reach(S.UNDER_POLICE_REVIEW)
    reviewer = world.user("fc-police", Role.POLICE_REVIEWER)
    head = world.user("fc-police", Role.POLICE_HEAD)
    world.do(referral, "propose_filing", actor=reviewer)
    # The reviewer cannot approve their own proposal.
    with world.at(), pytest.raises(PermissionDenied):
        run_transition(referral_id=referral.pk, actor=reviewer, name="file_case", reason="同意")
    world.do(referral, "file_case", actor=head, reason="同意立案。")
    referral.refresh_from_db()
    assert referral.status == S.FILED and referral.filed_at is not None
    assert _events(referral)[-2:] == [
        ("propose_filing", reviewer.username, ""),
        ("file_case", head.username, "同意立案。"),
    ]


def test_a_proposal_sent_back_returns_where_it_came_from(world):
    referral = world.reach(S.EXPLANATION_REQUESTED)
    world.do(referral, "propose_filing")  # asked to explain, the police may file (MPS 182)
    world.do(referral, "return_decision_proposal")
    referral.refresh_from_db()
    assert referral.status == S.EXPLANATION_REQUESTED
    assert referral.clocks.open().filter(rule="police_explanation").exists()


def test_notice_to_file_waits_for_the_explanation_or_its_seven_days(world):
    """SPP rules arts. 559–561: not while the police still have time to explain."""
    referral = world.reach(S.EXPLANATION_REQUESTED)
    procurator = world.user("fc-proc", Role.PROCURATOR)
    with world.at(), pytest.raises(ConditionNotMet):
        run_transition(
            referral_id=referral.pk, actor=procurator, name="propose_filing_order", reason="理由"
        )
    world.advance(days=10)
    world.do(referral, "propose_filing_order", prepare=False)
    chief = world.user("fc-proc", Role.CHIEF_PROCURATOR)
    with world.at(), pytest.raises(PermissionDenied):
        run_transition(referral_id=referral.pk, actor=procurator, name="order_filing", reason="x")
    world.do(referral, "order_filing", actor=chief, reason="检察长决定通知立案。")
    referral.refresh_from_db()
    assert referral.status == S.FILING_ORDERED


def test_after_a_correction_on_an_overdue_decision_the_police_may_decline(world):
    """SPP rules art. 562: the police must decide, not necessarily file."""
    referral = world.reach(S.OVERDUE_DECISION_CORRECTED)
    world.do(referral, "propose_non_filing")
    world.do(referral, "decline_filing")
    referral.refresh_from_db()
    assert referral.status == S.NOT_FILED


# --- Local rule sets (§9.4) -------------------------------------------------------------------


@pytest.fixture
def qingdao(db):
    return RuleSet.objects.create(
        code="qd", name="青岛市", region_prefix="3702", source="青岛市《关于……的意见》"
    )


@pytest.mark.parametrize(
    ("amount", "unit", "applies"),
    [
        (2, "calendar_days", True),  # stricter
        (48, "hours", True),  # stricter
        (3, "calendar_days", True),
        (10, "calendar_days", False),  # Qingdao 2014's ten days: longer than Decree 310's three
        (3, "working_days", False),  # can outlast three calendar days over a holiday
    ],
)
def test_a_local_period_applies_only_when_not_longer_than_the_national(
    qingdao, amount, unit, applies
):
    DeadlineRule.objects.create(
        ruleset=qingdao, rule="police_filing_decision", amount=amount, unit=unit, article="本地"
    )
    resolved = deadlines.resolve_rule("police_filing_decision", region_code="370202")
    expected = (amount, unit, "qd") if applies else (3, "calendar_days", deadlines.NATIONAL)
    assert (resolved.amount, resolved.unit, resolved.ruleset) == expected
    rule = DeadlineRule(
        ruleset=qingdao, rule="reconsideration_decision", amount=amount, unit=unit, article="x"
    )
    if applies:
        rule.clean()
    else:
        with pytest.raises(ValidationError):
            rule.clean()


def test_an_extension_applies_up_to_what_the_national_text_allows(qingdao):
    DeadlineRule.objects.create(
        ruleset=qingdao, rule="police_review_major", amount=30, unit="calendar_days", article="x"
    )
    resolved = deadlines.resolve_rule("police_review_major", region_code="370202")
    assert (resolved.amount, resolved.ruleset) == (30, "qd")
    too_long = DeadlineRule(
        ruleset=qingdao, rule="police_review_clue_check", amount=45, unit="calendar_days"
    )
    with pytest.raises(ValidationError):
        too_long.clean()


def test_the_fixture_rule_sets_are_all_allowed_and_carry_their_real_titles(db):
    from django.core.management import call_command

    call_command("loaddata", "fixtures/rulesets.json", verbosity=0)
    for rule in DeadlineRule.objects.all():
        rule.clean()
    titles = dict(RuleSet.objects.values_list("code", "source"))
    assert "移送涉嫌危害食品药品安全犯罪案件的规定" in titles["ningxia"]
    assert "关于建立和完善涉嫌食品药品安全犯罪案件移送工作机制的意见" in titles["qingdao"]
    # Qingdao's ten days would lengthen Decree 310's three: the national period applies.
    resolved = deadlines.resolve_rule("police_filing_decision", region_code="370202")
    assert (resolved.amount, resolved.ruleset) == (3, deadlines.NATIONAL)
