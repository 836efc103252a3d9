"""Indexes on viewflow's task table for the task lists (viewflow's own model declares none).

Measured with bench/inbox.py at 100 000 referrals on PostgreSQL: without (agency, status) the
queue read every NEW task in the database through the status index and filtered out the other
agencies' (75 ms a query; 2.3 ms with the index). (owner, status) serves the inbox and archive."""

from django.db import migrations

INDEXES = {
    "xj_task_agency_status": "owner_permission_obj_pk, status",
    "xj_task_owner_status": "owner_id, status",
}


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0001_initial"),
        ("viewflow", "0015_task_scheduled"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON viewflow_task ({columns})",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, columns in INDEXES.items()
    ]
