"""The referral process: viewflow's Process with the Referral as its artifact."""

from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process


class ReferralProcess(Process):
    class Meta:
        proxy = True
        verbose_name = _("referral process")
        verbose_name_plural = _("referral processes")

    @property
    def referral(self):
        return self.artifact
