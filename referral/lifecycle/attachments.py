"""The kinds of file an agency uploads, and the five the transfer must carry.

Here rather than beside the Attachment model because the transfer's condition reads them and
the lifecycle imports no model module.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AttachmentKind(models.TextChoices):
    # The five items of the transfer package, Decree 310 art. 6.
    TRANSFER_LETTER = "transfer_letter", _("Transfer letter")
    INVESTIGATION_REPORT = "investigation_report", _("Investigation report")
    ITEM_LIST = "item_list", _("Seized-item list")
    TEST_REPORT = "test_report", _("Test report or appraisal opinion")
    OTHER_MATERIALS = "other_materials", _("Other materials on the suspected crime")
    # Further material.
    TRANSFER_REPORT = "transfer_report", _("Written transfer report")
    SUPPLEMENT = "supplement", _("Supplementary material")
    EVIDENCE = "evidence", _("Further evidence")


# 《行政执法机关移送涉嫌犯罪案件的规定》第六条: the transfer must carry these five items.
MANDATORY_TRANSFER_ATTACHMENTS = (
    AttachmentKind.TRANSFER_LETTER,
    AttachmentKind.INVESTIGATION_REPORT,
    AttachmentKind.ITEM_LIST,
    AttachmentKind.TEST_REPORT,
    AttachmentKind.OTHER_MATERIALS,
)
