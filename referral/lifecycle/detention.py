"""Transfer for administrative detention (Food Safety Law art. 123; DOMAIN.md §4.7).

A referral of its own kind: the agency proposes and approves, the police impose or decline.
Article 123 sets no period, so no clock of Decree 310 is borrowed (DOMAIN.md §9.3).
"""

from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..law import FOOD_SAFETY_LAW, article
from ..roles import Role, Side
from .conditions import has_facts, has_licence_revocation, has_police_agency, is_detention_transfer
from .states import Status
from .steps import step


class DetentionSteps(models.Model):
    class Meta:
        abstract = True

    @step(
        code="AD1",
        label=_("Propose transfer for administrative detention"),
        side=Side.AGENCY,
        role=Role.CASE_OFFICER,
        article=article(FOOD_SAFETY_LAW, 123),
        source=Status.ADMIN_CASE_UNDER_INVESTIGATION,
        target=Status.DETENTION_PENDING_APPROVAL,
        conditions=[is_detention_transfer, has_facts, has_licence_revocation],
    )
    def propose_detention(self, *, at: datetime) -> None:
        """Officer proposes detention after licence revocation."""

    @step(
        code="AD2",
        label=_("Approve and transfer for detention"),
        side=Side.AGENCY,
        role=Role.AGENCY_HEAD,
        article=article(FOOD_SAFETY_LAW, 123),
        source=Status.DETENTION_PENDING_APPROVAL,
        target=Status.DETENTION_TRANSFERRED,
        conditions=[has_police_agency],
        inputs=("police_agency",),
    )
    def approve_detention_transfer(self, *, at: datetime) -> None:
        """Head approves and the case goes to the police for detention."""
        self.transferred_at = at

    @step(
        code="AD3",
        label=_("Refuse the detention transfer"),
        side=Side.AGENCY,
        role=Role.AGENCY_HEAD,
        article=article(FOOD_SAFETY_LAW, 123),
        source=Status.DETENTION_PENDING_APPROVAL,
        target=Status.TRANSFER_REFUSED_RECORDED,
        reason_required=True,
    )
    def refuse_detention_transfer(self, *, at: datetime) -> None:
        """Head refuses the detention transfer with reasons."""

    @step(
        code="AD4",
        label=_("Impose administrative detention"),
        side=Side.POLICE,
        role=Role.POLICE_REVIEWER,
        article=article(FOOD_SAFETY_LAW, 123),
        source=Status.DETENTION_TRANSFERRED,
        target=Status.DETENTION_IMPOSED,
        required_inputs=("detention_days",),
    )
    def impose_detention(self, *, at: datetime) -> None:
        """Police impose 5 to 15 days' administrative detention."""

    @step(
        code="AD5",
        label=_("Decline administrative detention"),
        side=Side.POLICE,
        role=Role.POLICE_REVIEWER,
        article=article(FOOD_SAFETY_LAW, 123),
        source=Status.DETENTION_TRANSFERRED,
        target=Status.DETENTION_DECLINED,
        reason_required=True,
    )
    def decline_detention(self, *, at: datetime) -> None:
        """Police decline detention with reasons."""
