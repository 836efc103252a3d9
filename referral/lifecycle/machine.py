"""`ReferralLifecycle`: the status field and every side's steps on it, for Referral to inherit."""

from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from .agency import AgencySteps
from .detention import DetentionSteps
from .police import PoliceSteps
from .procuratorate import ProcuratorateSteps
from .states import Status


class ReferralLifecycle(AgencySteps, PoliceSteps, ProcuratorateSteps, DetentionSteps):
    # Protected: only a transition method writes it (each side's module declares its steps).
    status = FSMField(
        _("status"),
        max_length=64,
        choices=Status.choices,
        default=Status.ADMIN_CASE_UNDER_INVESTIGATION,
        protected=True,
    )

    class Meta:
        abstract = True
