"""Early intervention (提前介入, DOMAIN.md §4.1): before a case is transferred, its agency asks
the police and/or the procuratorate to join it early; the head approves the request, each
addressee answers within a period, assigns officers, who note what they did, and the
requesting agency closes the request with its outcome."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .agencies import Agency
from .fields import ProseField
from .referral import Referral


class InterventionReason(models.TextChoices):
    # The triggers of the local rules: Ningxia 2015, Guangdong, Qingdao 2014 [S F4, F6, F7].
    EVIDENCE_AT_RISK = "evidence_at_risk", _("Evidence at risk of being lost")
    SUSPECTS_MAY_FLEE = "suspects_may_flee", _("Suspects may flee")
    QUALIFICATION_UNCLEAR = "qualification_unclear", _("Legal qualification unclear")
    JOINT_RAID = "joint_raid", _("Joint raid")


class InterventionStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting the head's approval")
    REFUSED = "refused", _("Not approved by the head")
    REQUESTED = "requested", _("Requested")
    CLOSED = "closed", _("Closed")


OPEN_INTERVENTION_STATES = (InterventionStatus.AWAITING_APPROVAL, InterventionStatus.REQUESTED)


class EarlyIntervention(models.Model):
    referral = models.ForeignKey(
        Referral,
        verbose_name=_("referral"),
        on_delete=models.PROTECT,
        related_name="interventions",
    )
    requesting_agency = models.ForeignKey(
        Agency, verbose_name=_("requesting agency"), on_delete=models.PROTECT, related_name="+"
    )
    reason_category = models.CharField(
        _("reason"), max_length=32, choices=InterventionReason.choices
    )
    reason = ProseField(_("why early intervention is needed"))
    # Named apart from a referral's `status`, which only the lifecycle writes.
    state = models.CharField(
        _("status"),
        max_length=20,
        choices=InterventionStatus.choices,
        default=InterventionStatus.AWAITING_APPROVAL,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = ProseField(_("head's note"), blank=True)
    outcome = ProseField(_("outcome"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("early intervention")
        verbose_name_plural = _("early interventions")
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"{self.referral} · {self.get_reason_category_display()}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_INTERVENTION_STATES


class AddresseeAnswer(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class InterventionAddressee(models.Model):
    """One police organ or procuratorate asked to intervene: its period to answer (running
    from the head's approval), its answer and the officers it assigns."""

    intervention = models.ForeignKey(
        EarlyIntervention, on_delete=models.CASCADE, related_name="addressees"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    # Where the period came from: "national" (the default) or a jurisdiction's rule set.
    ruleset = models.CharField(_("rule set"), max_length=50, blank=True)
    answer = models.CharField(
        _("answer"), max_length=16, choices=AddresseeAnswer.choices, blank=True
    )
    answer_reason = ProseField(_("reason for the answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned officers"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("addressee of an early intervention")
        verbose_name_plural = _("addressees of early interventions")
        ordering = ["intervention", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "agency"], name="intervention_addressee"
            ),
        ]
        indexes = [models.Index(fields=["agency", "answered_at", "due_at"])]

    def __str__(self):
        return str(self.agency)

    def is_overdue(self, at) -> bool:
        """Unanswered past its period: read from the due time, never stored."""
        return self.answered_at is None and self.due_at is not None and self.due_at < at


class InterventionNote(models.Model):
    intervention = models.ForeignKey(
        EarlyIntervention, on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    text = ProseField(_("note"))
    created_at = models.DateTimeField(_("written at"))

    class Meta:
        verbose_name = _("intervention note")
        verbose_name_plural = _("intervention notes")
        ordering = ["intervention", "created_at", "pk"]

    def __str__(self):
        return self.text[:40]
