"""What the referral's status can be, and one table with every fact about each state.

A state's facts are said once, in `STATES`: who must act next (side of the referral and role),
whether the agency closes its file from it (T18), and the groups it belongs to. The tuples the
rest of the tree reads (`EDITABLE_STATES`, `CLOSABLE_STATES`, `STATE_OWNERS` ...) are computed
from the table below it.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..roles import Role, Side


class ReferralKind(models.TextChoices):
    CRIMINAL_TRANSFER = "criminal_transfer", _("Transfer of a suspected crime")
    ADMIN_DETENTION = "admin_detention", _("Transfer for administrative detention")


class Status(models.TextChoices):
    # Administrative side (Decree 310 arts. 3–6).
    ADMIN_CASE_UNDER_INVESTIGATION = (
        "ADMIN_CASE_UNDER_INVESTIGATION",
        _("Administrative case under investigation"),
    )
    SUSPECTED_CRIME_FOUND = "SUSPECTED_CRIME_FOUND", _("Suspected crime found")
    TRANSFER_REPORT_PENDING_APPROVAL = (
        "TRANSFER_REPORT_PENDING_APPROVAL",
        _("Transfer report awaiting approval"),
    )
    TRANSFER_REFUSED_RECORDED = "TRANSFER_REFUSED_RECORDED", _("Transfer refused, reasons recorded")
    TRANSFER_APPROVED = "TRANSFER_APPROVED", _("Transfer approved")
    TRANSFERRED_AWAITING_RECEIPT = (
        "TRANSFERRED_AWAITING_RECEIPT",
        _("Transferred, awaiting receipt"),
    )
    # Police intake and review (Decree 310 arts. 7–8; MPS rules art. 180).
    RECEIVED_BY_POLICE = "RECEIVED_BY_POLICE", _("Received by police")
    MATERIALS_SUPPLEMENT_REQUESTED = (
        "MATERIALS_SUPPLEMENT_REQUESTED",
        _("Supplementary materials requested"),
    )
    FORWARDED_TO_COMPETENT_AUTHORITY = (
        "FORWARDED_TO_COMPETENT_AUTHORITY",
        _("Forwarded to the competent police organ"),
    )
    RETURNED_NOT_POLICE_MATTER = "RETURNED_NOT_POLICE_MATTER", _("Returned: not a police matter")
    UNDER_POLICE_REVIEW = "UNDER_POLICE_REVIEW", _("Under police review")
    # The reviewer proposes, the police head approves (MPS rules art. 178).
    FILING_PROPOSED = "FILING_PROPOSED", _("Filing proposed, awaiting the police head")
    NON_FILING_PROPOSED = "NON_FILING_PROPOSED", _("Non-filing proposed, awaiting the police head")
    FILED = "FILED", _("Filed as a criminal case")
    ITEMS_HANDED_OVER = "ITEMS_HANDED_OVER", _("Seized items handed over")
    NOT_FILED = "NOT_FILED", _("Not filed")
    RECONSIDERATION_PENDING = "RECONSIDERATION_PENDING", _("Reconsideration pending")
    RECONSIDERATION_UPHELD_NOT_FILED = (
        "RECONSIDERATION_UPHELD_NOT_FILED",
        _("Non-filing upheld on reconsideration"),
    )
    # The reviewer proposes the reconsideration decision, the police head decides (MPS 178, 181).
    RECONSIDERATION_FILING_PROPOSED = (
        "RECONSIDERATION_FILING_PROPOSED",
        _("Filing on reconsideration proposed, awaiting the police head"),
    )
    RECONSIDERATION_UPHOLD_PROPOSED = (
        "RECONSIDERATION_UPHOLD_PROPOSED",
        _("Upholding non-filing on reconsideration proposed, awaiting the police head"),
    )
    # Filing supervision (SPP rules arts. 557–564).
    FILING_SUPERVISION_REQUESTED = "FILING_SUPERVISION_REQUESTED", _("Filing supervision requested")
    SUPERVISION_UNDER_REVIEW = "SUPERVISION_UNDER_REVIEW", _("Supervision under review")
    EXPLANATION_REQUESTED = "EXPLANATION_REQUESTED", _("Explanation of non-filing requested")
    EXPLANATION_RECEIVED = "EXPLANATION_RECEIVED", _("Explanation of non-filing received")
    # The procurator proposes, the chief procurator decides (SPP rules arts. 561, 557).
    FILING_ORDER_PROPOSED = (
        "FILING_ORDER_PROPOSED",
        _("Notice to file proposed, awaiting the chief procurator"),
    )
    FILING_ORDERED = "FILING_ORDERED", _("Police notified to file")
    CORRECTION_NOTICE_ISSUED = "CORRECTION_NOTICE_ISSUED", _("Correction notice issued")
    # Filing as notified is proposed by the reviewer, decided by the police head (MPS 178, 182).
    FILING_AS_ORDERED_PROPOSED = (
        "FILING_AS_ORDERED_PROPOSED",
        _("Filing as notified proposed, awaiting the police head"),
    )
    SUPERVISION_CLOSED_NO_FILING = (
        "SUPERVISION_CLOSED_NO_FILING",
        _("Supervision closed, non-filing stands"),
    )
    OVERDUE_DECISION_UNDER_REVIEW = (
        "OVERDUE_DECISION_UNDER_REVIEW",
        _("Overdue police decision under review"),
    )
    # SPP rules art. 562: corrected for deciding late, the police decide (file or not).
    OVERDUE_DECISION_CORRECTED = (
        "OVERDUE_DECISION_CORRECTED",
        _("Correction opinion on the overdue decision issued"),
    )
    # After filing.
    # The case department reports, the police head approves (MPS rules arts. 184, 187).
    WITHDRAWAL_PROPOSED = (
        "WITHDRAWAL_PROPOSED",
        _("Withdrawal proposed, awaiting the police head"),
    )
    TRANSFER_TO_OTHER_POLICE_PROPOSED = (
        "TRANSFER_TO_OTHER_POLICE_PROPOSED",
        _("Transfer to another police organ proposed, awaiting the police head"),
    )
    CASE_WITHDRAWN = "CASE_WITHDRAWN", _("Criminal case withdrawn")
    PROSECUTION_STAGE_ARREST = "PROSECUTION_STAGE_ARREST", _("Arrest requested")
    PROSECUTION_STAGE_REVIEW = "PROSECUTION_STAGE_REVIEW", _("Referred for prosecution review")
    PROSECUTION_STAGE_PROSECUTED = "PROSECUTION_STAGE_PROSECUTED", _("Public prosecution initiated")
    NON_PROSECUTED = "NON_PROSECUTED", _("Not prosecuted")
    JUDGED = "JUDGED", _("Judgment given")
    # Reverse transfer and administrative handling.
    REVERSE_TRANSFERRED_TO_AGENCY = (
        "REVERSE_TRANSFERRED_TO_AGENCY",
        _("Transferred back to the agency"),
    )
    ADMIN_HANDLING_AFTER_NON_FILING = (
        "ADMIN_HANDLING_AFTER_NON_FILING",
        _("Administrative handling after non-filing"),
    )
    ADMIN_HANDLING_AFTER_REVERSE_TRANSFER = (
        "ADMIN_HANDLING_AFTER_REVERSE_TRANSFER",
        _("Administrative handling after reverse transfer"),
    )
    # Procuratorate's demand to transfer (K1–K4).
    NON_TRANSFER_UNDER_REVIEW = (
        "NON_TRANSFER_UNDER_REVIEW",
        _("Non-transfer under procuratorial review"),
    )
    TRANSFER_DEMAND_PROPOSED = (
        "TRANSFER_DEMAND_PROPOSED",
        _("Procuratorial opinion proposed, awaiting the chief procurator"),
    )
    TRANSFER_DEMANDED = "TRANSFER_DEMANDED", _("Transfer demanded by the procuratorate")
    ESCALATED = "ESCALATED", _("Non-transfer escalated")
    # Administrative detention (Food Safety Law art. 123).
    DETENTION_PENDING_APPROVAL = (
        "DETENTION_PENDING_APPROVAL",
        _("Detention transfer awaiting approval"),
    )
    DETENTION_TRANSFERRED = "DETENTION_TRANSFERRED", _("Transferred for administrative detention")
    DETENTION_IMPOSED = "DETENTION_IMPOSED", _("Administrative detention imposed")
    DETENTION_DECLINED = "DETENTION_DECLINED", _("Administrative detention declined")
    CLOSED = "CLOSED", _("Closed")


@dataclass(frozen=True, kw_only=True)
class StateFacts:
    """What holds while a referral is in one state."""

    # Who must act next: the role in the agency on that side of the referral (None when closed).
    side: str | None = None
    role: str | None = None
    # The case page draws the main line from filing to judgment; other states follow it.
    main_line: bool = False
    # The case record is the agency's until it leaves for the police (or comes back to it).
    editable: bool = False
    # The police are deciding whether to file (Decree 310 art. 8): the review may be extended.
    police_deciding: bool = False
    # A filed case before prosecution review: hand-over, withdrawal and chasing happen here.
    after_filing: bool = False
    # An outcome after which the agency closes its file (T18); entering it starts `close_file`.
    closable: bool = False


STATES: dict[str, StateFacts] = {
    Status.ADMIN_CASE_UNDER_INVESTIGATION: StateFacts(
        side=Side.AGENCY,
        role=Role.CASE_OFFICER,
        main_line=True,
        editable=True,
    ),
    Status.SUSPECTED_CRIME_FOUND: StateFacts(
        side=Side.AGENCY,
        role=Role.CASE_OFFICER,
        main_line=True,
        editable=True,
    ),
    Status.TRANSFER_REPORT_PENDING_APPROVAL: StateFacts(
        side=Side.AGENCY,
        role=Role.AGENCY_HEAD,
        main_line=True,
    ),
    Status.TRANSFER_REFUSED_RECORDED: StateFacts(
        side=Side.AGENCY,
        role=Role.AGENCY_HEAD,
        closable=True,
    ),
    Status.TRANSFER_APPROVED: StateFacts(
        side=Side.AGENCY,
        role=Role.CASE_OFFICER,
        main_line=True,
        editable=True,
    ),
    Status.TRANSFERRED_AWAITING_RECEIPT: StateFacts(
        side=Side.POLICE,
        role=Role.POLICE_INTAKE,
        main_line=True,
    ),
    Status.RECEIVED_BY_POLICE: StateFacts(
        side=Side.POLICE,
        role=Role.POLICE_INTAKE,
        main_line=True,
        police_deciding=True,
    ),
    Status.MATERIALS_SUPPLEMENT_REQUESTED: StateFacts(
        side=Side.AGENCY,
        role=Role.CASE_OFFICER,
        editable=True,
    ),
    Status.FORWARDED_TO_COMPETENT_AUTHORITY: StateFacts(
        side=Side.POLICE,
        role=Role.POLICE_INTAKE,
    ),
    Status.RETURNED_NOT_POLICE_MATTER: StateFacts(
        side=Side.AGENCY,
        role=Role.AGENCY_HEAD,
        closable=True,
    ),
    Status.UNDER_POLICE_REVIEW: StateFacts(
        side=Side.POLICE,
        role=Role.POLICE_REVIEWER,
        main_line=True,
        police_deciding=True,
    ),
    Status.FILING_PROPOSED: StateFacts(
        side=Side.POLICE,
        role=Role.POLICE_HEAD,
        main_line=True,
    ),
    Status.NON_FILING_PROPOSED: StateFacts(
        side=Side.POLICE,
        role=Role.POLICE_HEAD,
    ),
    Status.FILED: StateFacts(
        side=Side.AGENCY,
        role=Role.CASE_OFFICER,
        main_line=True,
        after_filing=True,
    ),
    Status.ITEMS_HANDED_OVER: StateFacts(
        side=Side.POLICE,
        role=Role.POLICE_REVIEWER,
        main_line=True,
        after_filing=True,
    ),
    Status.NOT_FILED: StateFacts(
        side=Side.AGENCY,
        role=Role.CASE_OFFICER,
    ),
    Status.RECONSIDERATION_PENDING: StateFacts(
        side=Side.POLICE,
        role=Role.POLICE_REVIEWER,
    ),
    Status.RECONSIDERATION_UPHELD_NOT_FILED: StateFacts(
        side=Side.AGENCY,
        role=Role.CASE_OFFICER,
    ),
    Status.RECONSIDERATION_FILING_PROPOSED: StateFacts(
        side=Side.POLICE,
        role=Role.POLICE_HEAD,
    ),
    Status.RECONSIDERATION_UPHOLD_PROPOSED: StateFacts(
        side=Side.POLICE,
        role=Role.POLICE_HEAD,
    ),
    Status.FILING_SUPERVISION_REQUESTED: StateFacts(
        side=Side.PROCURATORATE,
        role=Role.PROCURATOR,
    ),
    Status.SUPERVISION_UNDER_REVIEW: StateFacts(
        side=Side.PROCURATORATE,
        role=Role.PROCURATOR,
    ),
    Status.EXPLANATION_REQUESTED: StateFacts(
        side=Side.POLICE,
        role=Role.POLICE_REVIEWER,
    ),
    Status.EXPLANATION_RECEIVED: StateFacts(
        side=Side.PROCURATORATE,
        role=Role.PROCURATOR,
    ),
    Status.FILING_ORDER_PROPOSED: StateFacts(
        side=Side.PROCURATORATE,
        role=Role.CHIEF_PROCURATOR,
    ),
    Status.FILING_ORDERED: StateFacts(
        side=Side.POLICE,
        role=Role.POLICE_REVIEWER,
    ),
    Status.CORRECTION_NOTICE_ISSUED: StateFacts(
        side=Side.POLICE,
        role=Role.POLICE_REVIEWER,
    ),
    Status.FILING_AS_ORDERED_PROPOSED: StateFacts(
        side=Side.POLICE,
        role=Role.POLICE_HEAD,
    ),
    Status.SUPERVISION_CLOSED_NO_FILING: StateFacts(
        side=Side.AGENCY,
        role=Role.CASE_OFFICER,
    ),
    Status.OVERDUE_DECISION_UNDER_REVIEW: StateFacts(
        side=Side.POLICE,
        role=Role.POLICE_REVIEWER,
    ),
    Status.OVERDUE_DECISION_CORRECTED: StateFacts(
        side=Side.POLICE,
        role=Role.POLICE_REVIEWER,
    ),
    # While the head decides, the case stays filed: no other police step is taken from here.
    Status.WITHDRAWAL_PROPOSED: StateFacts(
        side=Side.POLICE,
        role=Role.POLICE_HEAD,
    ),
    Status.TRANSFER_TO_OTHER_POLICE_PROPOSED: StateFacts(
        side=Side.POLICE,
        role=Role.POLICE_HEAD,
    ),
    Status.CASE_WITHDRAWN: StateFacts(
        side=Side.AGENCY,
        role=Role.AGENCY_HEAD,
        closable=True,
    ),
    Status.PROSECUTION_STAGE_ARREST: StateFacts(
        side=Side.POLICE,
        role=Role.POLICE_REVIEWER,
        after_filing=True,
    ),
    Status.PROSECUTION_STAGE_REVIEW: StateFacts(
        side=Side.PROCURATORATE,
        role=Role.PROCURATOR,
        main_line=True,
    ),
    Status.PROSECUTION_STAGE_PROSECUTED: StateFacts(
        side=Side.PROCURATORATE,
        role=Role.PROCURATOR,
        main_line=True,
    ),
    Status.NON_PROSECUTED: StateFacts(
        side=Side.PROCURATORATE,
        role=Role.CHIEF_PROCURATOR,
        closable=True,
    ),
    Status.JUDGED: StateFacts(
        side=Side.AGENCY,
        role=Role.AGENCY_HEAD,
        main_line=True,
        closable=True,
    ),
    Status.REVERSE_TRANSFERRED_TO_AGENCY: StateFacts(
        side=Side.AGENCY,
        role=Role.CASE_OFFICER,
    ),
    Status.ADMIN_HANDLING_AFTER_NON_FILING: StateFacts(
        side=Side.AGENCY,
        role=Role.AGENCY_HEAD,
        closable=True,
    ),
    Status.ADMIN_HANDLING_AFTER_REVERSE_TRANSFER: StateFacts(
        side=Side.AGENCY,
        role=Role.AGENCY_HEAD,
        closable=True,
    ),
    Status.NON_TRANSFER_UNDER_REVIEW: StateFacts(
        side=Side.PROCURATORATE,
        role=Role.PROCURATOR,
    ),
    Status.TRANSFER_DEMAND_PROPOSED: StateFacts(
        side=Side.PROCURATORATE,
        role=Role.CHIEF_PROCURATOR,
    ),
    Status.TRANSFER_DEMANDED: StateFacts(
        side=Side.AGENCY,
        role=Role.AGENCY_HEAD,
        editable=True,
    ),
    Status.ESCALATED: StateFacts(
        side=Side.AGENCY,
        role=Role.AGENCY_HEAD,
        editable=True,
    ),
    Status.DETENTION_PENDING_APPROVAL: StateFacts(
        side=Side.AGENCY,
        role=Role.AGENCY_HEAD,
    ),
    Status.DETENTION_TRANSFERRED: StateFacts(
        side=Side.POLICE,
        role=Role.POLICE_REVIEWER,
    ),
    Status.DETENTION_IMPOSED: StateFacts(
        side=Side.AGENCY,
        role=Role.AGENCY_HEAD,
        closable=True,
    ),
    Status.DETENTION_DECLINED: StateFacts(
        side=Side.AGENCY,
        role=Role.AGENCY_HEAD,
        closable=True,
    ),
    Status.CLOSED: StateFacts(
        main_line=True,
    ),
}


def _where(fact: str) -> tuple[str, ...]:
    """The states, in `Status` order, for which `fact` holds."""
    return tuple(state for state in Status if getattr(STATES[state], fact))


MAIN_LINE = _where("main_line")
EDITABLE_STATES = _where("editable")
POLICE_DECISION_STATES = _where("police_deciding")
AFTER_FILING_STATES = _where("after_filing")
CLOSABLE_STATES = _where("closable")
# A filed case whose withdrawal or transfer awaits the police head: still filed, so the agency
# hands over its seized items meanwhile (Decree 310 art. 12), its 3 days running.
AFTER_FILING_PROPOSALS = (Status.WITHDRAWAL_PROPOSED, Status.TRANSFER_TO_OTHER_POLICE_PROPOSED)
# Who must act next in each state: (side, role), or None once the file is closed.
STATE_OWNERS: dict[str, tuple[str, str] | None] = {
    state: (facts.side, facts.role) if facts.side else None for state, facts in STATES.items()
}
