"""Overdue warnings: the agency that answers for the clock, and for supervised police periods
the same-level procuratorate (《人民检察院刑事诉讼规则》第五百六十二条); each written once."""

from referral import lifecycle
from referral.models import Notice, Role
from referral.services.clocks import clocks_sweep

S = lifecycle.Status


def _recipients(referral):
    return sorted(
        (n.recipient_agency.code, n.recipient_role, n.clock.rule)
        for n in Notice.objects.filter(referral=referral)
    )


def test_overdue_agency_clock_warns_the_agency_head_only_once(world):
    referral = world.reach(S.TRANSFER_REPORT_PENDING_APPROVAL)
    world.advance(days=5)
    with world.at():
        clocks_sweep()
        clocks_sweep()
    assert _recipients(referral) == [("fc-msa", Role.AGENCY_HEAD, "approval_decision")]


def test_overdue_police_decision_also_warns_the_procuratorate(world):
    referral = world.reach(S.UNDER_POLICE_REVIEW)
    world.advance(days=40)
    with world.at():
        clocks_sweep()
    rules = {rule for _code, _role, rule in _recipients(referral)}
    assert "police_filing_decision" in rules
    assert ("fc-proc", Role.PROCURATOR, "police_filing_decision") in _recipients(referral)
    # The police head answers for the police's decision (MPS rules art. 178).
    assert ("fc-police", Role.POLICE_HEAD, "police_filing_decision") in _recipients(referral)


def test_warnings_are_read_by_the_recipient_role_of_the_recipient_agency(world):
    referral = world.reach(S.UNDER_POLICE_REVIEW)
    world.advance(days=40)
    with world.at():
        clocks_sweep()
    procurator = world.user("fc-proc", Role.PROCURATOR)
    officer = world.user("fc-msa", Role.CASE_OFFICER)
    assert Notice.objects.for_user(procurator).filter(referral=referral).exists()
    assert not Notice.objects.for_user(officer).exists()
