"""The police's steps (Decree 310 arts. 7–9, 13; MPS rules arts. 180–186; CPL).

Receipt and intake, the decision to file or not and its reconsideration, explaining a
non-filing, filing as notified, and the filed case up to referral for prosecution.
"""

from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE

from ..clock_rules import POLICE_DECISION_CLOCKS
from ..law import CPL, DECREE_310, MPS_PROCEDURE, article, articles
from ..roles import Role, Side
from .conditions import is_criminal_transfer
from .states import AFTER_FILING_STATES, POLICE_DECISION_STATES, Status
from .steps import step

RECONSIDERATION_ARTICLES = f"{article(DECREE_310, 9, 2)}、{articles(MPS_PROCEDURE, 178, 181)}"

# A police decision found overdue (SPP rules art. 562), before and after the correction opinion.
OVERDUE_STATES = (Status.OVERDUE_DECISION_UNDER_REVIEW, Status.OVERDUE_DECISION_CORRECTED)


class PoliceSteps(models.Model):
    class Meta:
        abstract = True

    # Also at the organ a case was forwarded to (T7).
    @step(
        code="T5",
        label=_("Sign the receipt"),
        side=Side.POLICE,
        role=Role.POLICE_INTAKE,
        article=article(DECREE_310, 7),
        source=[Status.TRANSFERRED_AWAITING_RECEIPT, Status.FORWARDED_TO_COMPETENT_AUTHORITY],
        target=Status.RECEIVED_BY_POLICE,
        conditions=[is_criminal_transfer],
        starts=("police_intake_check", "police_filing_decision"),
        # Signing the receipt is the service of the transfer letter and its attachments.
        receives=("transfer_letter", "investigation_report_cover", "seized_item_list"),
        # Each of the five items of art. 6 marked complete or missing (services/receipts.py).
        inputs=("receipt_checklist",),
    )
    def sign_receipt(self, *, at: datetime) -> None:
        """Police sign the receipt."""

    # Intake triage: competent and complete, so the review proper begins.
    @step(
        code="T5a",
        label=_("Accept for review"),
        side=Side.POLICE,
        role=Role.POLICE_INTAKE,
        article=article(MPS_PROCEDURE, 180),
        source=Status.RECEIVED_BY_POLICE,
        target=Status.UNDER_POLICE_REVIEW,
        stops=("police_intake_check",),
    )
    def begin_review(self, *, at: datetime) -> None:
        """Intake finds the organ competent and materials complete."""

    # The police may not refuse for incomplete materials; they ask for a supplement.
    # The police's 3 days run on (MPS rules art. 180: no text restarts them when material is
    # supplemented); where a local rule set restarts them (DOMAIN.md §9.3 [S]), they pause here.
    @step(
        code="T6",
        label=_("Request supplementary materials"),
        side=Side.POLICE,
        role=Role.POLICE_INTAKE,
        article=article(MPS_PROCEDURE, 180, 2),
        source=Status.RECEIVED_BY_POLICE,
        target=Status.MATERIALS_SUPPLEMENT_REQUESTED,
        stops=("police_intake_check",),
        local_restart_cancels=POLICE_DECISION_CLOCKS,
        starts=("agency_supplement",),
        reason_required=True,
    )
    def request_supplement(self, *, at: datetime) -> None:
        """Police ask for missing materials instead of refusing."""

    @step(
        code="T7",
        label=_("Forward to the competent police organ"),
        side=Side.POLICE,
        role=Role.POLICE_INTAKE,
        article=article(DECREE_310, 7),
        source=Status.RECEIVED_BY_POLICE,
        target=Status.FORWARDED_TO_COMPETENT_AUTHORITY,
        stops=("police_intake_check",),
        cancels=POLICE_DECISION_CLOCKS,
        reason_required=True,
        required_inputs=("police_agency",),
    )
    def forward_to_competent_police(self, *, at: datetime) -> None:
        """Forward to the competent organ within 24 hours."""

    @step(
        code="T7b",
        label=_("Return: not a police matter"),
        side=Side.POLICE,
        role=Role.POLICE_INTAKE,
        article=article(MPS_PROCEDURE, 180, 3),
        source=Status.RECEIVED_BY_POLICE,
        target=Status.RETURNED_NOT_POLICE_MATTER,
        stops=("police_intake_check",),
        cancels=POLICE_DECISION_CLOCKS,
        reason_required=True,
    )
    def return_not_police_matter(self, *, at: datetime) -> None:
        """Not a police matter: returned with reasons."""

    # The reviewer proposes and the police head approves (MPS rules art. 178). Also while the
    # overdue complaint is under review or after its correction opinion (SPP rules art. 562),
    # and, asked to explain a non-filing, the police may file instead (MPS rules art. 182).
    @step(
        code="T8",
        label=_("Propose filing the case"),
        side=Side.POLICE,
        role=Role.POLICE_REVIEWER,
        article=f"{article(MPS_PROCEDURE, 178)}、{article(MPS_PROCEDURE, 182)}",
        source=[*POLICE_DECISION_STATES, *OVERDUE_STATES, Status.EXPLANATION_REQUESTED],
        target=Status.FILING_PROPOSED,
        cancels=("police_intake_check",),
        proposes=("file_case",),
    )
    def propose_filing(self, *, at: datetime) -> None:
        """The case reviewer proposes filing to the police head."""
        self.proposed_from = self.status

    @step(
        code="T9",
        label=_("Propose declining to file"),
        side=Side.POLICE,
        role=Role.POLICE_REVIEWER,
        article=article(MPS_PROCEDURE, 178),
        source=[*POLICE_DECISION_STATES, *OVERDUE_STATES],
        target=Status.NON_FILING_PROPOSED,
        cancels=("police_intake_check",),
        reason_required=True,
        # The ground the reviewer finds; the head's form starts from it.
        inputs=("non_filing_ground",),
        proposes=("decline_filing",),
    )
    def propose_non_filing(self, *, at: datetime) -> None:
        """The case reviewer proposes non-filing, with reasons, to the police head."""
        self.proposed_from = self.status

    # The reason is the head's approval opinion (审批意见).
    @step(
        code="T8",
        label=_("Approve filing the case"),
        side=Side.POLICE,
        role=Role.POLICE_HEAD,
        article=f"{article(DECREE_310, 8)}、{article(MPS_PROCEDURE, 178)}",
        source=Status.FILING_PROPOSED,
        target=Status.FILED,
        stops=(*POLICE_DECISION_CLOCKS, "overdue_explanation", "police_explanation"),
        reason_required=True,
    )
    def file_case(self, *, at: datetime) -> None:
        """The police head approves: the criminal case is filed."""
        self.filed_at = at

    @step(
        code="T9",
        label=_("Approve declining to file"),
        side=Side.POLICE,
        role=Role.POLICE_HEAD,
        article=f"{article(DECREE_310, 8)}、{article(MPS_PROCEDURE, 178)}",
        source=Status.NON_FILING_PROPOSED,
        target=Status.NOT_FILED,
        stops=(*POLICE_DECISION_CLOCKS, "overdue_explanation"),
        reason_required=True,
        inputs=("non_filing_ground",),  # the notice states the ground found (CPL 112)
    )
    def decline_filing(self, *, at: datetime) -> None:
        """The police head approves non-filing."""

    # The head sends the proposal back; the case is where it was, its clocks still running.
    @step(
        code="T8/T9",
        label=_("Send the proposal back to the reviewer"),
        side=Side.POLICE,
        role=Role.POLICE_HEAD,
        article=article(MPS_PROCEDURE, 178),
        source=[Status.FILING_PROPOSED, Status.NON_FILING_PROPOSED],
        target=RETURN_VALUE(*POLICE_DECISION_STATES, *OVERDUE_STATES, Status.EXPLANATION_REQUESTED),
        reason_required=True,
    )
    def return_decision_proposal(self, *, at: datetime) -> str:
        """The police head does not approve the proposal."""
        return self.proposed_from

    # The reconsideration decision is a filing decision of the police organ: the reviewer
    # proposes it, the police head takes it (Decree 310 art. 9 para. 2; MPS rules arts. 178,
    # 181). The three days of the decision run on while the head decides: they are the organ's.
    @step(
        code="T12",
        label=_("Propose filing on reconsideration"),
        side=Side.POLICE,
        role=Role.POLICE_REVIEWER,
        article=RECONSIDERATION_ARTICLES,
        source=Status.RECONSIDERATION_PENDING,
        target=Status.RECONSIDERATION_FILING_PROPOSED,
        reason_required=True,
        proposes=("reconsider_file",),
    )
    def propose_filing_on_reconsideration(self, *, at: datetime) -> None:
        """The reviewer proposes filing on the agency's reconsideration request."""
        self.proposed_from = self.status

    @step(
        code="T12",
        label=_("Propose upholding non-filing on reconsideration"),
        side=Side.POLICE,
        role=Role.POLICE_REVIEWER,
        article=RECONSIDERATION_ARTICLES,
        source=Status.RECONSIDERATION_PENDING,
        target=Status.RECONSIDERATION_UPHOLD_PROPOSED,
        reason_required=True,
        proposes=("reconsider_uphold",),
    )
    def propose_upholding_non_filing(self, *, at: datetime) -> None:
        """The reviewer proposes upholding non-filing on reconsideration."""
        self.proposed_from = self.status

    @step(
        code="T12",
        label=_("File on reconsideration"),
        side=Side.POLICE,
        role=Role.POLICE_HEAD,
        article=RECONSIDERATION_ARTICLES,
        source=Status.RECONSIDERATION_FILING_PROPOSED,
        target=Status.FILED,
        stops=("reconsideration_decision",),
    )
    def reconsider_file(self, *, at: datetime) -> None:
        """On reconsideration the police head files the case."""
        self.filed_at = at

    @step(
        code="T12",
        label=_("Uphold non-filing on reconsideration"),
        side=Side.POLICE,
        role=Role.POLICE_HEAD,
        article=RECONSIDERATION_ARTICLES,
        source=Status.RECONSIDERATION_UPHOLD_PROPOSED,
        target=Status.RECONSIDERATION_UPHELD_NOT_FILED,
        stops=("reconsideration_decision",),
        reason_required=True,
    )
    def reconsider_uphold(self, *, at: datetime) -> None:
        """On reconsideration the police head upholds non-filing."""

    # The case department writes its withdrawal report (撤销案件报告书), the police head
    # approves (MPS rules arts. 186, 187); the agency is told in writing within 3 days (art.
    # 189): the withdrawal notice is issued with the head's step.
    @step(
        code="T14",
        label=_("Propose withdrawing the criminal case"),
        side=Side.POLICE,
        role=Role.POLICE_REVIEWER,
        article=articles(MPS_PROCEDURE, 186, 187),
        source=AFTER_FILING_STATES,
        target=Status.WITHDRAWAL_PROPOSED,
        reason_required=True,  # the withdrawal report
        proposes=("withdraw_case",),
    )
    def propose_withdrawal(self, *, at: datetime) -> None:
        """The reviewer reports to the police head that the case should be withdrawn."""
        self.proposed_from = self.status

    @step(
        code="T14",
        label=_("Withdraw the criminal case"),
        side=Side.POLICE,
        role=Role.POLICE_HEAD,
        article=articles(MPS_PROCEDURE, 186, 187, 189),
        source=Status.WITHDRAWAL_PROPOSED,
        target=Status.CASE_WITHDRAWN,
        cancels=("items_handover",),
        reason_required=True,
    )
    def withdraw_case(self, *, at: datetime) -> None:
        """The police head approves the withdrawal of a filed case."""

    # From a non-filing the file is already returned and the agency keeps its art. 9
    # rights, so the police reverse-transfer only filed or withdrawn cases.
    @step(
        code="T15",
        label=_("Transfer back to the agency"),
        side=Side.POLICE,
        role=Role.POLICE_REVIEWER,
        article=article(DECREE_310, 13),
        source=[*AFTER_FILING_STATES, Status.CASE_WITHDRAWN],
        target=Status.REVERSE_TRANSFERRED_TO_AGENCY,
        cancels=("items_handover",),
        reason_required=True,
    )
    def reverse_transfer(self, *, at: datetime) -> None:
        """No crime but administrative liability: back to the agency."""

    # The case moves to another police organ: the reviewer proposes the organ, the police head
    # approves (MPS rules art. 184); the agency is told in writing within 3 days: the notice is
    # issued with the head's step. The stage is unchanged.
    @step(
        code="T16",
        label=_("Propose transfer to another police organ"),
        side=Side.POLICE,
        role=Role.POLICE_REVIEWER,
        article=article(MPS_PROCEDURE, 184),
        source=AFTER_FILING_STATES,
        target=Status.TRANSFER_TO_OTHER_POLICE_PROPOSED,
        reason_required=True,
        required_inputs=("police_agency",),  # recorded with the proposal, moved by the head
        proposes=("transfer_to_other_police",),
    )
    def propose_transfer_to_other_police(self, *, at: datetime) -> None:
        """The reviewer proposes moving the filed case to another police organ."""
        self.proposed_from = self.status

    @step(
        code="T16",
        label=_("Transfer to another police organ"),
        side=Side.POLICE,
        role=Role.POLICE_HEAD,
        article=article(MPS_PROCEDURE, 184),
        source=Status.TRANSFER_TO_OTHER_POLICE_PROPOSED,
        target=RETURN_VALUE(*AFTER_FILING_STATES),
        reason_required=True,
        required_inputs=("police_agency",),
    )
    def transfer_to_other_police(self, *, at: datetime) -> str:
        """The police head approves: the filed case moves to another police organ, at the
        stage it was proposed from."""
        return self.proposed_from

    # The police head does not approve one of these proposals: the case is where it was, its
    # clocks still running (they are the organ's, not the officer's).
    @step(
        code="T12/T14/T16/M5",
        label=_("Send the proposal back to the reviewer"),
        side=Side.POLICE,
        role=Role.POLICE_HEAD,
        article=articles(MPS_PROCEDURE, 178, 184, 187),
        source=[
            Status.RECONSIDERATION_FILING_PROPOSED,
            Status.RECONSIDERATION_UPHOLD_PROPOSED,
            Status.FILING_AS_ORDERED_PROPOSED,
            Status.WITHDRAWAL_PROPOSED,
            Status.TRANSFER_TO_OTHER_POLICE_PROPOSED,
        ],
        target=RETURN_VALUE(
            Status.RECONSIDERATION_PENDING,
            Status.FILING_ORDERED,
            Status.CORRECTION_NOTICE_ISSUED,
            *AFTER_FILING_STATES,
        ),
        reason_required=True,
    )
    def return_police_proposal(self, *, at: datetime) -> str:
        """The police head does not approve the reviewer's proposal."""
        return self.proposed_from

    # Downstream milestones, recorded for information (numbering of the 2018 CPL).
    @step(
        code="T17",
        label=_("Record an arrest request"),
        side=Side.POLICE,
        role=Role.POLICE_REVIEWER,
        article=article(CPL, 87),
        source=[Status.FILED, Status.ITEMS_HANDED_OVER],
        target=Status.PROSECUTION_STAGE_ARREST,
    )
    def record_arrest_request(self, *, at: datetime) -> None:
        """Police record an arrest request."""

    @step(
        code="T17",
        label=_("Record referral for prosecution"),
        side=Side.POLICE,
        role=Role.POLICE_REVIEWER,
        article=article(CPL, 162),
        source=AFTER_FILING_STATES,
        target=Status.PROSECUTION_STAGE_REVIEW,
        cancels=("items_handover",),
    )
    def record_prosecution_referral(self, *, at: datetime) -> None:
        """Police record referral for prosecution."""

    @step(
        code="M3",
        label=_("Explain non-filing"),
        side=Side.POLICE,
        role=Role.POLICE_REVIEWER,
        article=article(MPS_PROCEDURE, 182),
        source=Status.EXPLANATION_REQUESTED,
        target=Status.EXPLANATION_RECEIVED,
        stops=("police_explanation",),
        starts=("supervision_conclusion",),
        reason_required=True,
    )
    def submit_explanation(self, *, at: datetime) -> None:
        """Police explain non-filing to the procuratorate."""

    # Filing as notified is a filing decision: the reviewer proposes, the police head decides
    # (MPS rules arts. 178, 182). The 15 days run on while the head decides (SPP rules art. 563).
    @step(
        code="M5",
        label=_("Propose filing as notified"),
        side=Side.POLICE,
        role=Role.POLICE_REVIEWER,
        article=articles(MPS_PROCEDURE, 178, 182),
        source=[Status.FILING_ORDERED, Status.CORRECTION_NOTICE_ISSUED],
        target=Status.FILING_AS_ORDERED_PROPOSED,
        proposes=("file_as_ordered",),
    )
    def propose_filing_as_ordered(self, *, at: datetime) -> None:
        """The reviewer proposes filing as the procuratorate notified."""
        self.proposed_from = self.status

    @step(
        code="M5",
        label=_("File as notified"),
        side=Side.POLICE,
        role=Role.POLICE_HEAD,
        article=articles(MPS_PROCEDURE, 178, 182),
        source=Status.FILING_AS_ORDERED_PROPOSED,
        target=Status.FILED,
        stops=("ordered_filing",),
    )
    def file_as_ordered(self, *, at: datetime) -> None:
        """The police head files as notified by the procuratorate."""
        self.filed_at = at
        self.supervised_filing = True
