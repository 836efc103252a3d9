"""The conditions a step checks on the referral, each with the message shown when unmet.

Each condition takes the referral and returns True when met; django-fsm evaluates them, and the
step gate shows every unmet one's `message`. A condition marked `applicability` tells whether the
step can apply to the case at all (its kind, an IP case): where it fails, the case page does not
offer the step, since nothing the officer does on the case would make it possible.
"""

from django.db.models import Exists, F, Func, Subquery
from django.utils.translation import gettext_lazy as _

from ..clock_rules import POLICE_DECISION_CLOCKS
from ..timeutil import add_months, now
from .attachments import OTHER_MATERIAL_KINDS, AttachmentKind
from .states import ReferralKind, Status


def condition(message, *, fact=None, applicability: bool = False):
    """Gives the condition the message shown when it is not met, and whether it is about the
    step applying to the case at all (see the module docstring). A condition that reads the
    database names the expression it reads as `fact` (a function of the referral), so the step
    gate can read every fact of a step in one query (`facts_preload`); the condition reads its
    fact through `_fact`, which queries it alone when nothing was preloaded."""

    def decorate(fn):
        fn.message = message
        fn.fact = fact
        fn.applicability = applicability
        return fn

    return decorate


# Where `facts_preload` leaves the facts on the referral instance (for one gate run only).
_FACTS = "_condition_facts"


def facts_read(r, conditions) -> dict:
    """The facts of those `conditions` that read the database, in one query: name -> value."""
    expressions = {f"fact_{c.__name__}": c.fact(r) for c in conditions if c.fact is not None}
    if not expressions:
        return {}
    row = type(r)._base_manager.filter(pk=r.pk).values(**expressions).get()
    return {name.removeprefix("fact_"): value for name, value in row.items()}


def facts_preload(r, conditions) -> None:
    """Reads the facts of `conditions` at once for the conditions to use; the caller holds the
    referral's row lock and calls `facts_forget` once the conditions have been evaluated, so
    no fact outlives the check it was read for."""
    r.__dict__[_FACTS] = facts_read(r, conditions)


def facts_forget(r) -> None:
    r.__dict__.pop(_FACTS, None)


def _fact(r, fn):
    preloaded = r.__dict__.get(_FACTS)
    if preloaded is not None and fn.__name__ in preloaded:
        return preloaded[fn.__name__]
    return facts_read(r, [fn])[fn.__name__]


def _count(queryset):
    """A scalar subquery counting `queryset`'s rows (COUNT without GROUP BY)."""
    return Subquery(queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"))


def step_applies(fsm_transition, referral) -> bool:
    """Whether every applicability condition of the transition holds for the referral."""
    return all(c(referral) for c in fsm_transition.conditions if c.applicability)


@condition(_("Only a transfer of a suspected crime can take this step."), applicability=True)
def is_criminal_transfer(r):
    return r.kind == ReferralKind.CRIMINAL_TRANSFER


@condition(
    _("Only a transfer for administrative detention can take this step."), applicability=True
)
def is_detention_transfer(r):
    return r.kind == ReferralKind.ADMIN_DETENTION


@condition(
    _("Transfer on reasonable suspicion is allowed only for intellectual-property cases."),
    applicability=True,
)
def is_ip_case(r):
    return r.is_ip_case


@condition(_("Record the facts and the suspected charge first."))
def has_facts_and_charge(r):
    return bool(r.facts.strip() and r.suspected_charge.strip())


@condition(_("Record the facts first."))
def has_facts(r):
    return bool(r.facts.strip())


@condition(
    _("The special case group needs at least two officers of the agency."),
    fact=lambda r: _count(r.case_team.filter(agency_id=r.agency_id, is_active=True)),
)
def has_case_group(r):
    # 《行政执法机关移送涉嫌犯罪案件的规定》第五条: 专案组 of two or more officers.
    return _fact(r, has_case_group) >= 2


@condition(
    _("Attach the written transfer report first."),
    fact=lambda r: Exists(r.attachments.filter(kind=AttachmentKind.TRANSFER_REPORT)),
)
def has_transfer_report(r):
    return bool(_fact(r, has_transfer_report))


# 《行政执法机关移送涉嫌犯罪案件的规定》第六条: items ①–③ are issued by the transfer step itself
# (attachments.GENERATED_TRANSFER_ITEMS); the officer attaches ④ and ⑤.
@condition(_("Attach the test report or appraisal opinion (item 4 of the transfer) first."))
def has_test_report(r):
    return r.attachments.filter(kind=AttachmentKind.TEST_REPORT).exists()


@condition(_("Attach the other materials on the suspected crime (item 5 of the transfer) first."))
def has_other_materials(r):
    return r.attachments.filter(kind__in=OTHER_MATERIAL_KINDS).exists()


@condition(_("Choose the receiving police organ first."))
def has_police_agency(r):
    return r.police_agency_id is not None


@condition(
    _("Detention transfer requires a recorded penalty revoking the licence."),
    fact=lambda r: Exists(r.penalties.filter(licence_revoked=True)),
)
def has_licence_revocation(r):
    # 《食品安全法》第一百二十三条: detention goes with revocation of the licence.
    return bool(_fact(r, has_licence_revocation))


def _overdue_clocks(r, rules):
    return r.clocks.filter(rule__in=rules, state__in=("running", "overdue"), due_at__lt=now())


def _clock_overdue(r, rules) -> bool:
    return _overdue_clocks(r, rules).exists()


def _clock_overdue_fact(rules):
    """`_clock_overdue` as a fact (see `condition`)."""
    return lambda r: Exists(_overdue_clocks(r, rules))


@condition(
    _("The police decision period has not yet run out."),
    fact=_clock_overdue_fact(POLICE_DECISION_CLOCKS),
)
def police_decision_overdue(r):
    return bool(_fact(r, police_decision_overdue))


@condition(
    _("The police still have time to explain the non-filing."),
    fact=_clock_overdue_fact(("police_explanation",)),
)
def explanation_overdue(r):
    # 《人民检察院刑事诉讼规则》第五百五十九条至第五百六十一条: notice to file after the
    # explanation was found not to stand, or once the seven days ran out without one.
    return bool(_fact(r, explanation_overdue))


@condition(_("The police still have time to explain the non-filing."))
def explanation_received_or_overdue(r):
    return r.status != Status.EXPLANATION_REQUESTED or explanation_overdue(r)


@condition(
    _("The police still have time to explain the overdue decision."),
    fact=_clock_overdue_fact(("overdue_explanation",)),
)
def overdue_explanation_overdue(r):
    return bool(_fact(r, overdue_explanation_overdue))


@condition(
    _("An explanation of the overdue decision has already been demanded."),
    fact=lambda r: Exists(r.clocks.filter(rule="overdue_explanation")),
)
def overdue_explanation_not_demanded(r):
    return not _fact(r, overdue_explanation_not_demanded)


@condition(
    _("The 15 days for filing as ordered have not yet run out."),
    fact=_clock_overdue_fact(("ordered_filing",)),
)
def ordered_filing_overdue(r):
    return bool(_fact(r, ordered_filing_overdue))


@condition(_("Chasing is possible only three months after a filing under supervision."))
def supervised_filing_three_months_old(r):
    # 《人民检察院刑事诉讼规则》第五百六十四条第三款.
    return bool(r.supervised_filing and r.filed_at and add_months(r.filed_at, 3) <= now())


@condition(
    _("Record the administrative outcome (penalty decision or decision not to penalise) first.")
)
def admin_outcome_recorded(r):
    # 《行政执法机关移送涉嫌犯罪案件的规定》第十条: after non-filing the agency goes on with the
    # administrative case; its file closes only with that outcome recorded.
    return r.status != Status.ADMIN_HANDLING_AFTER_NON_FILING or r.penalties.exists()


@condition(_("Report to the procuratorate how the procuratorial opinion was handled first."))
def opinion_handling_reported(r):
    # 《刑事诉讼法》第一百七十七条第三款: the agency tells the procuratorate the result.
    return r.opinion_sent_at is None or r.opinion_handling_reported_at is not None


@condition(_("There is no procuratorial opinion whose handling is still to be reported."))
def opinion_handling_unreported(r):
    return r.opinion_sent_at is not None and r.opinion_handling_reported_at is None


@condition(_("The seized items have already been handed over."))
def items_not_handed_over(r):
    return r.items_handed_over_at is None
