"""Squashed referral migrations 0016_notifications to 0022, in the order the old chain ran them.

0016_case_record is not in it: it is in 0001_squashed_0018_with_0016_case_record, which
explains why there are two squashes. workflows 0003 must run between the two.

Unlike the first squash, this one can run on a database that has data: one the old chain
migrated up to 0018 and 0016_case_record has users, referrals and notices. So its data steps
are kept as they were, in their old places, copied from the old files.
"""

import django.db.models.deletion
import django_fsm
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models

import referral.models.notifications


# From 0016_notifications.
def notices_to_notifications(apps, schema_editor):
    """Folds each overdue warning (Notice, addressed to a role of an agency) into one
    notification for every active user holding that role there, marked read after nothing."""
    Notice = apps.get_model("referral", "Notice")
    Notification = apps.get_model("referral", "Notification")
    User = apps.get_model("referral", "User")
    for notice in Notice.objects.select_related("referral", "clock"):
        users = User.objects.filter(
            is_active=True,
            agency_id=notice.recipient_agency_id,
            groups__name=notice.recipient_role,
        ).distinct()
        for user in users:
            Notification.objects.get_or_create(
                recipient=user,
                key=f"clock_overdue:{notice.clock_id}",
                defaults={
                    "kind": "clock_overdue",
                    "referral": notice.referral,
                    "clock": notice.clock,
                    "title": f"{notice.referral.reference}: {notice.clock.rule}"[:200],
                    "created_at": notice.created_at,
                },
            )
    for user in User.objects.all():
        user.unread_notifications = Notification.objects.filter(
            recipient=user, read_at__isnull=True
        ).count()
        user.save(update_fields=["unread_notifications"])


# From 0021_coordination_notices_and_clue_reads.
OLD_KINDS = {"case_arrived", "decision", "document_served", "clock_due_soon", "clock_overdue"}


def coordination_by_email(apps, schema_editor):
    """Users who kept every kind by e-mail (the default) keep every kind, the new one too."""
    User = apps.get_model("referral", "User")
    for user in User.objects.all().only("pk", "email_notification_kinds"):
        kinds = list(user.email_notification_kinds or [])
        if OLD_KINDS <= set(kinds) and "coordination" not in kinds:
            kinds.insert(kinds.index("document_served") + 1, "coordination")
            User.objects.filter(pk=user.pk).update(email_notification_kinds=kinds)


class Migration(migrations.Migration):
    replaces = [
        ("referral", "0016_notifications"),
        ("referral", "0019_merge_20261202_2004"),
        ("referral", "0020_merge_0016_case_record_0019_merge_20261202_2004"),
        ("referral", "0021_police_head_proposals"),
        ("referral", "0021_coordination_notices_and_clue_reads"),
        ("referral", "0022_merge_proposals_coordination_notices"),
    ]

    dependencies = [
        ("referral", "0016_case_record"),
        ("referral", "0018_merge_0016_coordination_0017_officials_follow_up"),
        ("workflows", "0003_move_notice_to_referral"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_notification_kinds",
            field=models.JSONField(
                blank=True,
                default=referral.models.notifications.email_kinds_default,
                verbose_name="notifications by e-mail",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="unread_notifications",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="unread notifications"
            ),
        ),
        migrations.CreateModel(
            name="Notification",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("case_arrived", "A case awaits your step"),
                            ("decision", "Decision on a case"),
                            ("document_served", "Document sent to your agency"),
                            ("clock_due_soon", "Deadline approaching"),
                            ("clock_overdue", "Deadline passed"),
                        ],
                        max_length=32,
                        verbose_name="kind",
                    ),
                ),
                ("key", models.CharField(max_length=80)),
                ("link", models.CharField(blank=True, max_length=200)),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("body", models.TextField(blank=True, verbose_name="text")),
                ("created_at", models.DateTimeField(verbose_name="created at")),
                ("read_at", models.DateTimeField(blank=True, null=True, verbose_name="read at")),
                (
                    "emailed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="e-mailed at"),
                ),
                (
                    "clock",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="referral.clock",
                    ),
                ),
                (
                    "recipient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recipient",
                    ),
                ),
                (
                    "referral",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="referral.referral",
                        verbose_name="referral",
                    ),
                ),
            ],
            options={
                "verbose_name": "notification",
                "verbose_name_plural": "notifications",
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["recipient", "read_at"], name="referral_no_recipie_d6af4a_idx"
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("recipient", "key"), name="referral_notification_once"
                    )
                ],
            },
        ),
        migrations.RunPython(
            code=notices_to_notifications,
            reverse_code=migrations.RunPython.noop,
        ),
        migrations.DeleteModel(
            name="Notice",
        ),
        migrations.AlterField(
            model_name="referral",
            name="status",
            field=django_fsm.FSMField(
                choices=[
                    ("ADMIN_CASE_UNDER_INVESTIGATION", "Administrative case under investigation"),
                    ("SUSPECTED_CRIME_FOUND", "Suspected crime found"),
                    ("TRANSFER_REPORT_PENDING_APPROVAL", "Transfer report awaiting approval"),
                    ("TRANSFER_REFUSED_RECORDED", "Transfer refused, reasons recorded"),
                    ("TRANSFER_APPROVED", "Transfer approved"),
                    ("TRANSFERRED_AWAITING_RECEIPT", "Transferred, awaiting receipt"),
                    ("RECEIVED_BY_POLICE", "Received by police"),
                    ("MATERIALS_SUPPLEMENT_REQUESTED", "Supplementary materials requested"),
                    ("FORWARDED_TO_COMPETENT_AUTHORITY", "Forwarded to the competent police organ"),
                    ("RETURNED_NOT_POLICE_MATTER", "Returned: not a police matter"),
                    ("UNDER_POLICE_REVIEW", "Under police review"),
                    ("FILING_PROPOSED", "Filing proposed, awaiting the police head"),
                    ("NON_FILING_PROPOSED", "Non-filing proposed, awaiting the police head"),
                    ("FILED", "Filed as a criminal case"),
                    ("ITEMS_HANDED_OVER", "Seized items handed over"),
                    ("NOT_FILED", "Not filed"),
                    ("RECONSIDERATION_PENDING", "Reconsideration pending"),
                    ("RECONSIDERATION_UPHELD_NOT_FILED", "Non-filing upheld on reconsideration"),
                    (
                        "RECONSIDERATION_FILING_PROPOSED",
                        "Filing on reconsideration proposed, awaiting the police head",
                    ),
                    (
                        "RECONSIDERATION_UPHOLD_PROPOSED",
                        "Upholding non-filing on reconsideration proposed, awaiting the police head",
                    ),
                    ("FILING_SUPERVISION_REQUESTED", "Filing supervision requested"),
                    ("SUPERVISION_UNDER_REVIEW", "Supervision under review"),
                    ("EXPLANATION_REQUESTED", "Explanation of non-filing requested"),
                    ("EXPLANATION_RECEIVED", "Explanation of non-filing received"),
                    (
                        "FILING_ORDER_PROPOSED",
                        "Notice to file proposed, awaiting the chief procurator",
                    ),
                    ("FILING_ORDERED", "Police notified to file"),
                    ("CORRECTION_NOTICE_ISSUED", "Correction notice issued"),
                    (
                        "FILING_AS_ORDERED_PROPOSED",
                        "Filing as notified proposed, awaiting the police head",
                    ),
                    ("SUPERVISION_CLOSED_NO_FILING", "Supervision closed, non-filing stands"),
                    ("OVERDUE_DECISION_UNDER_REVIEW", "Overdue police decision under review"),
                    (
                        "OVERDUE_DECISION_CORRECTED",
                        "Correction opinion on the overdue decision issued",
                    ),
                    ("WITHDRAWAL_PROPOSED", "Withdrawal proposed, awaiting the police head"),
                    (
                        "TRANSFER_TO_OTHER_POLICE_PROPOSED",
                        "Transfer to another police organ proposed, awaiting the police head",
                    ),
                    ("CASE_WITHDRAWN", "Criminal case withdrawn"),
                    ("PROSECUTION_STAGE_ARREST", "Arrest requested"),
                    ("PROSECUTION_STAGE_REVIEW", "Referred for prosecution review"),
                    ("PROSECUTION_STAGE_PROSECUTED", "Public prosecution initiated"),
                    ("NON_PROSECUTED", "Not prosecuted"),
                    ("JUDGED", "Judgment given"),
                    ("REVERSE_TRANSFERRED_TO_AGENCY", "Transferred back to the agency"),
                    ("ADMIN_HANDLING_AFTER_NON_FILING", "Administrative handling after non-filing"),
                    (
                        "ADMIN_HANDLING_AFTER_REVERSE_TRANSFER",
                        "Administrative handling after reverse transfer",
                    ),
                    ("NON_TRANSFER_UNDER_REVIEW", "Non-transfer under procuratorial review"),
                    (
                        "TRANSFER_DEMAND_PROPOSED",
                        "Procuratorial opinion proposed, awaiting the chief procurator",
                    ),
                    ("TRANSFER_DEMANDED", "Transfer demanded by the procuratorate"),
                    ("ESCALATED", "Non-transfer escalated"),
                    ("DETENTION_PENDING_APPROVAL", "Detention transfer awaiting approval"),
                    ("DETENTION_TRANSFERRED", "Transferred for administrative detention"),
                    ("DETENTION_IMPOSED", "Administrative detention imposed"),
                    ("DETENTION_DECLINED", "Administrative detention declined"),
                    ("CLOSED", "Closed"),
                ],
                default="ADMIN_CASE_UNDER_INVESTIGATION",
                max_length=64,
                protected=True,
                verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="followup",
            name="overdue_notified_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="overdue notified at"
            ),
        ),
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(
                choices=[
                    ("case_arrived", "A case awaits your step"),
                    ("decision", "Decision on a case"),
                    ("document_served", "Document sent to your agency"),
                    ("coordination", "Meeting, consultation, intervention or clue"),
                    ("clock_due_soon", "Deadline approaching"),
                    ("clock_overdue", "Deadline passed"),
                ],
                max_length=32,
                verbose_name="kind",
            ),
        ),
        migrations.CreateModel(
            name="ClueRead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("read_at", models.DateTimeField(verbose_name="read at")),
                (
                    "request_id",
                    models.CharField(blank=True, max_length=64, verbose_name="request id"),
                ),
                (
                    "attachment",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reads",
                        to="referral.clueattachment",
                        verbose_name="file",
                    ),
                ),
                (
                    "clue",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reads",
                        to="referral.clue",
                        verbose_name="clue",
                    ),
                ),
                (
                    "reader",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="reader",
                    ),
                ),
                (
                    "reader_agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="referral.agency",
                        verbose_name="reader's agency",
                    ),
                ),
            ],
            options={
                "verbose_name": "clue read",
                "verbose_name_plural": "clue reads",
                "ordering": ["read_at", "pk"],
                "indexes": [
                    models.Index(
                        fields=["clue", "reader_agency", "read_at"],
                        name="referral_cl_clue_id_2e846d_idx",
                    )
                ],
            },
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="clueread",
            trigger=pgtrigger.compiler.Trigger(
                name="clue_read_no_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot update rows from % table', TG_TABLE_NAME;",
                    hash="d7a53dace31040ad170e5ea267ca24d8192a9468",
                    operation="UPDATE",
                    pgid="pgtrigger_clue_read_no_update_79731",
                    table="referral_clueread",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="clueread",
            trigger=pgtrigger.compiler.Trigger(
                name="clue_read_no_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot delete rows from % table', TG_TABLE_NAME;",
                    hash="f6dc3d1d87fdf42931c39d4183e1e5f54edd092d",
                    operation="DELETE",
                    pgid="pgtrigger_clue_read_no_delete_6a23e",
                    table="referral_clueread",
                    when="BEFORE",
                ),
            ),
        ),
        migrations.RunPython(
            code=coordination_by_email,
            reverse_code=migrations.RunPython.noop,
        ),
    ]
