"""Who acts: a person's role and the side of the referral their agency stands on.

A leaf module (it imports no model) so that the lifecycle, the clock rules and the models can
all name an actor without importing one another.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A person's function; stored as a Django group of the same name."""

    CASE_OFFICER = "case_officer", _("Case officer")
    AGENCY_HEAD = "agency_head", _("Agency head")
    POLICE_INTAKE = "police_intake", _("Police intake officer")
    POLICE_REVIEWER = "police_reviewer", _("Police case reviewer")
    # 县级以上公安机关负责人: approves filing and non-filing (MPS rules art. 178).
    POLICE_HEAD = "police_head", _("Head of the public security organ")
    PROCURATOR = "procurator", _("Procurator")
    # 检察长: decides 通知立案 and 检察意见 (SPP rules arts. 561, 557(3), 373).
    CHIEF_PROCURATOR = "chief_procurator", _("Chief procurator")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


class Side(models.TextChoices):
    """Which of the referral's three agencies a step or clock belongs to."""

    AGENCY = "agency", _("Transferring agency")
    POLICE = "police", _("Police")
    PROCURATORATE = "procuratorate", _("Procuratorate")
