"""Overdue warnings moved to the domain (referral.Notice): copy the rows, drop the old table."""

from django.db import migrations


def copy_notices(apps, schema_editor):
    old = apps.get_model("workflows", "Notice")
    new = apps.get_model("referral", "Notice")
    new.objects.bulk_create(
        new(
            referral_id=n.referral_id,
            clock_id=n.clock_id,
            recipient_agency_id=n.recipient_agency_id,
            recipient_role=n.recipient_role,
            created_at=n.created_at,
        )
        for n in old.objects.all()
    )


def copy_back(apps, schema_editor):
    old = apps.get_model("workflows", "Notice")
    new = apps.get_model("referral", "Notice")
    old.objects.bulk_create(
        old(
            referral_id=n.referral_id,
            clock_id=n.clock_id,
            recipient_agency_id=n.recipient_agency_id,
            recipient_role=n.recipient_role,
            created_at=n.created_at,
        )
        for n in new.objects.all()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0002_task_list_indexes"),
        ("referral", "0005_notice"),
    ]

    operations = [
        migrations.RunPython(copy_notices, copy_back),
        migrations.DeleteModel(name="Notice"),
    ]
