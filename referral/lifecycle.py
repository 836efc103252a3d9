"""The legal lifecycle of a referral: every state, every transition, and nothing else writes status.

DOMAIN.md §3.2 (T1–T18), §3.3 (M1–M8), §3.4 (K1–K4), §4.3 (reverse transfer) and §4.7
(administrative detention). Each transition carries a `Step`: who acts (the side of the referral
whose agency may act, and the role), the article it implements, the clocks it starts and stops,
and whether a reason is required. Services are the gate: they lock the referral, ask
`permissions`, evaluate the conditions (each with a message), run the transition, write the
audit event and apply the clocks. See referral/services/transitions.py.
"""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, transition

from . import permissions
from .clock_rules import Side
from .law import (
    CPL,
    DECREE_310,
    FOOD_SAFETY_LAW,
    MPS_PROCEDURE,
    SAMR_PENALTY_PROCEDURE,
    SPP_PROCEDURE,
    SPP_TRANSFER_RULE,
    article,
    articles,
)
from .models.agencies import Role
from .timeutil import add_months, now


class ReferralKind(models.TextChoices):
    CRIMINAL_TRANSFER = "criminal_transfer", _("Transfer of a suspected crime")
    ADMIN_DETENTION = "admin_detention", _("Transfer for administrative detention")


class Status(models.TextChoices):
    # Administrative side (Decree 310 arts. 3–6).
    ADMIN_CASE_UNDER_INVESTIGATION = "ADMIN_CASE_UNDER_INVESTIGATION", _("Administrative case under investigation")  # noqa: E501
    SUSPECTED_CRIME_FOUND = "SUSPECTED_CRIME_FOUND", _("Suspected crime found")
    TRANSFER_REPORT_PENDING_APPROVAL = "TRANSFER_REPORT_PENDING_APPROVAL", _("Transfer report awaiting approval")  # noqa: E501
    TRANSFER_REFUSED_RECORDED = "TRANSFER_REFUSED_RECORDED", _("Transfer refused, reasons recorded")
    TRANSFER_APPROVED = "TRANSFER_APPROVED", _("Transfer approved")
    TRANSFERRED_AWAITING_RECEIPT = "TRANSFERRED_AWAITING_RECEIPT", _("Transferred, awaiting receipt")  # noqa: E501
    # Police intake and review (Decree 310 arts. 7–8; MPS rules art. 180).
    RECEIVED_BY_POLICE = "RECEIVED_BY_POLICE", _("Received by police")
    MATERIALS_SUPPLEMENT_REQUESTED = "MATERIALS_SUPPLEMENT_REQUESTED", _("Supplementary materials requested")  # noqa: E501
    FORWARDED_TO_COMPETENT_AUTHORITY = "FORWARDED_TO_COMPETENT_AUTHORITY", _("Forwarded to the competent police organ")  # noqa: E501
    RETURNED_NOT_POLICE_MATTER = "RETURNED_NOT_POLICE_MATTER", _("Returned: not a police matter")
    UNDER_POLICE_REVIEW = "UNDER_POLICE_REVIEW", _("Under police review")
    FILED = "FILED", _("Filed as a criminal case")
    ITEMS_HANDED_OVER = "ITEMS_HANDED_OVER", _("Seized items handed over")
    NOT_FILED = "NOT_FILED", _("Not filed")
    RECONSIDERATION_PENDING = "RECONSIDERATION_PENDING", _("Reconsideration pending")
    RECONSIDERATION_UPHELD_NOT_FILED = "RECONSIDERATION_UPHELD_NOT_FILED", _("Non-filing upheld on reconsideration")  # noqa: E501
    # Filing supervision (SPP rules arts. 557–564).
    FILING_SUPERVISION_REQUESTED = "FILING_SUPERVISION_REQUESTED", _("Filing supervision requested")
    SUPERVISION_UNDER_REVIEW = "SUPERVISION_UNDER_REVIEW", _("Supervision under review")
    EXPLANATION_REQUESTED = "EXPLANATION_REQUESTED", _("Explanation of non-filing requested")
    EXPLANATION_RECEIVED = "EXPLANATION_RECEIVED", _("Explanation of non-filing received")
    FILING_ORDERED = "FILING_ORDERED", _("Police notified to file")
    CORRECTION_NOTICE_ISSUED = "CORRECTION_NOTICE_ISSUED", _("Correction notice issued")
    SUPERVISION_CLOSED_NO_FILING = "SUPERVISION_CLOSED_NO_FILING", _("Supervision closed, non-filing stands")  # noqa: E501
    OVERDUE_DECISION_UNDER_REVIEW = "OVERDUE_DECISION_UNDER_REVIEW", _("Overdue police decision under review")  # noqa: E501
    # After filing.
    CASE_WITHDRAWN = "CASE_WITHDRAWN", _("Criminal case withdrawn")
    PROSECUTION_STAGE_ARREST = "PROSECUTION_STAGE_ARREST", _("Arrest requested")
    PROSECUTION_STAGE_REVIEW = "PROSECUTION_STAGE_REVIEW", _("Referred for prosecution review")
    PROSECUTION_STAGE_PROSECUTED = "PROSECUTION_STAGE_PROSECUTED", _("Public prosecution initiated")
    NON_PROSECUTED = "NON_PROSECUTED", _("Not prosecuted")
    JUDGED = "JUDGED", _("Judgment given")
    # Reverse transfer and administrative handling.
    REVERSE_TRANSFERRED_TO_AGENCY = "REVERSE_TRANSFERRED_TO_AGENCY", _("Transferred back to the agency")  # noqa: E501
    ADMIN_HANDLING_AFTER_NON_FILING = "ADMIN_HANDLING_AFTER_NON_FILING", _("Administrative handling after non-filing")  # noqa: E501
    ADMIN_HANDLING_AFTER_REVERSE_TRANSFER = "ADMIN_HANDLING_AFTER_REVERSE_TRANSFER", _("Administrative handling after reverse transfer")  # noqa: E501
    # Procuratorate's demand to transfer (K1–K4).
    NON_TRANSFER_UNDER_REVIEW = "NON_TRANSFER_UNDER_REVIEW", _("Non-transfer under procuratorial review")  # noqa: E501
    TRANSFER_DEMANDED = "TRANSFER_DEMANDED", _("Transfer demanded by the procuratorate")
    ESCALATED = "ESCALATED", _("Non-transfer escalated")
    # Administrative detention (Food Safety Law art. 123).
    DETENTION_PENDING_APPROVAL = "DETENTION_PENDING_APPROVAL", _("Detention transfer awaiting approval")  # noqa: E501
    DETENTION_TRANSFERRED = "DETENTION_TRANSFERRED", _("Transferred for administrative detention")
    DETENTION_IMPOSED = "DETENTION_IMPOSED", _("Administrative detention imposed")
    DETENTION_DECLINED = "DETENTION_DECLINED", _("Administrative detention declined")
    CLOSED = "CLOSED", _("Closed")


S = Status

# Who must act next in each state (side of the referral, role).
STATE_OWNERS: dict[str, tuple[str, str] | None] = {
    S.ADMIN_CASE_UNDER_INVESTIGATION: (Side.AGENCY, Role.CASE_OFFICER),
    S.SUSPECTED_CRIME_FOUND: (Side.AGENCY, Role.CASE_OFFICER),
    S.TRANSFER_REPORT_PENDING_APPROVAL: (Side.AGENCY, Role.AGENCY_HEAD),
    S.TRANSFER_REFUSED_RECORDED: (Side.AGENCY, Role.AGENCY_HEAD),
    S.TRANSFER_APPROVED: (Side.AGENCY, Role.CASE_OFFICER),
    S.TRANSFERRED_AWAITING_RECEIPT: (Side.POLICE, Role.POLICE_INTAKE),
    S.RECEIVED_BY_POLICE: (Side.POLICE, Role.POLICE_INTAKE),
    S.MATERIALS_SUPPLEMENT_REQUESTED: (Side.AGENCY, Role.CASE_OFFICER),
    S.FORWARDED_TO_COMPETENT_AUTHORITY: (Side.POLICE, Role.POLICE_INTAKE),
    S.RETURNED_NOT_POLICE_MATTER: (Side.AGENCY, Role.AGENCY_HEAD),
    S.UNDER_POLICE_REVIEW: (Side.POLICE, Role.POLICE_REVIEWER),
    S.FILED: (Side.AGENCY, Role.CASE_OFFICER),
    S.ITEMS_HANDED_OVER: (Side.POLICE, Role.POLICE_REVIEWER),
    S.NOT_FILED: (Side.AGENCY, Role.CASE_OFFICER),
    S.RECONSIDERATION_PENDING: (Side.POLICE, Role.POLICE_REVIEWER),
    S.RECONSIDERATION_UPHELD_NOT_FILED: (Side.AGENCY, Role.CASE_OFFICER),
    S.FILING_SUPERVISION_REQUESTED: (Side.PROCURATORATE, Role.PROCURATOR),
    S.SUPERVISION_UNDER_REVIEW: (Side.PROCURATORATE, Role.PROCURATOR),
    S.EXPLANATION_REQUESTED: (Side.POLICE, Role.POLICE_REVIEWER),
    S.EXPLANATION_RECEIVED: (Side.PROCURATORATE, Role.PROCURATOR),
    S.FILING_ORDERED: (Side.POLICE, Role.POLICE_REVIEWER),
    S.CORRECTION_NOTICE_ISSUED: (Side.POLICE, Role.POLICE_REVIEWER),
    S.SUPERVISION_CLOSED_NO_FILING: (Side.AGENCY, Role.CASE_OFFICER),
    S.OVERDUE_DECISION_UNDER_REVIEW: (Side.POLICE, Role.POLICE_REVIEWER),
    S.CASE_WITHDRAWN: (Side.AGENCY, Role.AGENCY_HEAD),
    S.PROSECUTION_STAGE_ARREST: (Side.POLICE, Role.POLICE_REVIEWER),
    S.PROSECUTION_STAGE_REVIEW: (Side.PROCURATORATE, Role.PROCURATOR),
    S.PROSECUTION_STAGE_PROSECUTED: (Side.PROCURATORATE, Role.PROCURATOR),
    S.NON_PROSECUTED: (Side.PROCURATORATE, Role.PROCURATOR),
    S.JUDGED: (Side.AGENCY, Role.AGENCY_HEAD),
    S.REVERSE_TRANSFERRED_TO_AGENCY: (Side.AGENCY, Role.CASE_OFFICER),
    S.ADMIN_HANDLING_AFTER_NON_FILING: (Side.AGENCY, Role.AGENCY_HEAD),
    S.ADMIN_HANDLING_AFTER_REVERSE_TRANSFER: (Side.AGENCY, Role.AGENCY_HEAD),
    S.NON_TRANSFER_UNDER_REVIEW: (Side.PROCURATORATE, Role.PROCURATOR),
    S.TRANSFER_DEMANDED: (Side.AGENCY, Role.AGENCY_HEAD),
    S.ESCALATED: (Side.AGENCY, Role.AGENCY_HEAD),
    S.DETENTION_PENDING_APPROVAL: (Side.AGENCY, Role.AGENCY_HEAD),
    S.DETENTION_TRANSFERRED: (Side.POLICE, Role.POLICE_REVIEWER),
    S.DETENTION_IMPOSED: (Side.AGENCY, Role.AGENCY_HEAD),
    S.DETENTION_DECLINED: (Side.AGENCY, Role.AGENCY_HEAD),
    S.CLOSED: None,
}

# Outcomes after which the agency closes its file (T18); entering one starts `close_file`.
CLOSABLE_STATES = (
    S.TRANSFER_REFUSED_RECORDED,
    S.RETURNED_NOT_POLICE_MATTER,
    S.CASE_WITHDRAWN,
    S.JUDGED,
    S.NON_PROSECUTED,
    S.ADMIN_HANDLING_AFTER_NON_FILING,
    S.ADMIN_HANDLING_AFTER_REVERSE_TRANSFER,
    S.DETENTION_IMPOSED,
    S.DETENTION_DECLINED,
)
# The case record is the agency's until it leaves for the police (or comes back to it).
EDITABLE_STATES = (
    S.ADMIN_CASE_UNDER_INVESTIGATION,
    S.SUSPECTED_CRIME_FOUND,
    S.TRANSFER_APPROVED,
    S.MATERIALS_SUPPLEMENT_REQUESTED,
    S.TRANSFER_DEMANDED,
    S.ESCALATED,
)
POLICE_DECISION_STATES = (S.RECEIVED_BY_POLICE, S.UNDER_POLICE_REVIEW)
AFTER_FILING_STATES = (S.FILED, S.ITEMS_HANDED_OVER, S.PROSECUTION_STAGE_ARREST)
POLICE_DECISION_CLOCKS = (
    "police_filing_decision",
    "police_review_clue_check",
    "police_review_major",
)


@dataclass(frozen=True)
class Step:
    """What the law says about one transition; stored in the transition's `custom`."""

    label: str
    side: str
    role: str
    article: str
    starts: tuple[str, ...] = ()
    stops: tuple[str, ...] = ()  # obligations this step fulfils
    cancels: tuple[str, ...] = ()  # obligations that lapse with this step
    reason_required: bool = False
    inputs: tuple[str, ...] = field(default=())  # optional data the step takes
    required_inputs: tuple[str, ...] = field(default=())


def step(label, side, role, source_article, **kwargs) -> dict:
    return {"step": Step(label, side, role, source_article, **kwargs)}


def may(side, role):
    """The transition's permission: a question the service asks before acting."""

    def check(instance, user):
        return permissions.may_act(user, instance, side, role)

    return check


# --- Conditions: each returns True when met and carries the message shown when not. ----------


def condition(message):
    def decorate(fn):
        fn.message = message
        return fn

    return decorate


@condition(_("Only a transfer of a suspected crime can take this step."))
def is_criminal_transfer(r):
    return r.kind == ReferralKind.CRIMINAL_TRANSFER


@condition(_("Only a transfer for administrative detention can take this step."))
def is_detention_transfer(r):
    return r.kind == ReferralKind.ADMIN_DETENTION


@condition(_("Transfer on reasonable suspicion is allowed only for intellectual-property cases."))
def is_ip_case(r):
    return r.is_ip_case


@condition(_("Record the facts and the suspected charge first."))
def has_facts_and_charge(r):
    return bool(r.facts.strip() and r.suspected_charge.strip())


@condition(_("Record the facts first."))
def has_facts(r):
    return bool(r.facts.strip())


@condition(_("The special case group needs at least two officers of the agency."))
def has_case_group(r):
    # 《行政执法机关移送涉嫌犯罪案件的规定》第五条: 专案组 of two or more officers.
    return r.case_team.filter(agency_id=r.agency_id, is_active=True).count() >= 2


@condition(_("Attach the written transfer report first."))
def has_transfer_report(r):
    return r.attachments.filter(kind="transfer_report").exists()


@condition(
    _(
        "The transfer must carry all five items: transfer letter, investigation report, "
        "seized-item list, test report or appraisal opinion, and other materials."
    )
)
def has_mandatory_attachments(r):
    # 《行政执法机关移送涉嫌犯罪案件的规定》第六条.
    from .models.referral import MANDATORY_TRANSFER_ATTACHMENTS

    present = set(r.attachments.values_list("kind", flat=True))
    return set(MANDATORY_TRANSFER_ATTACHMENTS) <= present


@condition(_("Choose the receiving police organ first."))
def has_police_agency(r):
    return r.police_agency_id is not None


@condition(_("Detention transfer requires a recorded penalty revoking the licence."))
def has_licence_revocation(r):
    # 《食品安全法》第一百二十三条: detention goes with revocation of the licence.
    return r.penalties.filter(licence_revoked=True).exists()


def _clock_overdue(r, rules) -> bool:
    return r.clocks.filter(
        rule__in=rules, state__in=("running", "overdue"), due_at__lt=now()
    ).exists()


@condition(_("The police decision period has not yet run out."))
def police_decision_overdue(r):
    return _clock_overdue(r, POLICE_DECISION_CLOCKS)


@condition(_("The police still have time to explain."))
def explanation_overdue(r):
    return _clock_overdue(r, ("police_explanation",))


@condition(_("The police still have time to explain the overdue decision."))
def overdue_explanation_overdue(r):
    return _clock_overdue(r, ("overdue_explanation",))


@condition(_("The 15 days for filing as ordered have not yet run out."))
def ordered_filing_overdue(r):
    return _clock_overdue(r, ("ordered_filing",))


@condition(_("Chasing is possible only three months after a filing under supervision."))
def supervised_filing_three_months_old(r):
    # 《人民检察院刑事诉讼规则》第五百六十四条第三款.
    return bool(r.supervised_filing and r.filed_at and add_months(r.filed_at, 3) <= now())


@condition(_("The seized items have already been handed over."))
def items_not_handed_over(r):
    return r.items_handed_over_at is None


# --- The machine ------------------------------------------------------------------------------

A, P, J = Side.AGENCY, Side.POLICE, Side.PROCURATORATE
OFFICER, HEAD = Role.CASE_OFFICER, Role.AGENCY_HEAD
INTAKE, REVIEWER, PROCURATOR = Role.POLICE_INTAKE, Role.POLICE_REVIEWER, Role.PROCURATOR


class ReferralLifecycle(models.Model):
    status = FSMField(
        _("status"),
        max_length=64,
        choices=Status.choices,
        default=Status.ADMIN_CASE_UNDER_INVESTIGATION,
        protected=True,
    )

    class Meta:
        abstract = True

    # T1
    @transition(
        status, S.ADMIN_CASE_UNDER_INVESTIGATION, S.SUSPECTED_CRIME_FOUND,
        conditions=[is_criminal_transfer, has_facts_and_charge], permission=may(A, OFFICER),
        custom=step(_("Find a suspected crime"), A, OFFICER, articles(DECREE_310, 3, 4)),
    )
    def find_suspected_crime(self, **ctx):
        pass

    # T1a
    @transition(
        status, S.ADMIN_CASE_UNDER_INVESTIGATION, S.SUSPECTED_CRIME_FOUND,
        conditions=[is_criminal_transfer, is_ip_case, has_facts_and_charge],
        permission=may(A, OFFICER),
        custom=step(
            _("Transfer on reasonable suspicion (IP case)"), A, OFFICER,
            article(DECREE_310, 3, 2),
        ),
    )
    def find_reasonable_suspicion(self, **ctx):
        pass

    # T2
    @transition(
        status, S.SUSPECTED_CRIME_FOUND, S.TRANSFER_REPORT_PENDING_APPROVAL,
        conditions=[has_case_group, has_transfer_report], permission=may(A, OFFICER),
        custom=step(
            _("Submit the transfer report"), A, OFFICER, article(DECREE_310, 5),
            starts=("approval_decision",),
        ),
    )
    def submit_transfer_report(self, **ctx):
        pass

    # T3a
    @transition(
        status, S.TRANSFER_REPORT_PENDING_APPROVAL, S.TRANSFER_APPROVED, permission=may(A, HEAD),
        custom=step(
            _("Approve the transfer"), A, HEAD, article(DECREE_310, 5),
            stops=("approval_decision",), starts=("transfer_after_approval",),
        ),
    )
    def approve_transfer(self, **ctx):
        pass

    # T3b — refusing a case that should be transferred is itself sanctionable (art. 16).
    @transition(
        status, S.TRANSFER_REPORT_PENDING_APPROVAL, S.TRANSFER_REFUSED_RECORDED,
        permission=may(A, HEAD),
        custom=step(
            _("Refuse the transfer"), A, HEAD, article(DECREE_310, 5),
            stops=("approval_decision",), reason_required=True,
        ),
    )
    def refuse_transfer(self, **ctx):
        pass

    # T4 + T4c
    @transition(
        status, S.TRANSFER_APPROVED, S.TRANSFERRED_AWAITING_RECEIPT,
        conditions=[has_mandatory_attachments, has_police_agency], permission=may(A, OFFICER),
        custom=step(
            _("Transfer to the police"), A, OFFICER, articles(DECREE_310, 5, 6),
            stops=("transfer_after_approval",), inputs=("police_agency",),
        ),
    )
    def transfer(self, *, at, copy_to_procuratorate=True, **ctx):
        self.transferred_at = at
        if copy_to_procuratorate and self.procuratorate_id:
            self.procuratorate_copied_at = at

    # T5 (also at the organ a case was forwarded to)
    @transition(
        status, [S.TRANSFERRED_AWAITING_RECEIPT, S.FORWARDED_TO_COMPETENT_AUTHORITY],
        S.RECEIVED_BY_POLICE, conditions=[is_criminal_transfer], permission=may(P, INTAKE),
        custom=step(
            _("Sign the receipt"), P, INTAKE, article(DECREE_310, 7),
            starts=("police_intake_check", "police_filing_decision"),
        ),
    )
    def sign_receipt(self, **ctx):
        pass

    # Intake triage: competent and complete, so the review proper begins.
    @transition(
        status, S.RECEIVED_BY_POLICE, S.UNDER_POLICE_REVIEW, permission=may(P, INTAKE),
        custom=step(
            _("Accept for review"), P, INTAKE, article(MPS_PROCEDURE, 180),
            stops=("police_intake_check",),
        ),
    )
    def begin_review(self, **ctx):
        pass

    # T6 — the police may not refuse for incomplete materials; they ask for a supplement.
    # The review period restarts when the supplement arrives (design reading of art. 180).
    @transition(
        status, S.RECEIVED_BY_POLICE, S.MATERIALS_SUPPLEMENT_REQUESTED, permission=may(P, INTAKE),
        custom=step(
            _("Request supplementary materials"), P, INTAKE, article(MPS_PROCEDURE, 180, 2),
            stops=("police_intake_check",), cancels=POLICE_DECISION_CLOCKS,
            starts=("agency_supplement",), reason_required=True,
        ),
    )
    def request_supplement(self, **ctx):
        pass

    # T6b
    @transition(
        status, S.MATERIALS_SUPPLEMENT_REQUESTED, S.UNDER_POLICE_REVIEW, permission=may(A, OFFICER),
        custom=step(
            _("Supply the missing materials"), A, OFFICER, article(MPS_PROCEDURE, 180, 2),
            stops=("agency_supplement",), starts=("police_filing_decision",),
        ),
    )
    def supplement_materials(self, **ctx):
        pass

    # T7
    @transition(
        status, S.RECEIVED_BY_POLICE, S.FORWARDED_TO_COMPETENT_AUTHORITY, permission=may(P, INTAKE),
        custom=step(
            _("Forward to the competent police organ"), P, INTAKE, article(DECREE_310, 7),
            stops=("police_intake_check",), cancels=POLICE_DECISION_CLOCKS,
            reason_required=True, required_inputs=("police_agency",),
        ),
    )
    def forward_to_competent_police(self, **ctx):
        pass

    # T7b
    @transition(
        status, S.RECEIVED_BY_POLICE, S.RETURNED_NOT_POLICE_MATTER, permission=may(P, INTAKE),
        custom=step(
            _("Return: not a police matter"), P, INTAKE, article(MPS_PROCEDURE, 180, 3),
            stops=("police_intake_check",), cancels=POLICE_DECISION_CLOCKS, reason_required=True,
        ),
    )
    def return_not_police_matter(self, **ctx):
        pass

    # T8 (and a decision taken while the overdue complaint is under review, M7)
    @transition(
        status, [*POLICE_DECISION_STATES, S.OVERDUE_DECISION_UNDER_REVIEW], S.FILED,
        permission=may(P, REVIEWER),
        custom=step(
            _("File the case"), P, REVIEWER, article(DECREE_310, 8),
            stops=(*POLICE_DECISION_CLOCKS, "overdue_explanation"),
            cancels=("police_intake_check",), starts=("items_handover",),
        ),
    )
    def file_case(self, *, at, **ctx):
        self.filed_at = at

    # T9
    @transition(
        status, [*POLICE_DECISION_STATES, S.OVERDUE_DECISION_UNDER_REVIEW], S.NOT_FILED,
        permission=may(P, REVIEWER),
        custom=step(
            _("Decline to file"), P, REVIEWER, article(DECREE_310, 8),
            stops=(*POLICE_DECISION_CLOCKS, "overdue_explanation"),
            cancels=("police_intake_check",), starts=("reconsideration_window",),
            reason_required=True,
        ),
    )
    def decline_filing(self, **ctx):
        pass

    # T10 — hand-over runs beside the criminal procedure, so it may happen in any early stage.
    @transition(
        status, [S.FILED, S.PROSECUTION_STAGE_ARREST],
        RETURN_VALUE(S.ITEMS_HANDED_OVER, S.PROSECUTION_STAGE_ARREST),
        conditions=[items_not_handed_over], permission=may(A, OFFICER),
        custom=step(
            _("Hand over seized items"), A, OFFICER, article(DECREE_310, 12),
            stops=("items_handover",),
        ),
    )
    def hand_over_items(self, *, at, **ctx):
        self.items_handed_over_at = at
        return S.ITEMS_HANDED_OVER if self.status == S.FILED else self.status

    # T11
    @transition(
        status, S.NOT_FILED, S.RECONSIDERATION_PENDING, permission=may(A, OFFICER),
        custom=step(
            _("Request reconsideration"), A, OFFICER, article(DECREE_310, 9),
            stops=("reconsideration_window",), starts=("reconsideration_decision",),
            reason_required=True,
        ),
    )
    def request_reconsideration(self, **ctx):
        pass

    # T11b / T13
    @transition(
        status, [S.NOT_FILED, S.RECONSIDERATION_UPHELD_NOT_FILED], S.FILING_SUPERVISION_REQUESTED,
        permission=may(A, OFFICER),
        custom=step(
            _("Ask the procuratorate for filing supervision"), A, OFFICER, article(DECREE_310, 9),
            stops=("reconsideration_window", "supervision_request_window"), reason_required=True,
        ),
    )
    def request_filing_supervision(self, **ctx):
        pass

    # T11c / T13b / after M4b
    @transition(
        status,
        [S.NOT_FILED, S.RECONSIDERATION_UPHELD_NOT_FILED, S.SUPERVISION_CLOSED_NO_FILING],
        S.ADMIN_HANDLING_AFTER_NON_FILING, permission=may(A, OFFICER),
        custom=step(
            _("Accept non-filing and handle administratively"), A, OFFICER,
            article(DECREE_310, 10),
            stops=("reconsideration_window", "supervision_request_window"),
        ),
    )
    def accept_non_filing(self, **ctx):
        pass

    # T12 (file)
    @transition(
        status, S.RECONSIDERATION_PENDING, S.FILED, permission=may(P, REVIEWER),
        custom=step(
            _("File on reconsideration"), P, REVIEWER, article(DECREE_310, 9, 2),
            stops=("reconsideration_decision",), starts=("items_handover",),
        ),
    )
    def reconsider_file(self, *, at, **ctx):
        self.filed_at = at

    # T12 (uphold)
    @transition(
        status, S.RECONSIDERATION_PENDING, S.RECONSIDERATION_UPHELD_NOT_FILED,
        permission=may(P, REVIEWER),
        custom=step(
            _("Uphold non-filing on reconsideration"), P, REVIEWER, article(DECREE_310, 9, 2),
            stops=("reconsideration_decision",), starts=("supervision_request_window",),
            reason_required=True,
        ),
    )
    def reconsider_uphold(self, **ctx):
        pass

    # T14
    @transition(
        status, AFTER_FILING_STATES, S.CASE_WITHDRAWN, permission=may(P, REVIEWER),
        custom=step(
            _("Withdraw the criminal case"), P, REVIEWER, article(MPS_PROCEDURE, 186),
            cancels=("items_handover",), reason_required=True,
        ),
    )
    def withdraw_case(self, **ctx):
        pass

    # T15 — from a non-filing the file is already returned and the agency keeps its art. 9
    # rights, so the police reverse-transfer only filed or withdrawn cases.
    @transition(
        status, [*AFTER_FILING_STATES, S.CASE_WITHDRAWN], S.REVERSE_TRANSFERRED_TO_AGENCY,
        permission=may(P, REVIEWER),
        custom=step(
            _("Transfer back to the agency"), P, REVIEWER, article(DECREE_310, 13),
            cancels=("items_handover",), reason_required=True,
        ),
    )
    def reverse_transfer(self, **ctx):
        pass

    # T16 — the case moves to another police organ; the stage is unchanged.
    @transition(
        status, AFTER_FILING_STATES, RETURN_VALUE(*AFTER_FILING_STATES),
        permission=may(P, REVIEWER),
        custom=step(
            _("Transfer to another police organ"), P, REVIEWER, article(MPS_PROCEDURE, 184),
            reason_required=True, required_inputs=("police_agency",),
        ),
    )
    def transfer_to_other_police(self, **ctx):
        return self.status

    # T17 — downstream milestones, recorded for information (numbering of the 2018 CPL).
    @transition(
        status, [S.FILED, S.ITEMS_HANDED_OVER], S.PROSECUTION_STAGE_ARREST,
        permission=may(P, REVIEWER),
        custom=step(_("Record an arrest request"), P, REVIEWER, article(CPL, 87)),
    )
    def record_arrest_request(self, **ctx):
        pass

    @transition(
        status, AFTER_FILING_STATES, S.PROSECUTION_STAGE_REVIEW, permission=may(P, REVIEWER),
        custom=step(
            _("Record referral for prosecution"), P, REVIEWER, article(CPL, 162),
            cancels=("items_handover",),
        ),
    )
    def record_prosecution_referral(self, **ctx):
        pass

    @transition(
        status, S.PROSECUTION_STAGE_REVIEW, S.PROSECUTION_STAGE_PROSECUTED,
        permission=may(J, PROCURATOR),
        custom=step(_("Record public prosecution"), J, PROCURATOR, article(CPL, 176)),
    )
    def record_prosecution(self, **ctx):
        pass

    @transition(
        status, S.PROSECUTION_STAGE_REVIEW, S.NON_PROSECUTED, permission=may(J, PROCURATOR),
        custom=step(
            _("Record non-prosecution"), J, PROCURATOR, article(CPL, 177), reason_required=True
        ),
    )
    def record_non_prosecution(self, **ctx):
        pass

    @transition(
        status, S.PROSECUTION_STAGE_PROSECUTED, S.JUDGED, permission=may(J, PROCURATOR),
        custom=step(_("Record the judgment"), J, PROCURATOR, article(CPL, 200)),
    )
    def record_judgment(self, **ctx):
        pass

    # §4.3 — after non-prosecution the procuratorate sends a 检察意见 for administrative penalty.
    @transition(
        status, S.NON_PROSECUTED, S.REVERSE_TRANSFERRED_TO_AGENCY, permission=may(J, PROCURATOR),
        custom=step(
            _("Send a procuratorial opinion for administrative penalty"), J, PROCURATOR,
            article(SPP_PROCEDURE, 373), reason_required=True,
        ),
    )
    def reverse_transfer_after_non_prosecution(self, **ctx):
        pass

    @transition(
        status, S.REVERSE_TRANSFERRED_TO_AGENCY, S.ADMIN_HANDLING_AFTER_REVERSE_TRANSFER,
        permission=may(A, OFFICER),
        custom=step(
            _("Accept the case back for administrative handling"), A, OFFICER,
            article(DECREE_310, 13),
        ),
    )
    def accept_reverse_transfer(self, **ctx):
        pass

    # T18
    @transition(
        status, CLOSABLE_STATES, S.CLOSED, permission=may(A, HEAD),
        custom=step(
            _("Close the administrative file"), A, HEAD, article(SAMR_PENALTY_PROCEDURE, 77),
            stops=("close_file",),
        ),
    )
    def close(self, **ctx):
        pass

    # --- Filing supervision (M1–M8) ---

    # M1 on the agency's request
    @transition(
        status, S.FILING_SUPERVISION_REQUESTED, S.SUPERVISION_UNDER_REVIEW,
        permission=may(J, PROCURATOR),
        custom=step(
            _("Accept the supervision request"), J, PROCURATOR, article(SPP_PROCEDURE, 557)
        ),
    )
    def accept_supervision_request(self, **ctx):
        pass

    # M1 ex officio
    @transition(
        status,
        [S.NOT_FILED, S.RECONSIDERATION_UPHELD_NOT_FILED, S.ADMIN_HANDLING_AFTER_NON_FILING],
        S.SUPERVISION_UNDER_REVIEW, permission=may(J, PROCURATOR),
        custom=step(
            _("Open filing supervision ex officio"), J, PROCURATOR, article(SPP_PROCEDURE, 557),
            cancels=("reconsideration_window", "supervision_request_window", "close_file"),
            reason_required=True,
        ),
    )
    def open_supervision(self, **ctx):
        pass

    # M2
    @transition(
        status, S.SUPERVISION_UNDER_REVIEW, S.EXPLANATION_REQUESTED, permission=may(J, PROCURATOR),
        custom=step(
            _("Require the police to explain non-filing"), J, PROCURATOR,
            article(SPP_TRANSFER_RULE, 10), starts=("police_explanation",),
        ),
    )
    def request_explanation(self, **ctx):
        pass

    # Review finds no ground for supervision.
    @transition(
        status, S.SUPERVISION_UNDER_REVIEW, S.SUPERVISION_CLOSED_NO_FILING,
        permission=may(J, PROCURATOR),
        custom=step(
            _("Close the review: no ground for supervision"), J, PROCURATOR,
            article(SPP_TRANSFER_RULE, 11), reason_required=True,
        ),
    )
    def close_supervision_review(self, **ctx):
        pass

    # M3
    @transition(
        status, S.EXPLANATION_REQUESTED, S.EXPLANATION_RECEIVED, permission=may(P, REVIEWER),
        custom=step(
            _("Explain non-filing"), P, REVIEWER, article(MPS_PROCEDURE, 182),
            stops=("police_explanation",), starts=("supervision_conclusion",),
            reason_required=True,
        ),
    )
    def submit_explanation(self, **ctx):
        pass

    # M4a (also when the police let the 7 days pass, or were overdue under M7)
    @transition(
        status,
        [S.EXPLANATION_RECEIVED, S.EXPLANATION_REQUESTED, S.OVERDUE_DECISION_UNDER_REVIEW],
        S.FILING_ORDERED, permission=may(J, PROCURATOR),
        custom=step(
            _("Notify the police to file"), J, PROCURATOR, article(SPP_PROCEDURE, 563),
            stops=("supervision_conclusion",),
            cancels=("police_explanation", "overdue_explanation"),
            starts=("ordered_filing",), reason_required=True,
        ),
    )
    def order_filing(self, **ctx):
        pass

    # M4b
    @transition(
        status, S.EXPLANATION_RECEIVED, S.SUPERVISION_CLOSED_NO_FILING,
        permission=may(J, PROCURATOR),
        custom=step(
            _("Accept the explanation"), J, PROCURATOR, article(SPP_PROCEDURE, 561, 2),
            stops=("supervision_conclusion",), reason_required=True,
        ),
    )
    def accept_explanation(self, **ctx):
        pass

    # M5
    @transition(
        status, [S.FILING_ORDERED, S.CORRECTION_NOTICE_ISSUED], S.FILED,
        permission=may(P, REVIEWER),
        custom=step(
            _("File as notified"), P, REVIEWER, article(MPS_PROCEDURE, 182),
            stops=("ordered_filing",), starts=("items_handover",),
        ),
    )
    def file_as_ordered(self, *, at, **ctx):
        self.filed_at = at
        self.supervised_filing = True

    # M5x (and M7: no explanation and no decision within 7 days)
    @transition(
        status, S.FILING_ORDERED, S.CORRECTION_NOTICE_ISSUED,
        conditions=[ordered_filing_overdue], permission=may(J, PROCURATOR),
        custom=step(
            _("Issue a correction notice"), J, PROCURATOR, article(SPP_PROCEDURE, 564),
            reason_required=True,
        ),
    )
    def issue_correction_notice(self, **ctx):
        pass

    @transition(
        status, S.OVERDUE_DECISION_UNDER_REVIEW, S.CORRECTION_NOTICE_ISSUED,
        conditions=[overdue_explanation_overdue], permission=may(J, PROCURATOR),
        custom=step(
            _("Issue a correction opinion on the overdue decision"), J, PROCURATOR,
            article(SPP_PROCEDURE, 562), cancels=("overdue_explanation",), reason_required=True,
        ),
    )
    def correct_overdue_decision(self, **ctx):
        pass

    # M6
    @transition(
        status, AFTER_FILING_STATES, RETURN_VALUE(*AFTER_FILING_STATES),
        conditions=[supervised_filing_three_months_old], permission=may(J, PROCURATOR),
        custom=step(
            _("Chase a supervised case"), J, PROCURATOR, article(SPP_PROCEDURE, 564, 3),
        ),
    )
    def chase_supervised_case(self, **ctx):
        return self.status

    # M7
    @transition(
        status, POLICE_DECISION_STATES, S.OVERDUE_DECISION_UNDER_REVIEW,
        conditions=[police_decision_overdue], permission=may(A, OFFICER),
        custom=step(
            _("Report an overdue police decision"), A, OFFICER, article(SPP_PROCEDURE, 562),
            cancels=("police_intake_check",), starts=("overdue_explanation",),
            reason_required=True,
        ),
    )
    def report_overdue_decision(self, **ctx):
        pass

    # --- The procuratorate's demand to transfer (K1–K4) ---

    # K1
    @transition(
        status,
        [S.ADMIN_CASE_UNDER_INVESTIGATION, S.SUSPECTED_CRIME_FOUND, S.TRANSFER_REFUSED_RECORDED],
        S.NON_TRANSFER_UNDER_REVIEW, conditions=[is_criminal_transfer],
        permission=may(J, PROCURATOR),
        custom=step(
            _("Review a non-transfer"), J, PROCURATOR, article(SPP_TRANSFER_RULE, 12),
            cancels=("close_file",), reason_required=True,
        ),
    )
    def open_non_transfer_review(self, **ctx):
        pass

    @transition(
        status, S.NON_TRANSFER_UNDER_REVIEW, S.ADMIN_CASE_UNDER_INVESTIGATION,
        permission=may(J, PROCURATOR),
        custom=step(
            _("Close the non-transfer review"), J, PROCURATOR, article(SPP_TRANSFER_RULE, 12),
            reason_required=True,
        ),
    )
    def close_non_transfer_review(self, **ctx):
        pass

    # K2
    @transition(
        status, S.NON_TRANSFER_UNDER_REVIEW, S.TRANSFER_DEMANDED, permission=may(J, PROCURATOR),
        custom=step(
            _("Demand the transfer (procuratorial opinion)"), J, PROCURATOR,
            article(SPP_PROCEDURE, 557, 3), starts=("transfer_after_demand",),
            reason_required=True,
        ),
    )
    def demand_transfer(self, **ctx):
        self.procuratorate_demanded = True

    # K3 — the head's compliance is the approval; the 24-hour transfer clock follows (art. 5).
    @transition(
        status, [S.TRANSFER_DEMANDED, S.ESCALATED], S.TRANSFER_APPROVED,
        conditions=[has_facts_and_charge], permission=may(A, HEAD),
        custom=step(
            _("Comply with the demand and approve the transfer"), A, HEAD, article(DECREE_310, 5),
            stops=("transfer_after_demand",), starts=("transfer_after_approval",),
        ),
    )
    def comply_with_demand(self, **ctx):
        pass

    # K4
    @transition(
        status, S.TRANSFER_DEMANDED, S.ESCALATED, permission=may(J, PROCURATOR),
        custom=step(
            _("Escalate the non-transfer"), J, PROCURATOR, article(DECREE_310, 16),
            cancels=("transfer_after_demand",), reason_required=True,
        ),
    )
    def escalate_non_transfer(self, **ctx):
        pass

    # --- Administrative detention (Food Safety Law art. 123; DOMAIN.md §4.7) ---

    @transition(
        status, S.ADMIN_CASE_UNDER_INVESTIGATION, S.DETENTION_PENDING_APPROVAL,
        conditions=[is_detention_transfer, has_facts, has_licence_revocation],
        permission=may(A, OFFICER),
        custom=step(
            _("Propose transfer for administrative detention"), A, OFFICER,
            article(FOOD_SAFETY_LAW, 123), starts=("approval_decision",),
        ),
    )
    def propose_detention(self, **ctx):
        pass

    @transition(
        status, S.DETENTION_PENDING_APPROVAL, S.DETENTION_TRANSFERRED,
        conditions=[has_police_agency], permission=may(A, HEAD),
        custom=step(
            _("Approve and transfer for detention"), A, HEAD, article(FOOD_SAFETY_LAW, 123),
            stops=("approval_decision",), inputs=("police_agency",),
        ),
    )
    def approve_detention_transfer(self, *, at, **ctx):
        self.transferred_at = at

    @transition(
        status, S.DETENTION_PENDING_APPROVAL, S.TRANSFER_REFUSED_RECORDED, permission=may(A, HEAD),
        custom=step(
            _("Refuse the detention transfer"), A, HEAD, article(FOOD_SAFETY_LAW, 123),
            stops=("approval_decision",), reason_required=True,
        ),
    )
    def refuse_detention_transfer(self, **ctx):
        pass

    @transition(
        status, S.DETENTION_TRANSFERRED, S.DETENTION_IMPOSED, permission=may(P, REVIEWER),
        custom=step(
            _("Impose administrative detention"), P, REVIEWER, article(FOOD_SAFETY_LAW, 123),
            required_inputs=("detention_days",),
        ),
    )
    def impose_detention(self, **ctx):
        pass

    @transition(
        status, S.DETENTION_TRANSFERRED, S.DETENTION_DECLINED, permission=may(P, REVIEWER),
        custom=step(
            _("Decline administrative detention"), P, REVIEWER, article(FOOD_SAFETY_LAW, 123),
            reason_required=True,
        ),
    )
    def decline_detention(self, **ctx):
        pass


# --- Reading the machine (for services, the lifecycle command and tests) ---------------------


def transitions(model=None) -> dict[str, list]:
    """Transition name -> django-fsm Transition objects, one per source state."""
    from django.apps import apps

    model = model or apps.get_model("referral", "Referral")
    registry: dict[str, list] = {}
    for t in model._meta.get_field("status").get_all_transitions(model):
        registry.setdefault(t.name, []).append(t)
    return registry


def step_of(transition) -> Step:
    return transition.custom["step"]


def possible_targets(transition, model=None) -> list[str]:
    """Concrete targets. The lifecycle's RETURN_VALUE steps either keep their source (a step
    beside the main line) or, from a source they may not keep, move to the allowed states that
    are not themselves sources of the step (hand-over: FILED -> ITEMS_HANDED_OVER)."""
    target = transition.target
    if not isinstance(target, RETURN_VALUE):
        return [target]
    allowed = target.allowed_states or ()
    if transition.source in allowed:
        return [transition.source]
    sources = {t.source for t in transitions(model)[transition.name]}
    return [state for state in allowed if state not in sources]


def clocks_started(step_: Step, target: str) -> tuple[str, ...]:
    """The clocks a step starts on reaching `target`; closing the file follows every outcome."""
    extra = ("close_file",) if target in CLOSABLE_STATES else ()
    return step_.starts + extra
