"""The transferring agency's steps (Decree 310 arts. 3–13; SAMR penalty procedure art. 77).

Finding and transferring a suspected crime, supplementing materials, handing over seized
items, answering a non-filing, reporting an overdue decision, complying with the
procuratorate's demand, taking a case back and closing the file.
"""

from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE

from ..law import (
    CPL,
    DECREE_310,
    MPS_PROCEDURE,
    SAMR_PENALTY_PROCEDURE,
    SPP_PROCEDURE,
    article,
    articles,
)
from ..roles import Role, Side
from .conditions import (
    admin_outcome_recorded,
    has_case_group,
    has_facts_and_charge,
    has_other_materials,
    has_police_agency,
    has_test_report,
    has_transfer_report,
    is_criminal_transfer,
    is_ip_case,
    items_not_handed_over,
    opinion_handling_reported,
    opinion_handling_unreported,
    police_decision_overdue,
)
from .states import AFTER_FILING_PROPOSALS, CLOSABLE_STATES, POLICE_DECISION_STATES, Status
from .steps import step


class AgencySteps(models.Model):
    class Meta:
        abstract = True

    @step(
        code="T1",
        label=_("Find a suspected crime"),
        side=Side.AGENCY,
        role=Role.CASE_OFFICER,
        article=articles(DECREE_310, 3, 4),
        source=Status.ADMIN_CASE_UNDER_INVESTIGATION,
        target=Status.SUSPECTED_CRIME_FOUND,
        conditions=[is_criminal_transfer, has_facts_and_charge],
    )
    def find_suspected_crime(self, *, at: datetime) -> None:
        """Officer finds the facts reach a criminal threshold."""

    @step(
        code="T1a",
        label=_("Transfer on reasonable suspicion (IP case)"),
        side=Side.AGENCY,
        role=Role.CASE_OFFICER,
        article=article(DECREE_310, 3, 2),
        source=Status.ADMIN_CASE_UNDER_INVESTIGATION,
        target=Status.SUSPECTED_CRIME_FOUND,
        conditions=[is_criminal_transfer, is_ip_case, has_facts_and_charge],
    )
    def find_reasonable_suspicion(self, *, at: datetime) -> None:
        """An IP case goes to the police on reasonable suspicion, for them to establish the
        threshold."""

    @step(
        code="T2",
        label=_("Submit the transfer report"),
        side=Side.AGENCY,
        role=Role.CASE_OFFICER,
        article=article(DECREE_310, 5),
        source=Status.SUSPECTED_CRIME_FOUND,
        target=Status.TRANSFER_REPORT_PENDING_APPROVAL,
        conditions=[has_case_group, has_transfer_report],
        starts=("approval_decision",),
    )
    def submit_transfer_report(self, *, at: datetime) -> None:
        """Special group submits the written report to the head."""

    @step(
        code="T3a",
        label=_("Approve the transfer"),
        side=Side.AGENCY,
        role=Role.AGENCY_HEAD,
        principal_only=True,
        article=article(DECREE_310, 5),
        source=Status.TRANSFER_REPORT_PENDING_APPROVAL,
        target=Status.TRANSFER_APPROVED,
        stops=("approval_decision",),
        starts=("transfer_after_approval",),
    )
    def approve_transfer(self, *, at: datetime) -> None:
        """Head approves; the 24-hour transfer clock starts."""

    # Refusing a case that should be transferred is itself sanctionable (art. 16).
    @step(
        code="T3b",
        label=_("Refuse the transfer"),
        side=Side.AGENCY,
        role=Role.AGENCY_HEAD,
        principal_only=True,
        article=article(DECREE_310, 5),
        source=Status.TRANSFER_REPORT_PENDING_APPROVAL,
        target=Status.TRANSFER_REFUSED_RECORDED,
        stops=("approval_decision",),
        reason_required=True,
    )
    def refuse_transfer(self, *, at: datetime) -> None:
        """Head refuses with a recorded reason."""

    @step(
        code="T4/T4c",
        label=_("Transfer to the police"),
        side=Side.AGENCY,
        role=Role.CASE_OFFICER,
        article=articles(DECREE_310, 5, 6),
        source=Status.TRANSFER_APPROVED,
        target=Status.TRANSFERRED_AWAITING_RECEIPT,
        conditions=[has_test_report, has_other_materials, has_police_agency],
        stops=("transfer_after_approval",),
        inputs=("police_agency",),
        arguments=("copy_to_procuratorate",),
    )
    def transfer(self, *, at: datetime, copy_to_procuratorate: bool) -> None:
        """The case goes to the police with the five items, copied to the procuratorate."""
        self.transferred_at = at
        if copy_to_procuratorate and self.procuratorate_id:
            self.procuratorate_copied_at = at

    @step(
        code="T6b",
        label=_("Supply the missing materials"),
        side=Side.AGENCY,
        role=Role.CASE_OFFICER,
        article=article(MPS_PROCEDURE, 180, 2),
        source=Status.MATERIALS_SUPPLEMENT_REQUESTED,
        target=Status.UNDER_POLICE_REVIEW,
        stops=("agency_supplement",),
        # Only where a local rule set restarts the police's 3 days on the supplement (§9.3 [S]).
        local_restart_starts=("police_filing_decision",),
    )
    def supplement_materials(self, *, at: datetime) -> None:
        """Agency supplies what the police asked for."""

    # Hand-over runs beside the criminal procedure, so it may happen in any early stage, also
    # while the police head decides on a withdrawal or a transfer the reviewer proposed.
    @step(
        code="T10",
        label=_("Hand over seized items"),
        side=Side.AGENCY,
        role=Role.CASE_OFFICER,
        article=article(DECREE_310, 12),
        source=[Status.FILED, Status.PROSECUTION_STAGE_ARREST, *AFTER_FILING_PROPOSALS],
        target=RETURN_VALUE(
            Status.ITEMS_HANDED_OVER, Status.PROSECUTION_STAGE_ARREST, *AFTER_FILING_PROPOSALS
        ),
        conditions=[items_not_handed_over],
        stops=("items_handover",),
    )
    def hand_over_items(self, *, at: datetime) -> str:
        """Seized items handed over after filing."""
        self.items_handed_over_at = at
        if self.status == Status.FILED:
            return Status.ITEMS_HANDED_OVER
        if self.status in AFTER_FILING_PROPOSALS and self.proposed_from == Status.FILED:
            # Sent back or transferred, the case stands with its items handed over.
            self.proposed_from = Status.ITEMS_HANDED_OVER
        return self.status

    @step(
        code="T11",
        label=_("Request reconsideration"),
        side=Side.AGENCY,
        role=Role.CASE_OFFICER,
        article=article(DECREE_310, 9),
        source=Status.NOT_FILED,
        target=Status.RECONSIDERATION_PENDING,
        stops=("reconsideration_window",),
        reason_required=True,
    )
    def request_reconsideration(self, *, at: datetime) -> None:
        """Agency asks the police to reconsider non-filing."""

    @step(
        code="T11b/T13",
        label=_("Ask the procuratorate for filing supervision"),
        side=Side.AGENCY,
        role=Role.CASE_OFFICER,
        article=article(DECREE_310, 9),
        source=[Status.NOT_FILED, Status.RECONSIDERATION_UPHELD_NOT_FILED],
        target=Status.FILING_SUPERVISION_REQUESTED,
        stops=("reconsideration_window", "supervision_request_window"),
        reason_required=True,
    )
    def request_filing_supervision(self, *, at: datetime) -> None:
        """Agency asks the procuratorate to supervise."""

    # Also after the procuratorate accepted the police's explanation (M4b).
    @step(
        code="T11c/T13b",
        label=_("Accept non-filing and handle administratively"),
        side=Side.AGENCY,
        role=Role.CASE_OFFICER,
        article=article(DECREE_310, 10),
        source=[
            Status.NOT_FILED,
            Status.RECONSIDERATION_UPHELD_NOT_FILED,
            Status.SUPERVISION_CLOSED_NO_FILING,
        ],
        target=Status.ADMIN_HANDLING_AFTER_NON_FILING,
        stops=("reconsideration_window", "supervision_request_window"),
    )
    def accept_non_filing(self, *, at: datetime) -> None:
        """Agency accepts non-filing and handles the case itself."""

    @step(
        code="R2",
        label=_("Accept the case back for administrative handling"),
        side=Side.AGENCY,
        role=Role.CASE_OFFICER,
        article=article(DECREE_310, 13),
        source=Status.REVERSE_TRANSFERRED_TO_AGENCY,
        target=Status.ADMIN_HANDLING_AFTER_REVERSE_TRANSFER,
    )
    def accept_reverse_transfer(self, *, at: datetime) -> None:
        """Agency takes a reverse-transferred case back."""

    # After a procuratorial opinion the agency tells the procuratorate how it handled the case
    # (CPL art. 177 para. 3; SPP rules art. 373); the reason is the handling result.
    @step(
        code="R2a",
        label=_("Report the handling of the procuratorial opinion"),
        side=Side.AGENCY,
        role=Role.CASE_OFFICER,
        article=f"{article(CPL, 177, 3)}、{article(SPP_PROCEDURE, 373)}",
        source=Status.ADMIN_HANDLING_AFTER_REVERSE_TRANSFER,
        target=Status.ADMIN_HANDLING_AFTER_REVERSE_TRANSFER,
        conditions=[opinion_handling_unreported],
        reason_required=True,
    )
    def report_opinion_handling(self, *, at: datetime) -> None:
        """The agency reports the result of its handling to the procuratorate."""
        self.opinion_handling_reported_at = at

    @step(
        code="T18",
        label=_("Close the administrative file"),
        side=Side.AGENCY,
        role=Role.AGENCY_HEAD,
        article=f"{article(SAMR_PENALTY_PROCEDURE, 77)}、{article(DECREE_310, 10)}",
        source=CLOSABLE_STATES,
        target=Status.CLOSED,
        conditions=[admin_outcome_recorded, opinion_handling_reported],
        stops=("close_file",),
    )
    def close(self, *, at: datetime) -> None:
        """Head closes the administrative file."""

    @step(
        code="M7",
        label=_("Report an overdue police decision"),
        side=Side.AGENCY,
        role=Role.CASE_OFFICER,
        article=article(SPP_PROCEDURE, 562),
        source=POLICE_DECISION_STATES,
        target=Status.OVERDUE_DECISION_UNDER_REVIEW,
        conditions=[police_decision_overdue],
        cancels=("police_intake_check",),
        reason_required=True,
    )
    def report_overdue_decision(self, *, at: datetime) -> None:
        """Agency reports an overdue police decision."""

    # The head's compliance is the approval; the 24-hour transfer clock follows (art. 5).
    @step(
        code="K3",
        label=_("Comply with the demand and approve the transfer"),
        side=Side.AGENCY,
        role=Role.AGENCY_HEAD,
        principal_only=True,
        article=article(DECREE_310, 5),
        source=[Status.TRANSFER_DEMANDED, Status.ESCALATED],
        target=Status.TRANSFER_APPROVED,
        conditions=[has_facts_and_charge],
        stops=("transfer_after_demand",),
        starts=("transfer_after_approval",),
    )
    def comply_with_demand(self, *, at: datetime) -> None:
        """Head complies with the procuratorate's demand to transfer."""
