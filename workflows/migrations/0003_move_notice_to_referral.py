"""Overdue warnings moved to the domain (referral.Notice): copy the rows, drop the old table."""

from django.db import migrations

FIELDS = ("referral_id", "clock_id", "recipient_agency_id", "recipient_role", "created_at")


def _copy(apps, source: str, target: str) -> None:
    source_model = apps.get_model(source, "Notice")
    target_model = apps.get_model(target, "Notice")
    target_model.objects.bulk_create(
        target_model(**{f: getattr(n, f) for f in FIELDS}) for n in source_model.objects.all()
    )


def copy_notices(apps, schema_editor):
    _copy(apps, "workflows", "referral")


def copy_back(apps, schema_editor):
    _copy(apps, "referral", "workflows")


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0002_task_list_indexes"),
        ("referral", "0005_notice"),
    ]

    operations = [
        migrations.RunPython(copy_notices, copy_back),
        migrations.DeleteModel(name="Notice"),
    ]
