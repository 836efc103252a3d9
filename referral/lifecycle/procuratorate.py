"""The procuratorate's steps: filing supervision (M1–M7), the demand to transfer (K1–K4),
the criminal milestones it records (T17) and its opinion after non-prosecution (§4.3).
"""

from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE

from ..law import (
    CPL,
    DECREE_310,
    MPS_PROCEDURE,
    SPP_PROCEDURE,
    SPP_TRANSFER_RULE,
    article,
    articles,
)
from ..roles import Role, Side
from .conditions import (
    explanation_received_or_overdue,
    is_criminal_transfer,
    ordered_filing_overdue,
    overdue_explanation_not_demanded,
    overdue_explanation_overdue,
    supervised_filing_three_months_old,
)
from .states import AFTER_FILING_STATES, Status
from .steps import step

# The agency's cases a procurator may review for a non-transfer: under investigation, a
# transfer refused, or closed (2001 SPP rule item 12(4)).
NON_TRANSFER_REVIEW_SOURCES = (
    Status.ADMIN_CASE_UNDER_INVESTIGATION,
    Status.SUSPECTED_CRIME_FOUND,
    Status.TRANSFER_REFUSED_RECORDED,
    Status.CLOSED,
)


class ProcuratorateSteps(models.Model):
    class Meta:
        abstract = True

    # --- Filing supervision (M1–M7) ---

    # On the agency's request.
    @step(
        code="M1",
        label=_("Accept the supervision request"),
        side=Side.PROCURATORATE,
        role=Role.PROCURATOR,
        article=article(SPP_PROCEDURE, 557),
        source=Status.FILING_SUPERVISION_REQUESTED,
        target=Status.SUPERVISION_UNDER_REVIEW,
    )
    def accept_supervision_request(self, *, at: datetime) -> None:
        """Procuratorate accepts the agency's request."""

    # Ex officio.
    @step(
        code="M1",
        label=_("Open filing supervision ex officio"),
        side=Side.PROCURATORATE,
        role=Role.PROCURATOR,
        article=article(SPP_PROCEDURE, 557),
        source=[
            Status.NOT_FILED,
            Status.RECONSIDERATION_UPHELD_NOT_FILED,
            Status.ADMIN_HANDLING_AFTER_NON_FILING,
        ],
        target=Status.SUPERVISION_UNDER_REVIEW,
        cancels=("reconsideration_window", "supervision_request_window", "close_file"),
        reason_required=True,
    )
    def open_supervision(self, *, at: datetime) -> None:
        """Procuratorate opens filing supervision ex officio."""

    @step(
        code="M2",
        label=_("Require the police to explain non-filing"),
        side=Side.PROCURATORATE,
        role=Role.PROCURATOR,
        article=article(SPP_TRANSFER_RULE, 10),
        source=Status.SUPERVISION_UNDER_REVIEW,
        target=Status.EXPLANATION_REQUESTED,
    )
    def request_explanation(self, *, at: datetime) -> None:
        """Police required to explain non-filing within 7 days."""

    @step(
        code="M1x",
        label=_("Close the review: no ground for supervision"),
        side=Side.PROCURATORATE,
        role=Role.PROCURATOR,
        article=article(SPP_TRANSFER_RULE, 11),
        source=Status.SUPERVISION_UNDER_REVIEW,
        target=Status.SUPERVISION_CLOSED_NO_FILING,
        reason_required=True,
    )
    def close_supervision_review(self, *, at: datetime) -> None:
        """Review finds no ground for supervision."""

    # The procurator proposes, the chief procurator decides (SPP rules art. 561): after the
    # explanation is found not to stand, once the seven days ran out without one
    # (arts. 559–561), or on an overdue decision (art. 562).
    @step(
        code="M4a",
        label=_("Propose notifying the police to file"),
        side=Side.PROCURATORATE,
        role=Role.PROCURATOR,
        article=f"{articles(SPP_PROCEDURE, 559, 560, 561)}、{article(MPS_PROCEDURE, 182)}",
        source=[
            Status.EXPLANATION_RECEIVED,
            Status.EXPLANATION_REQUESTED,
            Status.OVERDUE_DECISION_UNDER_REVIEW,
        ],
        target=Status.FILING_ORDER_PROPOSED,
        conditions=[explanation_received_or_overdue],
        reason_required=True,
        proposes=("order_filing",),
    )
    def propose_filing_order(self, *, at: datetime) -> None:
        """The procurator proposes notifying the police to file."""
        self.proposed_from = self.status

    # The reason is the chief procurator's decision opinion (审批意见).
    @step(
        code="M4a",
        label=_("Notify the police to file"),
        side=Side.PROCURATORATE,
        role=Role.CHIEF_PROCURATOR,
        article=articles(SPP_PROCEDURE, 561, 563),
        source=Status.FILING_ORDER_PROPOSED,
        target=Status.FILING_ORDERED,
        stops=("supervision_conclusion",),
        cancels=("police_explanation", "overdue_explanation"),
        reason_required=True,
    )
    def order_filing(self, *, at: datetime) -> None:
        """The chief procurator decides: police notified to file within 15 days."""

    @step(
        code="M4b",
        label=_("Accept the explanation"),
        side=Side.PROCURATORATE,
        role=Role.PROCURATOR,
        article=article(SPP_PROCEDURE, 561, 2),
        source=Status.EXPLANATION_RECEIVED,
        target=Status.SUPERVISION_CLOSED_NO_FILING,
        stops=("supervision_conclusion",),
        reason_required=True,
    )
    def accept_explanation(self, *, at: datetime) -> None:
        """Explanation accepted; the agency is told."""

    # Also M7: no explanation and no decision within 7 days.
    @step(
        code="M5x",
        label=_("Issue a correction notice"),
        side=Side.PROCURATORATE,
        role=Role.PROCURATOR,
        article=article(SPP_PROCEDURE, 564),
        source=Status.FILING_ORDERED,
        target=Status.CORRECTION_NOTICE_ISSUED,
        conditions=[ordered_filing_overdue],
        reason_required=True,
    )
    def issue_correction_notice(self, *, at: datetime) -> None:
        """Correction notice after 15 days without filing."""

    # The police's 7 days run from the procuratorate's demand, made once it finds the decision
    # overdue, not from the agency's complaint (SPP art. 562; DOMAIN.md §9.1).
    @step(
        code="M7a",
        label=_("Demand an explanation of the overdue decision"),
        side=Side.PROCURATORATE,
        role=Role.PROCURATOR,
        article=article(SPP_PROCEDURE, 562),
        source=Status.OVERDUE_DECISION_UNDER_REVIEW,
        target=Status.OVERDUE_DECISION_UNDER_REVIEW,
        conditions=[overdue_explanation_not_demanded],
        starts=("overdue_explanation",),
    )
    def demand_overdue_explanation(self, *, at: datetime) -> None:
        """The procuratorate requires the police to explain the overdue decision."""

    @step(
        code="M7",
        label=_("Issue a correction opinion on the overdue decision"),
        side=Side.PROCURATORATE,
        role=Role.PROCURATOR,
        article=article(SPP_PROCEDURE, 562),
        source=Status.OVERDUE_DECISION_UNDER_REVIEW,
        target=Status.OVERDUE_DECISION_CORRECTED,
        conditions=[overdue_explanation_overdue],
        cancels=("overdue_explanation",),
        reason_required=True,
    )
    def correct_overdue_decision(self, *, at: datetime) -> None:
        """Correction opinion on an unexplained overdue decision."""

    # Ignored: reported to the procuratorate one level up, which may take it up with the police
    # one level up (SPP rules art. 564(2)); the case stays where it is.
    @step(
        code="M5x",
        label=_("Report the ignored correction notice one level up"),
        side=Side.PROCURATORATE,
        role=Role.PROCURATOR,
        article=article(SPP_PROCEDURE, 564, 2),
        source=[Status.CORRECTION_NOTICE_ISSUED, Status.OVERDUE_DECISION_CORRECTED],
        target=RETURN_VALUE(Status.CORRECTION_NOTICE_ISSUED, Status.OVERDUE_DECISION_CORRECTED),
        reason_required=True,
    )
    def report_ignored_correction(self, *, at: datetime) -> str:
        """The correction notice was ignored: reported to the higher procuratorate."""
        return self.status

    @step(
        code="M6",
        label=_("Chase a supervised case"),
        side=Side.PROCURATORATE,
        role=Role.PROCURATOR,
        article=article(SPP_PROCEDURE, 564, 3),
        source=AFTER_FILING_STATES,
        target=RETURN_VALUE(*AFTER_FILING_STATES),
        conditions=[supervised_filing_three_months_old],
    )
    def chase_supervised_case(self, *, at: datetime) -> str:
        """Chase a supervised case after three months."""
        return self.status

    # --- The demand to transfer (K1–K4) ---

    @step(
        code="K1",
        label=_("Review a non-transfer"),
        side=Side.PROCURATORATE,
        role=Role.PROCURATOR,
        article=article(SPP_TRANSFER_RULE, 12),
        source=NON_TRANSFER_REVIEW_SOURCES,
        target=Status.NON_TRANSFER_UNDER_REVIEW,
        conditions=[is_criminal_transfer],
        cancels=("close_file",),
        reason_required=True,
    )
    def open_non_transfer_review(self, *, at: datetime) -> None:
        """Review an agency's non-transfer, also of a case it has already closed with a fine
        (以罚代刑; 2001 SPP rule item 12(4), DOMAIN.md §9.3)."""
        self.review_opened_from = self.status

    @step(
        code="K1x",
        label=_("Close the non-transfer review"),
        side=Side.PROCURATORATE,
        role=Role.PROCURATOR,
        article=article(SPP_TRANSFER_RULE, 12),
        source=Status.NON_TRANSFER_UNDER_REVIEW,
        target=RETURN_VALUE(*NON_TRANSFER_REVIEW_SOURCES),
        reason_required=True,
    )
    def close_non_transfer_review(self, *, at: datetime) -> str:
        """Non-transfer review finds nothing to demand: the case is where the review found it
        (a closed case stays closed)."""
        return self.review_opened_from or Status.ADMIN_CASE_UNDER_INVESTIGATION

    @step(
        code="K2",
        label=_("Propose a procuratorial opinion demanding the transfer"),
        side=Side.PROCURATORATE,
        role=Role.PROCURATOR,
        article=article(SPP_PROCEDURE, 557, 3),
        source=Status.NON_TRANSFER_UNDER_REVIEW,
        target=Status.TRANSFER_DEMAND_PROPOSED,
        reason_required=True,
        proposes=("demand_transfer",),
    )
    def propose_transfer_demand(self, *, at: datetime) -> None:
        """The procurator proposes the procuratorial opinion to the chief procurator."""
        self.proposed_from = self.status

    # The reason is the chief procurator's decision opinion (审批意见).
    @step(
        code="K2",
        label=_("Demand the transfer (procuratorial opinion)"),
        side=Side.PROCURATORATE,
        role=Role.CHIEF_PROCURATOR,
        article=article(SPP_PROCEDURE, 557, 3),
        source=Status.TRANSFER_DEMAND_PROPOSED,
        target=Status.TRANSFER_DEMANDED,
        starts=("transfer_after_demand",),
        reason_required=True,
    )
    def demand_transfer(self, *, at: datetime) -> None:
        """The chief procurator decides the procuratorial opinion demanding the transfer."""
        self.procuratorate_demanded = True

    # The chief procurator does not approve; the review goes on where it was.
    @step(
        code="M4a",
        label=_("Send the proposal to notify filing back"),
        side=Side.PROCURATORATE,
        role=Role.CHIEF_PROCURATOR,
        article=article(SPP_PROCEDURE, 561),
        source=Status.FILING_ORDER_PROPOSED,
        target=RETURN_VALUE(
            Status.EXPLANATION_RECEIVED,
            Status.EXPLANATION_REQUESTED,
            Status.OVERDUE_DECISION_UNDER_REVIEW,
        ),
        reason_required=True,
    )
    def return_filing_order_proposal(self, *, at: datetime) -> str:
        """The chief procurator does not approve notifying the police to file."""
        return self.proposed_from

    @step(
        code="K2",
        label=_("Send the proposed procuratorial opinion back"),
        side=Side.PROCURATORATE,
        role=Role.CHIEF_PROCURATOR,
        article=article(SPP_PROCEDURE, 557, 3),
        source=Status.TRANSFER_DEMAND_PROPOSED,
        target=Status.NON_TRANSFER_UNDER_REVIEW,
        reason_required=True,
    )
    def return_transfer_demand_proposal(self, *, at: datetime) -> None:
        """The chief procurator does not approve the procuratorial opinion."""

    @step(
        code="K4",
        label=_("Escalate the non-transfer"),
        side=Side.PROCURATORATE,
        role=Role.PROCURATOR,
        article=article(DECREE_310, 16),
        source=Status.TRANSFER_DEMANDED,
        target=Status.ESCALATED,
        cancels=("transfer_after_demand",),
        reason_required=True,
    )
    def escalate_non_transfer(self, *, at: datetime) -> None:
        """Agency refused or ignored the demand: escalated."""

    # --- After filing: milestones and the opinion after non-prosecution (T17, §4.3) ---

    @step(
        code="T17",
        label=_("Record public prosecution"),
        side=Side.PROCURATORATE,
        role=Role.PROCURATOR,
        article=article(CPL, 176),
        source=Status.PROSECUTION_STAGE_REVIEW,
        target=Status.PROSECUTION_STAGE_PROSECUTED,
    )
    def record_prosecution(self, *, at: datetime) -> None:
        """The procuratorate records that it initiated public prosecution."""

    @step(
        code="T17",
        label=_("Record non-prosecution"),
        side=Side.PROCURATORATE,
        role=Role.PROCURATOR,
        article=article(CPL, 177),
        source=Status.PROSECUTION_STAGE_REVIEW,
        target=Status.NON_PROSECUTED,
        reason_required=True,
    )
    def record_non_prosecution(self, *, at: datetime) -> None:
        """The procuratorate records its decision not to prosecute."""

    @step(
        code="T17",
        label=_("Record the judgment"),
        side=Side.PROCURATORATE,
        role=Role.PROCURATOR,
        article=article(CPL, 200),
        source=Status.PROSECUTION_STAGE_PROSECUTED,
        target=Status.JUDGED,
    )
    def record_judgment(self, *, at: datetime) -> None:
        """The procuratorate records the court's judgment."""

    @step(
        code="R1",
        label=_("Send a procuratorial opinion for administrative penalty"),
        side=Side.PROCURATORATE,
        role=Role.CHIEF_PROCURATOR,  # 检察意见 are the chief procurator's (SPP rules art. 373)
        article=f"{article(SPP_PROCEDURE, 373)}、{article(CPL, 177, 3)}",
        source=Status.NON_PROSECUTED,
        target=Status.REVERSE_TRANSFERRED_TO_AGENCY,
        # The agency closes only after handling the opinion: the close-file clock that the
        # non-prosecution started lapses here, and the accepting step starts it again.
        cancels=("close_file",),
        reason_required=True,
    )
    def reverse_transfer_after_non_prosecution(self, *, at: datetime) -> None:
        """After non-prosecution the procuratorate sends the case back with a procuratorial
        opinion (检察意见) for an administrative penalty; the agency reports how it handled it."""
        self.opinion_sent_at = at
