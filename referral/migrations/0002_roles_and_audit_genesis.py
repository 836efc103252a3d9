"""Creates one group per role and the audit chain's genesis head."""

from django.db import migrations

ROLES = [
    "case_officer",
    "agency_head",
    "police_intake",
    "police_reviewer",
    "procurator",
    "system_admin",
    "security_admin",
    "audit_admin",
]
GENESIS_HASH = "0" * 64


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role in ROLES:
        Group.objects.get_or_create(name=role)
    AuditChainHead = apps.get_model("referral", "AuditChainHead")
    AuditChainHead.objects.get_or_create(id=1, defaults={"last_seq": 0, "last_hash": GENESIS_HASH})


class Migration(migrations.Migration):
    dependencies = [("referral", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
