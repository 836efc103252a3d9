"""Flow nodes are named by role codes: stored tasks of `agency_officer` become `case_officer`."""

from django.db import migrations

PREFIX = "workflows/flows.ReferralFlow."
RENAME = "UPDATE viewflow_task SET flow_task = %s WHERE flow_task = %s"


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0003_move_notice_to_referral"),
        ("viewflow", "0015_task_scheduled"),
    ]

    operations = [
        migrations.RunSQL(
            sql=[(RENAME, [PREFIX + "case_officer", PREFIX + "agency_officer"])],
            reverse_sql=[(RENAME, [PREFIX + "agency_officer", PREFIX + "case_officer"])],
        )
    ]
