"""The statutory clocks: what each one measures, its national default and whose clock it is.

National defaults come from the verified texts (DOMAIN.md [V]); a rule whose `amount` is None
has no national period and runs only where a jurisdiction's rule set defines one (DOMAIN.md [S]).
Jurisdictions override amount and unit through `DeadlineRule` rows; counting is in deadlines.py.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .law import (
    DECREE_310,
    MPS_PROCEDURE,
    SAMR_PENALTY_PROCEDURE,
    SPP_PROCEDURE,
    article,
)
from .roles import Role, Side


class Unit(models.TextChoices):
    HOURS = "hours", _("hours")
    CALENDAR_DAYS = "calendar_days", _("calendar days")
    WORKING_DAYS = "working_days", _("working days")


@dataclass(frozen=True)
class ClockRule:
    code: str
    label: str
    amount: int | None
    unit: str
    article: str
    owner_side: str
    owner_role: str
    # What starts the clock, said here once: None for a step (the steps that start it declare
    # it in `starts=`), else the receipt by its addressee of a document of this type (DOMAIN.md
    # §9.1: the texts count from 接到 / 收到, not from the issue) ...
    starts_on_receipt_of: str | None = None
    # ... sent by one of these steps (any step when empty): one type may carry two periods.
    sent_by: tuple[str, ...] = ()


def _rule(
    code, label, amount, unit, source_article, side, role, receipt=None, sent_by=()
) -> ClockRule:
    return ClockRule(code, label, amount, unit, source_article, side, role, receipt, sent_by)


RULES: dict[str, ClockRule] = {
    r.code: r
    for r in (
        # Head decides on the transfer report within 3 days of receiving it. Decree 310 art. 5.
        _rule(
            "approval_decision",
            _("Head's decision on the transfer report"),
            3,
            Unit.CALENDAR_DAYS,
            article(DECREE_310, 5),
            Side.AGENCY,
            Role.AGENCY_HEAD,
        ),
        # Transfer within 24 hours of the approval. Decree 310 art. 5.
        _rule(
            "transfer_after_approval",
            _("Transfer to police after approval"),
            24,
            Unit.HOURS,
            article(DECREE_310, 5),
            Side.AGENCY,
            Role.CASE_OFFICER,
        ),
        # Forward within 24 h if not competent (Decree 310 art. 7); notify incomplete materials
        # within 24 h of accepting (MPS rules art. 180 para. 2).
        _rule(
            "police_intake_check",
            _("Police intake check (competence and completeness)"),
            24,
            Unit.HOURS,
            article(MPS_PROCEDURE, 180, 2),
            Side.POLICE,
            Role.POLICE_INTAKE,
        ),
        # Decide to file or not within 3 days of accepting the case. Decree 310 art. 8.
        _rule(
            "police_filing_decision",
            _("Police decision to file or not"),
            3,
            Unit.CALENDAR_DAYS,
            article(DECREE_310, 8),
            Side.POLICE,
            Role.POLICE_REVIEWER,
        ),
        # Local extensions only (Suzhou 2017: 7 days when clues need checking; 30 days for major
        # cases with county-level approval). No national period [S F3].
        _rule(
            "police_review_clue_check",
            _("Police review extended: clues need checking"),
            None,
            Unit.CALENDAR_DAYS,
            article(DECREE_310, 8),
            Side.POLICE,
            Role.POLICE_REVIEWER,
        ),
        _rule(
            "police_review_major",
            _("Police review extended: major or complex case"),
            None,
            Unit.CALENDAR_DAYS,
            article(DECREE_310, 8),
            Side.POLICE,
            Role.POLICE_REVIEWER,
        ),
        # The agency supplements within 3 days of the notice. MPS rules art. 180 para. 2.
        _rule(
            "agency_supplement",
            _("Agency supplements materials"),
            3,
            Unit.CALENDAR_DAYS,
            article(MPS_PROCEDURE, 180, 2),
            Side.AGENCY,
            Role.CASE_OFFICER,
        ),
        # Items handed over within 3 days of the agency's receipt of the filing notice. Decree 310
        # art. 12.
        _rule(
            "items_handover",
            _("Hand over seized items"),
            3,
            Unit.CALENDAR_DAYS,
            article(DECREE_310, 12),
            Side.AGENCY,
            Role.CASE_OFFICER,
            "filing_notice",
        ),
        # Reconsideration may be requested within 3 days of receiving the non-filing notice.
        # Decree 310 art. 9; MPS rules art. 181.
        _rule(
            "reconsideration_window",
            _("Agency may request reconsideration"),
            3,
            Unit.CALENDAR_DAYS,
            article(DECREE_310, 9),
            Side.AGENCY,
            Role.CASE_OFFICER,
            "non_filing_notice",
            ("decline_filing",),
        ),
        # Police decide within 3 days of receiving the request. Decree 310 art. 9 para. 2; MPS 181.
        _rule(
            "reconsideration_decision",
            _("Police decide on reconsideration"),
            3,
            Unit.CALENDAR_DAYS,
            article(DECREE_310, 9, 2),
            Side.POLICE,
            Role.POLICE_REVIEWER,
            "reconsideration_request",
        ),
        # Within 3 days of receiving the reconsideration result (复议决定通知书) upholding the
        # non-filing the agency may ask for supervision. Decree 310 art. 9 para. 2.
        _rule(
            "supervision_request_window",
            _("Agency may ask for filing supervision"),
            3,
            Unit.CALENDAR_DAYS,
            article(DECREE_310, 9, 2),
            Side.AGENCY,
            Role.CASE_OFFICER,
            "reconsideration_decision",
            ("reconsider_uphold",),
        ),
        # Police explain within 7 days of receiving the requirement. SPP rules art. 560; MPS 182.
        _rule(
            "police_explanation",
            _("Police explain non-filing"),
            7,
            Unit.CALENDAR_DAYS,
            article(SPP_PROCEDURE, 560),
            Side.POLICE,
            Role.POLICE_REVIEWER,
            "explanation_requirement",
        ),
        # Reasons found valid: tell the agency within 10 days. SPP rules art. 561 para. 2.
        _rule(
            "supervision_conclusion",
            _("Procuratorate concludes on the explanation"),
            10,
            Unit.CALENDAR_DAYS,
            article(SPP_PROCEDURE, 561, 2),
            Side.PROCURATORATE,
            Role.PROCURATOR,
        ),
        # Police file within 15 days of receiving the notice to file. SPP art. 563; MPS 182.
        _rule(
            "ordered_filing",
            _("Police file as ordered"),
            15,
            Unit.CALENDAR_DAYS,
            article(SPP_PROCEDURE, 563),
            Side.POLICE,
            Role.POLICE_REVIEWER,
            "notice_to_file",
        ),
        # Police overdue on a decision explain within 7 days. SPP rules art. 562.
        _rule(
            "overdue_explanation",
            _("Police explain an overdue decision"),
            7,
            Unit.CALENDAR_DAYS,
            article(SPP_PROCEDURE, 562),
            Side.POLICE,
            Role.POLICE_REVIEWER,
        ),
        # Transfer after a procuratorate's demand: Suzhou 3 days [S F3]; no national period.
        _rule(
            "transfer_after_demand",
            _("Agency transfers after the procuratorate's demand"),
            None,
            Unit.CALENDAR_DAYS,
            article(SPP_PROCEDURE, 557, 3),
            Side.AGENCY,
            Role.AGENCY_HEAD,
        ),
        # Close the administrative file within 15 working days. SAMR penalty procedure art. 77.
        _rule(
            "close_file",
            _("Close the administrative file"),
            15,
            Unit.WORKING_DAYS,
            article(SAMR_PENALTY_PROCEDURE, 77),
            Side.AGENCY,
            Role.AGENCY_HEAD,
        ),
    )
}

# The clocks that may replace `police_filing_decision` where a jurisdiction allows extension.
# The clocks the police decision to file or not runs on: the national period and the local
# extensions that replace it (services/referrals.py: referral_extend_review).
POLICE_DECISION_CLOCKS = (
    "police_filing_decision",
    "police_review_clue_check",
    "police_review_major",
)
# Police periods whose lapse the same-level procuratorate is told of: it supervises the police's
# filing decisions and their time limits (《人民检察院刑事诉讼规则》第五百六十二条).
PROCURATORATE_WARNED_CLOCKS = frozenset(
    {
        *POLICE_DECISION_CLOCKS,
        "reconsideration_decision",
        "police_explanation",
        "ordered_filing",
        "overdue_explanation",
    }
)
REVIEW_EXTENSION_RULES = ("police_review_clue_check", "police_review_major")

# Periods of the coordination outside the referral's lifecycle (DOMAIN.md §4.1, §4.8): no
# national text sets them, so the defaults are practice [S] and a jurisdiction's rule set
# overrides them like any clock (`DeadlineRule`). They run on their own records, not as a
# referral's `Clock`, so the lifecycle's index (docs/lifecycle.md) does not list them.
COORDINATION_RULES: dict[str, ClockRule] = {
    r.code: r
    for r in (
        # The police or procuratorate answers a request for early intervention (Guangdong's
        # rules set a feedback limit, Ningxia's make police intervention mandatory) [S F4, F6].
        _rule(
            "intervention_response",
            _("Answer to a request for early intervention"),
            3,
            Unit.WORKING_DAYS,
            "",
            Side.POLICE,
            "",
        ),
        # The police station answers a clue passed by its market-supervision station (Beijing
        # 所所衔接, Hangzhou 线索传递) [S PR5].
        _rule(
            "clue_response",
            _("Police station's answer to a passed clue"),
            3,
            Unit.WORKING_DAYS,
            "",
            Side.POLICE,
            "",
        ),
    )
}
# Every period a jurisdiction's rule set may set.
ALL_RULES: dict[str, ClockRule] = {**RULES, **COORDINATION_RULES}


def rules_started_on_receipt_of(doc_type: str, sent_by: str) -> tuple[str, ...]:
    """The clocks the receipt of a `doc_type` document sent by step `sent_by` starts."""
    return tuple(
        code
        for code, rule in RULES.items()
        if rule.starts_on_receipt_of == doc_type and (not rule.sent_by or sent_by in rule.sent_by)
    )


# --- What a local rule set may do (DOMAIN.md §9.4) --------------------------------------------

# Extensions of the police review that a national text allows and a rule set may adopt, with
# the longest period it allows (DOMAIN.md §9.4: clue checks up to 30 days, 30 more for a major
# case, each approved by the police head) [S].
ECONOMIC_CRIME_RULE = "《公安机关办理经济犯罪案件的若干规定》"
NATIONAL_EXTENSION_LIMITS: dict[str, tuple[int, str]] = {
    "police_review_clue_check": (30, Unit.CALENDAR_DAYS),
    "police_review_major": (60, Unit.CALENDAR_DAYS),
}


def local_rule_error(code: str, amount: int, unit: str) -> str | None:
    """Why a local period of `amount` `unit` for clock `code` may not apply (None if it may):
    it may not be longer than the national period, nor than the national text's extension."""
    if code in COORDINATION_RULES:
        return None  # practice defaults [S]: no national period to keep to
    national = RULES[code]
    if national.amount is not None:
        if _not_longer(amount, unit, national.amount, national.unit):
            return None
        return str(
            gettext(
                "A local rule may not lengthen the national period "
                "(%(amount)s %(unit)s, %(article)s)."
            )
            % {
                "amount": national.amount,
                "unit": Unit(national.unit).label,
                "article": national.article,
            }
        )
    limit = NATIONAL_EXTENSION_LIMITS.get(code)
    if limit is None or _not_longer(amount, unit, *limit):
        return None
    return str(
        gettext("The extension may not exceed %(amount)s %(unit)s (%(source)s).")
        % {"amount": limit[0], "unit": Unit(limit[1]).label, "source": ECONOMIC_CRIME_RULE}
    )


def _not_longer(amount: int, unit: str, than: int, than_unit: str) -> bool:
    """True when a period of `amount` `unit` ends no later than one of `than` `than_unit` from
    any start: same unit and no more; hours within the days; calendar days within as many
    working days. Working days can outlast the same number of calendar days (a holiday)."""
    if unit == than_unit:
        return amount <= than
    if unit == Unit.HOURS:
        return amount <= 24 * than
    if unit == Unit.CALENDAR_DAYS and than_unit == Unit.WORKING_DAYS:
        return amount <= than
    if unit == Unit.WORKING_DAYS and than_unit == Unit.CALENDAR_DAYS:
        # n working days span at most their weekends and the longest holiday (Spring Festival
        # or National Day with its weekends, nine days) in calendar days.
        return amount + 2 * (amount // 5 + 1) + 9 <= than
    return False
