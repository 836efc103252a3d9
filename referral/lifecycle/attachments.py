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

# Items ① to ③ are documents the transfer step issues itself from the case record
# (referral/documents/types.py: transfer_letter, investigation_report_cover, seized_item_list),
# so the officer is never asked to upload them; what the law needs from the officer is ④ and ⑤.
GENERATED_TRANSFER_ITEMS = (
    AttachmentKind.TRANSFER_LETTER,
    AttachmentKind.INVESTIGATION_REPORT,
    AttachmentKind.ITEM_LIST,
)
# The kinds filed under ⑤ "其他有关涉嫌犯罪的材料" (as the transfer letter lists them).
OTHER_MATERIAL_KINDS = (
    AttachmentKind.OTHER_MATERIALS,
    AttachmentKind.EVIDENCE,
    AttachmentKind.SUPPLEMENT,
)
# The kinds an officer uploads: every kind but the generated ones.
UPLOAD_KINDS = tuple(
    (kind.value, kind.label) for kind in AttachmentKind if kind not in GENERATED_TRANSFER_ITEMS
)
