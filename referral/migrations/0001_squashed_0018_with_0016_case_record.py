"""Squashed referral migrations 0001 to 0018, and 0016_case_record: the schema, then the data.

Django uses it only on a database where none of the migrations it replaces has run, so every
table it creates starts empty. The old files stay for databases partway through them.

Why two squashes: workflows 0003 (which depends on 0005) copies its Notice rows into
referral.Notice, and 0016_notifications then turns them into notifications, so a squash holding
both 0005 and 0016_notifications would have to run both before and after workflows 0003. This
squash holds what needs nothing from workflows. 0016_case_record depends only on 0015; in the old
graph it ran in parallel with 0016_notifications, so running it before that migration is an order
the old graph also allowed.

- Schema first, then the data steps and triggers, each group in its old order. The models the
  data steps use (Group, AuditChainHead, CalendarDay, CalendarYear) do not change in these
  migrations, so the steps write the same rows.
- The pgtrigger triggers come after the schema. Nothing here changes the four tables they guard:
  audit chain head and events, attachment reads and case-file reads.
- Each index and constraint goes into the CreateModel of its table. None is removed or renamed
  later.
- Two data steps are left out because on empty tables they do nothing.
  0006_audit_chain_keyed re-hashes existing audit events; with none, it only set the head's
  hash to GENESIS_HASH, which 0002 had already set.
  0016_case_record codes the free-text charges of existing referrals, and there are none.
"""

from datetime import date

import django.contrib.auth.validators
import django.core.validators
import django.db.models.deletion
import django.db.models.manager
import django.utils.timezone
import django_fsm
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models

import referral.documents.numbering
import referral.models.agencies
import referral.models.documents
import referral.models.referral
import referral.models.service

# From 0002_roles_and_audit_genesis.
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


def seed_roles_and_audit_genesis(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role in ROLES:
        Group.objects.get_or_create(name=role)
    AuditChainHead = apps.get_model("referral", "AuditChainHead")
    AuditChainHead.objects.get_or_create(id=1, defaults={"last_seq": 0, "last_hash": GENESIS_HASH})


# From 0003_seed_calendar: the published holiday arrangements for 2020-2026 (later years and
# corrections come from `manage.py sync_calendar`).
CALENDAR_YEARS = range(2020, 2027)
CALENDAR_SOURCE = "chinese_calendar"
HOLIDAY_NAMES = {
    "new_years_day": "元旦",
    "spring_festival": "春节",
    "tomb_sweeping_day": "清明节",
    "labour_day": "劳动节",
    "dragon_boat_festival": "端午节",
    "mid_autumn_festival": "中秋节",
    "national_day": "国庆节",
}


def _calendar_rows(chinese_calendar, year):
    def name(label):
        holiday = chinese_calendar.Holiday(label)
        return HOLIDAY_NAMES.get(holiday.name, holiday.chinese)

    for day, label in chinese_calendar.holidays.items():
        if day.year == year:
            yield day, "holiday", name(label)
    for day, label in chinese_calendar.workdays.items():
        if day.year == year and day.weekday() >= 5:
            yield day, "workday", name(label)


def seed_calendar(apps, schema_editor):
    import chinese_calendar

    CalendarDay = apps.get_model("referral", "CalendarDay")
    CalendarYear = apps.get_model("referral", "CalendarYear")
    source = f"chinese-calendar {chinese_calendar.__version__}"
    for year in CALENDAR_YEARS:
        in_year = CalendarDay.objects.filter(
            date__gte=date(year, 1, 1), date__lte=date(year, 12, 31)
        )
        taken = set(in_year.values_list("date", flat=True))
        CalendarDay.objects.bulk_create(
            CalendarDay(date=day, kind=kind, name=name, source=CALENDAR_SOURCE)
            for day, kind, name in _calendar_rows(chinese_calendar, year)
            if day not in taken
        )
        CalendarYear.objects.update_or_create(
            year=year, defaults={"confirmed": True, "source": source}
        )


def unseed_calendar(apps, schema_editor):
    CalendarDay = apps.get_model("referral", "CalendarDay")
    CalendarYear = apps.get_model("referral", "CalendarYear")
    CalendarDay.objects.filter(source=CALENDAR_SOURCE, date__year__in=list(CALENDAR_YEARS)).delete()
    CalendarYear.objects.filter(
        year__in=list(CALENDAR_YEARS), source__startswith="chinese-calendar"
    ).delete()


# From 0014_officials_and_proposals: one group per role for the officials who decide.
OFFICIAL_ROLES = ["police_head", "chief_procurator"]


def add_official_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role in OFFICIAL_ROLES:
        Group.objects.get_or_create(name=role)


def remove_official_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=OFFICIAL_ROLES).delete()


class Migration(migrations.Migration):
    replaces = [
        ("referral", "0001_initial"),
        ("referral", "0002_roles_and_audit_genesis"),
        ("referral", "0003_seed_calendar"),
        ("referral", "0004_documents"),
        ("referral", "0005_notice"),
        ("referral", "0006_audit_chain_keyed"),
        ("referral", "0007_audit_append_only_triggers"),
        ("referral", "0008_document_render_after_commit"),
        ("referral", "0009_accounts_security"),
        ("referral", "0010_attachment_reads"),
        ("referral", "0011_case_file_reads"),
        ("referral", "0012_meetings"),
        ("referral", "0013_service_records"),
        ("referral", "0014_clock_provisional"),
        ("referral", "0012_statutory_document_fields"),
        ("referral", "0013_merge_0012_meetings_0012_statutory_document_fields"),
        ("referral", "0015_merge_20261202_1641"),
        ("referral", "0014_officials_and_proposals"),
        ("referral", "0016_merge_20261202_1840"),
        ("referral", "0017_officials_follow_up"),
        ("referral", "0016_coordination"),
        ("referral", "0018_merge_0016_coordination_0017_officials_follow_up"),
        ("referral", "0016_case_record"),
    ]

    initial = True

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False),
                ),
                ("last_seq", models.PositiveBigIntegerField(default=0)),
                ("last_hash", models.CharField(max_length=64)),
            ],
            options={
                "verbose_name": "audit chain head",
            },
        ),
        migrations.CreateModel(
            name="CalendarDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("date", models.DateField(unique=True, verbose_name="date")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("holiday", "Public holiday (rest day)"),
                            ("workday", "Make-up working day"),
                        ],
                        max_length=16,
                        verbose_name="kind",
                    ),
                ),
                ("name", models.CharField(blank=True, max_length=100, verbose_name="name")),
                (
                    "source",
                    models.CharField(default="manual", max_length=50, verbose_name="source"),
                ),
            ],
            options={
                "verbose_name": "calendar day",
                "verbose_name_plural": "calendar days",
                "ordering": ["date"],
            },
        ),
        migrations.CreateModel(
            name="CalendarYear",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(unique=True, verbose_name="year")),
                ("confirmed", models.BooleanField(default=False, verbose_name="confirmed")),
                ("source", models.CharField(blank=True, max_length=100, verbose_name="source")),
            ],
            options={
                "verbose_name": "calendar year",
                "verbose_name_plural": "calendar years",
                "ordering": ["year"],
            },
        ),
        migrations.CreateModel(
            name="RuleSet",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.SlugField(unique=True, verbose_name="code")),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                (
                    "region_prefix",
                    models.CharField(
                        max_length=6,
                        unique=True,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^\\d{2,6}$", "Two to six digits of a region code."
                            )
                        ],
                        verbose_name="region code prefix",
                    ),
                ),
                ("source", models.CharField(max_length=300, verbose_name="legal source")),
                (
                    "restarts_decision_after_supplement",
                    models.BooleanField(
                        default=False,
                        verbose_name="restarts the police decision period after a supplement",
                    ),
                ),
            ],
            options={
                "verbose_name": "jurisdiction rule set",
                "verbose_name_plural": "jurisdiction rule sets",
                "ordering": ["region_prefix"],
            },
        ),
        migrations.CreateModel(
            name="Agency",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.SlugField(unique=True, verbose_name="code")),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                (
                    "short_name",
                    models.CharField(
                        help_text="Used in document numbers, e.g. 绵市监.",
                        max_length=20,
                        verbose_name="short name",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("market_supervision", "Market supervision bureau"),
                            ("police", "Public security organ"),
                            ("procuratorate", "People's procuratorate"),
                            ("other_admin", "Other administrative agency"),
                        ],
                        max_length=32,
                        verbose_name="kind",
                    ),
                ),
                (
                    "level",
                    models.CharField(
                        choices=[
                            ("province", "Province"),
                            ("city", "City"),
                            ("county", "County / district"),
                            ("station", "Station below county level"),
                        ],
                        max_length=16,
                        verbose_name="level",
                    ),
                ),
                (
                    "region_code",
                    models.CharField(
                        max_length=6,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^\\d{6}$",
                                "A region code is the six-digit administrative division code.",
                            )
                        ],
                        verbose_name="region code",
                    ),
                ),
                (
                    "default_receiver",
                    models.BooleanField(
                        default=True,
                        help_text="Receives referrals routed to its kind, level and region by default.",
                        verbose_name="default receiver",
                    ),
                ),
                (
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="children",
                        to="referral.agency",
                        verbose_name="parent agency",
                    ),
                ),
                (
                    "document_number_pattern",
                    models.CharField(
                        default="{short}{code}〔{year}〕{serial}号",
                        help_text="How the agency numbers its documents: {short} its short name, {unit} its unit code, {code} the document type, {year} and {serial}, e.g. {short}{code}〔{year}〕{serial}号.",
                        max_length=100,
                        validators=[referral.documents.numbering.validate_number_pattern],
                        verbose_name="document number pattern",
                    ),
                ),
                (
                    "issuing_name",
                    models.CharField(
                        blank=True,
                        help_text="For an internal unit, the organ whose name and seal its documents bear, e.g. 绵阳市公安局涪城区分局. Empty: the agency's own name.",
                        max_length=200,
                        verbose_name="name documents are issued in",
                    ),
                ),
                (
                    "unit_code",
                    models.CharField(
                        blank=True,
                        help_text="The {unit} of the number pattern, e.g. （食药）.",
                        max_length=20,
                        verbose_name="unit code in document numbers",
                    ),
                ),
                (
                    "paired_station",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="referral.agency",
                        verbose_name="paired police station",
                    ),
                ),
            ],
            options={
                "verbose_name": "agency",
                "verbose_name_plural": "agencies",
                "ordering": ["region_code", "kind", "code"],
            },
        ),
        migrations.CreateModel(
            name="User",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("password", models.CharField(max_length=128, verbose_name="password")),
                (
                    "last_login",
                    models.DateTimeField(blank=True, null=True, verbose_name="last login"),
                ),
                (
                    "is_superuser",
                    models.BooleanField(
                        default=False,
                        help_text="Designates that this user has all permissions without explicitly assigning them.",
                        verbose_name="superuser status",
                    ),
                ),
                (
                    "username",
                    models.CharField(
                        error_messages={"unique": "A user with that username already exists."},
                        help_text="Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.",
                        max_length=150,
                        unique=True,
                        validators=[django.contrib.auth.validators.UnicodeUsernameValidator()],
                        verbose_name="username",
                    ),
                ),
                (
                    "first_name",
                    models.CharField(blank=True, max_length=150, verbose_name="first name"),
                ),
                (
                    "last_name",
                    models.CharField(blank=True, max_length=150, verbose_name="last name"),
                ),
                (
                    "email",
                    models.EmailField(blank=True, max_length=254, verbose_name="email address"),
                ),
                (
                    "is_staff",
                    models.BooleanField(
                        default=False,
                        help_text="Designates whether the user can log into this admin site.",
                        verbose_name="staff status",
                    ),
                ),
                (
                    "is_active",
                    models.BooleanField(
                        default=True,
                        help_text="Designates whether this user should be treated as active. Unselect this instead of deleting accounts.",
                        verbose_name="active",
                    ),
                ),
                (
                    "date_joined",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="date joined"
                    ),
                ),
                (
                    "full_name",
                    models.CharField(blank=True, max_length=100, verbose_name="full name"),
                ),
                (
                    "groups",
                    models.ManyToManyField(
                        blank=True,
                        help_text="The groups this user belongs to. A user will get all permissions granted to each of their groups.",
                        related_name="user_set",
                        related_query_name="user",
                        to="auth.group",
                        verbose_name="groups",
                    ),
                ),
                (
                    "user_permissions",
                    models.ManyToManyField(
                        blank=True,
                        help_text="Specific permissions for this user.",
                        related_name="user_set",
                        related_query_name="user",
                        to="auth.permission",
                        verbose_name="user permissions",
                    ),
                ),
                (
                    "agency",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="members",
                        to="referral.agency",
                        verbose_name="agency",
                    ),
                ),
                (
                    "must_change_password",
                    models.BooleanField(default=False, verbose_name="must change password"),
                ),
                (
                    "is_principal_head",
                    models.BooleanField(
                        default=False,
                        help_text="The agency's principal head, or the head presiding over its work.",
                        verbose_name="principal head (正职 / 主持工作)",
                    ),
                ),
            ],
            options={
                "verbose_name": "user",
                "verbose_name_plural": "users",
            },
            managers=[
                ("objects", referral.models.agencies.XianjieUserManager()),
            ],
        ),
        migrations.CreateModel(
            name="Referral",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    django_fsm.FSMField(
                        choices=[
                            (
                                "ADMIN_CASE_UNDER_INVESTIGATION",
                                "Administrative case under investigation",
                            ),
                            ("SUSPECTED_CRIME_FOUND", "Suspected crime found"),
                            (
                                "TRANSFER_REPORT_PENDING_APPROVAL",
                                "Transfer report awaiting approval",
                            ),
                            ("TRANSFER_REFUSED_RECORDED", "Transfer refused, reasons recorded"),
                            ("TRANSFER_APPROVED", "Transfer approved"),
                            ("TRANSFERRED_AWAITING_RECEIPT", "Transferred, awaiting receipt"),
                            ("RECEIVED_BY_POLICE", "Received by police"),
                            ("MATERIALS_SUPPLEMENT_REQUESTED", "Supplementary materials requested"),
                            (
                                "FORWARDED_TO_COMPETENT_AUTHORITY",
                                "Forwarded to the competent police organ",
                            ),
                            ("RETURNED_NOT_POLICE_MATTER", "Returned: not a police matter"),
                            ("UNDER_POLICE_REVIEW", "Under police review"),
                            ("FILING_PROPOSED", "Filing proposed, awaiting the police head"),
                            (
                                "NON_FILING_PROPOSED",
                                "Non-filing proposed, awaiting the police head",
                            ),
                            ("FILED", "Filed as a criminal case"),
                            ("ITEMS_HANDED_OVER", "Seized items handed over"),
                            ("NOT_FILED", "Not filed"),
                            ("RECONSIDERATION_PENDING", "Reconsideration pending"),
                            (
                                "RECONSIDERATION_UPHELD_NOT_FILED",
                                "Non-filing upheld on reconsideration",
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
                                "SUPERVISION_CLOSED_NO_FILING",
                                "Supervision closed, non-filing stands",
                            ),
                            (
                                "OVERDUE_DECISION_UNDER_REVIEW",
                                "Overdue police decision under review",
                            ),
                            (
                                "OVERDUE_DECISION_CORRECTED",
                                "Correction opinion on the overdue decision issued",
                            ),
                            ("CASE_WITHDRAWN", "Criminal case withdrawn"),
                            ("PROSECUTION_STAGE_ARREST", "Arrest requested"),
                            ("PROSECUTION_STAGE_REVIEW", "Referred for prosecution review"),
                            ("PROSECUTION_STAGE_PROSECUTED", "Public prosecution initiated"),
                            ("NON_PROSECUTED", "Not prosecuted"),
                            ("JUDGED", "Judgment given"),
                            ("REVERSE_TRANSFERRED_TO_AGENCY", "Transferred back to the agency"),
                            (
                                "ADMIN_HANDLING_AFTER_NON_FILING",
                                "Administrative handling after non-filing",
                            ),
                            (
                                "ADMIN_HANDLING_AFTER_REVERSE_TRANSFER",
                                "Administrative handling after reverse transfer",
                            ),
                            (
                                "NON_TRANSFER_UNDER_REVIEW",
                                "Non-transfer under procuratorial review",
                            ),
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
                (
                    "reference",
                    models.CharField(
                        blank=True, max_length=40, unique=True, verbose_name="reference"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("criminal_transfer", "Transfer of a suspected crime"),
                            ("admin_detention", "Transfer for administrative detention"),
                        ],
                        default="criminal_transfer",
                        max_length=32,
                        verbose_name="referral type",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="case title")),
                (
                    "suspected_charge",
                    models.CharField(blank=True, max_length=200, verbose_name="suspected charge"),
                ),
                ("facts", models.TextField(blank=True, verbose_name="facts")),
                (
                    "amount_involved",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=14,
                        null=True,
                        verbose_name="amount involved (yuan)",
                    ),
                ),
                (
                    "is_ip_case",
                    models.BooleanField(default=False, verbose_name="intellectual-property case"),
                ),
                ("transferred_at", models.DateTimeField(null=True, verbose_name="transferred at")),
                (
                    "procuratorate_copied_at",
                    models.DateTimeField(null=True, verbose_name="copied to procuratorate at"),
                ),
                (
                    "procuratorate_demanded",
                    models.BooleanField(
                        default=False, verbose_name="transfer demanded by procuratorate"
                    ),
                ),
                ("filed_at", models.DateTimeField(null=True, verbose_name="filed at")),
                (
                    "supervised_filing",
                    models.BooleanField(default=False, verbose_name="filed under supervision"),
                ),
                (
                    "items_handed_over_at",
                    models.DateTimeField(null=True, verbose_name="items handed over at"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="referrals",
                        to="referral.agency",
                        verbose_name="transferring agency",
                    ),
                ),
                (
                    "case_officer",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="case officer",
                    ),
                ),
                (
                    "case_team",
                    models.ManyToManyField(
                        blank=True,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="special case group",
                    ),
                ),
                (
                    "police_agency",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="received_referrals",
                        to="referral.agency",
                        verbose_name="receiving police organ",
                    ),
                ),
                (
                    "procuratorate",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="supervised_referrals",
                        to="referral.agency",
                        verbose_name="supervising procuratorate",
                    ),
                ),
                ("case_source", models.TextField(blank=True, verbose_name="case source")),
                (
                    "coercive_measures",
                    models.TextField(blank=True, verbose_name="coercive measures taken"),
                ),
                (
                    "contact_phone",
                    models.CharField(blank=True, max_length=32, verbose_name="contact phone"),
                ),
                ("evidence_list", models.TextField(blank=True, verbose_name="evidence list")),
                (
                    "goods_value",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=14,
                        null=True,
                        verbose_name="value of the goods (yuan)",
                    ),
                ),
                (
                    "investigation_process",
                    models.TextField(blank=True, verbose_name="investigation process"),
                ),
                (
                    "prosecution_standard",
                    models.TextField(
                        blank=True,
                        help_text="The specific provision of the prosecution standard, e.g. 2021 解释第一条.",
                        verbose_name="prosecution standard met",
                    ),
                ),
                (
                    "sales_amount",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=14,
                        null=True,
                        verbose_name="production / sales amount (yuan)",
                    ),
                ),
                (
                    "proposed_from",
                    models.CharField(
                        blank=True, editable=False, max_length=40, verbose_name="proposed from"
                    ),
                ),
                (
                    "opinion_handling_reported_at",
                    models.DateTimeField(
                        null=True, verbose_name="handling of the opinion reported at"
                    ),
                ),
                (
                    "opinion_sent_at",
                    models.DateTimeField(null=True, verbose_name="procuratorial opinion sent at"),
                ),
                (
                    "review_opened_from",
                    models.CharField(
                        blank=True, editable=False, max_length=40, verbose_name="review opened from"
                    ),
                ),
                (
                    "charge",
                    models.CharField(
                        blank=True,
                        choices=[
                            (
                                "substandard_food",
                                "生产、销售不符合安全标准的食品罪（《刑法》第一百四十三条）",
                            ),
                            ("toxic_food", "生产、销售有毒、有害食品罪（《刑法》第一百四十四条）"),
                            (
                                "fake_or_shoddy_products",
                                "生产、销售伪劣产品罪（《刑法》第一百四十条）",
                            ),
                            ("fake_drugs", "生产、销售、提供假药罪（《刑法》第一百四十一条）"),
                            (
                                "substandard_drugs",
                                "生产、销售、提供劣药罪（《刑法》第一百四十二条）",
                            ),
                            (
                                "obstructing_drug_administration",
                                "妨害药品管理罪（《刑法》第一百四十二条之一）",
                            ),
                            ("illegal_business", "非法经营罪（《刑法》第二百二十五条）"),
                            ("false_advertising", "虚假广告罪（《刑法》第二百二十二条）"),
                            (
                                "quarantine_obstruction",
                                "妨害动植物防疫、检疫罪（《刑法》第三百三十七条）",
                            ),
                        ],
                        max_length=40,
                        verbose_name="charge (controlled list)",
                    ),
                ),
                (
                    "discovered_on",
                    models.DateField(blank=True, null=True, verbose_name="discovered on"),
                ),
                (
                    "offence_place",
                    models.CharField(
                        blank=True, max_length=300, verbose_name="place of the offence"
                    ),
                ),
            ],
            options={
                "verbose_name": "referral",
                "verbose_name_plural": "referrals",
                "ordering": ["-created_at"],
                "indexes": [models.Index(fields=["status"], name="referral_re_status_88807c_idx")],
            },
            bases=(django_fsm.ConcurrentTransitionMixin, models.Model),
        ),
        migrations.CreateModel(
            name="Party",
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
                        choices=[("person", "Natural person"), ("unit", "Unit")],
                        max_length=16,
                        verbose_name="kind",
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                (
                    "id_number",
                    models.CharField(
                        blank=True,
                        max_length=32,
                        verbose_name="ID number / unified social credit code",
                    ),
                ),
                (
                    "legal_representative",
                    models.CharField(
                        blank=True, max_length=100, verbose_name="legal representative"
                    ),
                ),
                ("phone", models.CharField(blank=True, max_length=32, verbose_name="phone")),
                ("address", models.CharField(blank=True, max_length=300, verbose_name="address")),
                (
                    "referral",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="parties",
                        to="referral.referral",
                    ),
                ),
            ],
            options={
                "verbose_name": "party",
                "verbose_name_plural": "parties",
                "ordering": ["pk"],
            },
        ),
        migrations.CreateModel(
            name="Clock",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("rule", models.CharField(max_length=50, verbose_name="clock")),
                ("amount", models.PositiveIntegerField(verbose_name="amount")),
                (
                    "unit",
                    models.CharField(
                        choices=[
                            ("hours", "hours"),
                            ("calendar_days", "calendar days"),
                            ("working_days", "working days"),
                        ],
                        max_length=20,
                        verbose_name="unit",
                    ),
                ),
                ("article", models.CharField(max_length=300, verbose_name="legal basis")),
                (
                    "ruleset",
                    models.CharField(default="national", max_length=50, verbose_name="rule set"),
                ),
                (
                    "owner_role",
                    models.CharField(
                        choices=[
                            ("case_officer", "Case officer"),
                            ("agency_head", "Agency head"),
                            ("police_intake", "Police intake officer"),
                            ("police_reviewer", "Police case reviewer"),
                            ("police_head", "Head of the public security organ"),
                            ("procurator", "Procurator"),
                            ("chief_procurator", "Chief procurator"),
                            ("system_admin", "System administrator"),
                            ("security_admin", "Security administrator"),
                            ("audit_admin", "Audit administrator"),
                        ],
                        max_length=32,
                        verbose_name="owner role",
                    ),
                ),
                ("started_at", models.DateTimeField(verbose_name="started at")),
                ("due_at", models.DateTimeField(verbose_name="due at")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("running", "Running"),
                            ("overdue", "Overdue"),
                            ("met", "Met in time"),
                            ("met_late", "Met late"),
                            ("cancelled", "Cancelled"),
                        ],
                        default="running",
                        max_length=16,
                        verbose_name="state",
                    ),
                ),
                ("started_by", models.CharField(max_length=64, verbose_name="started by")),
                (
                    "stopped_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="stopped at"),
                ),
                (
                    "stopped_by",
                    models.CharField(blank=True, max_length=64, verbose_name="stopped by"),
                ),
                (
                    "owner_agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="clocks",
                        to="referral.agency",
                    ),
                ),
                (
                    "referral",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="clocks",
                        to="referral.referral",
                    ),
                ),
                ("provisional", models.BooleanField(default=False, verbose_name="provisional")),
            ],
            options={
                "verbose_name": "statutory clock",
                "verbose_name_plural": "statutory clocks",
                "ordering": ["due_at"],
                "indexes": [
                    models.Index(fields=["state", "due_at"], name="referral_cl_state_3b6a56_idx"),
                    models.Index(
                        fields=["owner_agency", "state", "due_at"],
                        name="referral_cl_owner_a_16f211_idx",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="AuditEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("seq", models.PositiveBigIntegerField(unique=True, verbose_name="sequence")),
                ("action", models.CharField(max_length=64, verbose_name="action")),
                (
                    "from_status",
                    models.CharField(blank=True, max_length=64, verbose_name="from status"),
                ),
                (
                    "to_status",
                    models.CharField(blank=True, max_length=64, verbose_name="to status"),
                ),
                ("reason", models.TextField(blank=True, verbose_name="reason")),
                ("payload", models.JSONField(blank=True, default=dict, verbose_name="payload")),
                (
                    "request_id",
                    models.CharField(blank=True, max_length=64, verbose_name="request id"),
                ),
                ("created_at", models.DateTimeField(verbose_name="time")),
                ("prev_hash", models.CharField(max_length=64, verbose_name="previous hash")),
                ("hash", models.CharField(max_length=64, unique=True, verbose_name="hash")),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="actor",
                    ),
                ),
                (
                    "actor_agency",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="referral.agency",
                        verbose_name="actor's agency",
                    ),
                ),
                (
                    "referral",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="referral.referral",
                        verbose_name="referral",
                    ),
                ),
            ],
            options={
                "verbose_name": "audit event",
                "verbose_name_plural": "audit events",
                "ordering": ["seq"],
                "indexes": [
                    models.Index(fields=["referral", "seq"], name="referral_au_referra_e91ab9_idx")
                ],
            },
        ),
        migrations.CreateModel(
            name="Attachment",
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
                            ("transfer_letter", "Transfer letter"),
                            ("investigation_report", "Investigation report"),
                            ("item_list", "Seized-item list"),
                            ("test_report", "Test report or appraisal opinion"),
                            ("other_materials", "Other materials on the suspected crime"),
                            ("transfer_report", "Written transfer report"),
                            ("supplement", "Supplementary material"),
                            ("evidence", "Further evidence"),
                        ],
                        max_length=32,
                        verbose_name="kind",
                    ),
                ),
                (
                    "file",
                    models.FileField(
                        upload_to=referral.models.referral.attachment_path, verbose_name="file"
                    ),
                ),
                ("original_name", models.CharField(max_length=255, verbose_name="file name")),
                ("content_type", models.CharField(max_length=100, verbose_name="content type")),
                ("size", models.PositiveBigIntegerField(verbose_name="size")),
                ("sha256", models.CharField(max_length=64, verbose_name="SHA-256")),
                ("uploaded_at", models.DateTimeField(verbose_name="uploaded at")),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "referral",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="attachments",
                        to="referral.referral",
                    ),
                ),
                (
                    "removed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="removed at"),
                ),
                (
                    "removed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "attachment",
                "verbose_name_plural": "attachments",
                "ordering": ["uploaded_at", "pk"],
                "base_manager_name": "all_objects",
            },
            managers=[
                ("objects", django.db.models.manager.Manager()),
                ("all_objects", django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name="AdministrativePenalty",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "decision_number",
                    models.CharField(max_length=100, verbose_name="decision number"),
                ),
                ("decided_on", models.DateField(verbose_name="decided on")),
                ("measures", models.TextField(verbose_name="measures")),
                (
                    "fine_amount",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=14,
                        null=True,
                        verbose_name="fine (yuan)",
                    ),
                ),
                (
                    "licence_revoked",
                    models.BooleanField(default=False, verbose_name="licence revoked"),
                ),
                ("recorded_at", models.DateTimeField(verbose_name="recorded at")),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "referral",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="penalties",
                        to="referral.referral",
                    ),
                ),
            ],
            options={
                "verbose_name": "administrative penalty",
                "verbose_name_plural": "administrative penalties",
                "ordering": ["decided_on", "pk"],
            },
        ),
        migrations.CreateModel(
            name="DocumentCounter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("doc_type", models.CharField(max_length=40, verbose_name="document type")),
                ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                ("last_serial", models.PositiveIntegerField(default=0, verbose_name="last serial")),
                (
                    "agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="referral.agency",
                    ),
                ),
            ],
            options={
                "verbose_name": "document counter",
                "verbose_name_plural": "document counters",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("agency", "doc_type", "year"), name="document_counter_unique"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="SeizedItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("serial", models.PositiveIntegerField(verbose_name="serial")),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                (
                    "specification",
                    models.CharField(
                        blank=True, max_length=200, verbose_name="specification / batch"
                    ),
                ),
                (
                    "quantity",
                    models.DecimalField(decimal_places=3, max_digits=14, verbose_name="quantity"),
                ),
                ("unit", models.CharField(max_length=20, verbose_name="unit")),
                (
                    "condition",
                    models.CharField(
                        blank=True, max_length=300, verbose_name="features / condition"
                    ),
                ),
                (
                    "origin",
                    models.CharField(
                        blank=True, max_length=300, verbose_name="seized where / from whom"
                    ),
                ),
                (
                    "storage_location",
                    models.CharField(blank=True, max_length=200, verbose_name="storage location"),
                ),
                (
                    "custodian",
                    models.CharField(blank=True, max_length=100, verbose_name="custodian"),
                ),
                (
                    "seizure_document_number",
                    models.CharField(
                        blank=True, max_length=100, verbose_name="seizure document number"
                    ),
                ),
                ("seized_on", models.DateField(blank=True, null=True, verbose_name="seized on")),
                (
                    "sample_id",
                    models.CharField(
                        blank=True, max_length=100, verbose_name="test status / sample ID"
                    ),
                ),
                ("note", models.TextField(blank=True, verbose_name="note")),
                (
                    "referral",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="seized_items",
                        to="referral.referral",
                    ),
                ),
            ],
            options={
                "verbose_name": "seized item",
                "verbose_name_plural": "seized items",
                "ordering": ["referral", "serial"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("referral", "serial"), name="seized_item_serial"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="LoginLockout",
            fields=[],
            options={
                "verbose_name": "login lockout",
                "verbose_name_plural": "login lockouts",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("axes.accessattempt",),
        ),
        migrations.CreateModel(
            name="PasswordHistory",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("password", models.CharField(max_length=128, verbose_name="password hash")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="time")),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="password_history",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "earlier password",
                "verbose_name_plural": "earlier passwords",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="AttachmentRead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("read_at", models.DateTimeField(verbose_name="read at")),
                ("downloaded", models.BooleanField(default=False, verbose_name="downloaded")),
                (
                    "request_id",
                    models.CharField(blank=True, max_length=64, verbose_name="request id"),
                ),
                (
                    "attachment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reads",
                        to="referral.attachment",
                        verbose_name="attachment",
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
                "verbose_name": "attachment read",
                "verbose_name_plural": "attachment reads",
                "ordering": ["read_at", "pk"],
                "indexes": [
                    models.Index(
                        fields=["attachment", "reader_agency", "read_at"],
                        name="referral_at_attachm_3031d9_idx",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="CaseFileRead",
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
                (
                    "referral",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="file_reads",
                        to="referral.referral",
                        verbose_name="referral",
                    ),
                ),
            ],
            options={
                "verbose_name": "case file read",
                "verbose_name_plural": "case file reads",
                "ordering": ["read_at", "pk"],
                "indexes": [
                    models.Index(
                        fields=["referral", "reader_agency", "read_at"],
                        name="referral_ca_referra_278cb5_idx",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Meeting",
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
                            ("regular", "Regular joint meeting"),
                            ("special", "Special joint meeting"),
                        ],
                        max_length=16,
                        verbose_name="kind",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("held_at", models.DateTimeField(verbose_name="date and time")),
                ("place", models.CharField(max_length=200, verbose_name="place")),
                ("chair", models.CharField(max_length=100, verbose_name="chair")),
                ("period_start", models.DateField(verbose_name="reporting period from")),
                ("period_end", models.DateField(verbose_name="reporting period to")),
                (
                    "minutes_status",
                    models.CharField(
                        choices=[
                            ("draft", "Minutes being drafted"),
                            ("circulated", "Minutes circulated for confirmation"),
                            ("issued", "Minutes issued"),
                        ],
                        default="draft",
                        max_length=16,
                        verbose_name="Minutes",
                    ),
                ),
                ("convened_at", models.DateTimeField(verbose_name="convened at")),
                (
                    "circulated_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="circulated at"),
                ),
                (
                    "confirm_due_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="confirm by"),
                ),
                (
                    "issued_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="issued at"),
                ),
                (
                    "convened_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="convened by",
                    ),
                ),
                (
                    "convening_agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="convened_meetings",
                        to="referral.agency",
                        verbose_name="convening agency",
                    ),
                ),
            ],
            options={
                "verbose_name": "joint meeting",
                "verbose_name_plural": "joint meetings",
                "ordering": ["-held_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("period_start__lte", models.F("period_end"))),
                        name="meeting_period_ordered",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="FollowUp",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveIntegerField(verbose_name="position")),
                ("action", models.TextField(verbose_name="action")),
                (
                    "owner_person",
                    models.CharField(max_length=100, verbose_name="responsible person"),
                ),
                ("due_at", models.DateTimeField(verbose_name="due")),
                ("done_at", models.DateTimeField(blank=True, null=True, verbose_name="done at")),
                ("done_note", models.TextField(blank=True, verbose_name="how it was done")),
                (
                    "owner_agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="meeting_follow_ups",
                        to="referral.agency",
                        verbose_name="owner agency",
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="follow_ups",
                        to="referral.meeting",
                    ),
                ),
            ],
            options={
                "verbose_name": "follow-up item",
                "verbose_name_plural": "follow-up items",
                "ordering": ["meeting", "position"],
                "indexes": [
                    models.Index(
                        fields=["owner_agency", "done_at", "due_at"],
                        name="referral_fo_owner_a_338a56_idx",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("meeting", "position"), name="follow_up_position"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Decision",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveIntegerField(verbose_name="position")),
                ("text", models.TextField(verbose_name="decision")),
                ("basis", models.TextField(blank=True, verbose_name="basis")),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="decisions",
                        to="referral.meeting",
                    ),
                ),
            ],
            options={
                "verbose_name": "decision",
                "verbose_name_plural": "decisions",
                "ordering": ["meeting", "position"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("meeting", "position"), name="decision_position"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="AgendaItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveIntegerField(verbose_name="position")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("follow_up", "Open follow-up item"),
                            ("referral", "Referral"),
                            ("penalty_case", "Administrative penalty case"),
                            ("topic", "Topic"),
                        ],
                        max_length=16,
                        verbose_name="kind",
                    ),
                ),
                ("text", models.TextField(verbose_name="subject")),
                (
                    "referral",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="referral.referral",
                        verbose_name="referral",
                    ),
                ),
                (
                    "follow_up",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="referral.followup",
                        verbose_name="follow-up item",
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="agenda",
                        to="referral.meeting",
                    ),
                ),
            ],
            options={
                "verbose_name": "agenda item",
                "verbose_name_plural": "agenda items",
                "ordering": ["meeting", "position"],
                "constraints": [
                    models.UniqueConstraint(fields=("meeting", "position"), name="agenda_position")
                ],
            },
        ),
        migrations.CreateModel(
            name="Document",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("doc_type", models.CharField(max_length=40, verbose_name="document type")),
                ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                ("serial", models.PositiveIntegerField(verbose_name="serial")),
                ("number", models.CharField(max_length=120, verbose_name="number")),
                ("version", models.PositiveSmallIntegerField(default=1, verbose_name="version")),
                ("reason", models.TextField(blank=True, verbose_name="reason for the correction")),
                ("issued_at", models.DateTimeField(verbose_name="issued at")),
                (
                    "superseded_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="superseded at"),
                ),
                (
                    "verification_code",
                    models.CharField(max_length=16, unique=True, verbose_name="verification code"),
                ),
                (
                    "pdf",
                    models.FileField(
                        blank=True,
                        upload_to=referral.models.documents.document_path,
                        verbose_name="PDF",
                    ),
                ),
                (
                    "sha256",
                    models.CharField(
                        blank=True, db_index=True, max_length=64, verbose_name="SHA-256"
                    ),
                ),
                (
                    "size",
                    models.PositiveBigIntegerField(blank=True, null=True, verbose_name="size"),
                ),
                (
                    "render_state",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting to render"),
                            ("rendering", "Rendering"),
                            ("done", "Ready"),
                            ("failed", "Rendering failed"),
                        ],
                        default="pending",
                        max_length=16,
                        verbose_name="rendering",
                    ),
                ),
                (
                    "render_progress",
                    models.PositiveSmallIntegerField(
                        default=0,
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(100),
                        ],
                        verbose_name="rendering progress",
                    ),
                ),
                (
                    "issued_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="issued by",
                    ),
                ),
                (
                    "issuing_agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="issued_documents",
                        to="referral.agency",
                        verbose_name="issuing agency",
                    ),
                ),
                (
                    "referral",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="documents",
                        to="referral.referral",
                    ),
                ),
                (
                    "replaces",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="replaced_by",
                        to="referral.document",
                        verbose_name="replaces",
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="documents",
                        to="referral.meeting",
                    ),
                ),
            ],
            options={
                "verbose_name": "document",
                "verbose_name_plural": "documents",
                "ordering": ["issued_at", "pk"],
                "indexes": [
                    models.Index(
                        fields=["referral", "doc_type"], name="referral_do_referra_a12f53_idx"
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("issuing_agency", "doc_type", "year", "serial", "version"),
                        name="document_number_version",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("superseded_at__isnull", True)),
                        fields=("issuing_agency", "doc_type", "year", "serial"),
                        name="document_one_current_version",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("render_progress__lte", 100)),
                        name="document_progress_percent",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("meeting__isnull", True), ("referral__isnull", False)),
                            models.Q(("meeting__isnull", False), ("referral__isnull", True)),
                            _connector="OR",
                        ),
                        name="document_one_owner",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="MeetingParticipant",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("attended", models.BooleanField(default=False, verbose_name="attended")),
                (
                    "attendees",
                    models.TextField(
                        blank=True, verbose_name="attendees (name and post, one a line)"
                    ),
                ),
                (
                    "confirmed_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="minutes confirmed at"
                    ),
                ),
                ("comment", models.TextField(blank=True, verbose_name="comment on the minutes")),
                (
                    "agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="referral.agency",
                        verbose_name="agency",
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="participants",
                        to="referral.meeting",
                    ),
                ),
            ],
            options={
                "verbose_name": "meeting participant",
                "verbose_name_plural": "meeting participants",
                "ordering": ["meeting", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("meeting", "agency"), name="meeting_participant"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Opinion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("text", models.TextField(verbose_name="opinion")),
                (
                    "agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="referral.agency",
                        verbose_name="agency",
                    ),
                ),
                (
                    "item",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="opinions",
                        to="referral.agendaitem",
                    ),
                ),
            ],
            options={
                "verbose_name": "opinion",
                "verbose_name_plural": "opinions",
                "ordering": ["item", "pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("item", "agency"), name="opinion_per_agency")
                ],
            },
        ),
        migrations.CreateModel(
            name="SituationReport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("transferred", models.PositiveIntegerField(default=0, verbose_name="transferred")),
                ("received", models.PositiveIntegerField(default=0, verbose_name="received")),
                ("filed", models.PositiveIntegerField(default=0, verbose_name="filed")),
                ("not_filed", models.PositiveIntegerField(default=0, verbose_name="not filed")),
                (
                    "reconsidered",
                    models.PositiveIntegerField(
                        default=0, verbose_name="reconsideration requested"
                    ),
                ),
                (
                    "supervised",
                    models.PositiveIntegerField(default=0, verbose_name="filing supervision"),
                ),
                ("overdue", models.PositiveIntegerField(default=0, verbose_name="overdue periods")),
                ("note", models.TextField(blank=True, verbose_name="situation and difficulties")),
                (
                    "edited_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="edited at"),
                ),
                (
                    "agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="referral.agency",
                        verbose_name="agency",
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reports",
                        to="referral.meeting",
                    ),
                ),
            ],
            options={
                "verbose_name": "situation report",
                "verbose_name_plural": "situation reports",
                "ordering": ["meeting", "pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("meeting", "agency"), name="meeting_report")
                ],
            },
        ),
        migrations.CreateModel(
            name="ServiceRecord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sent_at", models.DateTimeField(verbose_name="sent at")),
                (
                    "sent_by_step",
                    models.CharField(blank=True, max_length=64, verbose_name="sent by step"),
                ),
                (
                    "received_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="received at"),
                ),
                (
                    "method",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("signed", "Signed for in the app"),
                            ("paper", "Paper service recorded by the sender"),
                        ],
                        max_length=16,
                        verbose_name="service method",
                    ),
                ),
                (
                    "recorded_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="recorded at"),
                ),
                (
                    "receipt_scan",
                    models.FileField(
                        blank=True,
                        upload_to=referral.models.service.receipt_scan_path,
                        verbose_name="scan of the receipt",
                    ),
                ),
                (
                    "warned_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="warned at"),
                ),
                (
                    "addressee",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="referral.agency",
                        verbose_name="addressee",
                    ),
                ),
                (
                    "document",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="service",
                        to="referral.document",
                        verbose_name="document",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recorded by",
                    ),
                ),
            ],
            options={
                "verbose_name": "service record",
                "verbose_name_plural": "service records",
                "ordering": ["sent_at", "pk"],
                "indexes": [
                    models.Index(
                        fields=["received_at", "sent_at"], name="referral_se_receive_1b34bd_idx"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Notice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "recipient_role",
                    models.CharField(
                        choices=[
                            ("case_officer", "Case officer"),
                            ("agency_head", "Agency head"),
                            ("police_intake", "Police intake officer"),
                            ("police_reviewer", "Police case reviewer"),
                            ("police_head", "Head of the public security organ"),
                            ("procurator", "Procurator"),
                            ("chief_procurator", "Chief procurator"),
                            ("system_admin", "System administrator"),
                            ("security_admin", "Security administrator"),
                            ("audit_admin", "Audit administrator"),
                        ],
                        max_length=32,
                    ),
                ),
                ("created_at", models.DateTimeField()),
                (
                    "clock",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="referral.clock",
                    ),
                ),
                (
                    "recipient_agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="referral.agency",
                    ),
                ),
                (
                    "referral",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="referral.referral",
                    ),
                ),
            ],
            options={
                "verbose_name": "overdue warning",
                "verbose_name_plural": "overdue warnings",
                "ordering": ["-created_at"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("clock", "recipient_agency", "recipient_role"),
                        name="referral_notice_once",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="DeadlineRule",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "rule",
                    models.CharField(
                        choices=[
                            ("approval_decision", "Head's decision on the transfer report"),
                            ("transfer_after_approval", "Transfer to police after approval"),
                            (
                                "police_intake_check",
                                "Police intake check (competence and completeness)",
                            ),
                            ("police_filing_decision", "Police decision to file or not"),
                            (
                                "police_review_clue_check",
                                "Police review extended: clues need checking",
                            ),
                            (
                                "police_review_major",
                                "Police review extended: major or complex case",
                            ),
                            ("agency_supplement", "Agency supplements materials"),
                            ("items_handover", "Hand over seized items"),
                            ("reconsideration_window", "Agency may request reconsideration"),
                            ("reconsideration_decision", "Police decide on reconsideration"),
                            ("supervision_request_window", "Agency may ask for filing supervision"),
                            ("police_explanation", "Police explain non-filing"),
                            (
                                "supervision_conclusion",
                                "Procuratorate concludes on the explanation",
                            ),
                            ("ordered_filing", "Police file as ordered"),
                            ("overdue_explanation", "Police explain an overdue decision"),
                            (
                                "transfer_after_demand",
                                "Agency transfers after the procuratorate's demand",
                            ),
                            ("close_file", "Close the administrative file"),
                            ("intervention_response", "Answer to a request for early intervention"),
                            ("clue_response", "Police station's answer to a passed clue"),
                        ],
                        max_length=50,
                        verbose_name="clock",
                    ),
                ),
                (
                    "amount",
                    models.PositiveIntegerField(
                        validators=[django.core.validators.MinValueValidator(1)],
                        verbose_name="amount",
                    ),
                ),
                (
                    "unit",
                    models.CharField(
                        choices=[
                            ("hours", "hours"),
                            ("calendar_days", "calendar days"),
                            ("working_days", "working days"),
                        ],
                        max_length=20,
                        verbose_name="unit",
                    ),
                ),
                ("article", models.CharField(max_length=300, verbose_name="legal basis")),
                (
                    "ruleset",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="rules",
                        to="referral.ruleset",
                    ),
                ),
            ],
            options={
                "verbose_name": "local period",
                "verbose_name_plural": "local periods",
                "constraints": [
                    models.UniqueConstraint(fields=("ruleset", "rule"), name="deadline_rule_unique")
                ],
            },
        ),
        migrations.CreateModel(
            name="Clue",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("summary", models.TextField(verbose_name="summary of the clue")),
                ("place", models.CharField(max_length=300, verbose_name="place")),
                ("passed_at", models.DateTimeField(verbose_name="passed at")),
                ("due_at", models.DateTimeField(verbose_name="answer due")),
                ("ruleset", models.CharField(max_length=50, verbose_name="rule set")),
                (
                    "answer",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("accepted_for_checking", "Accepted for checking"),
                            ("not_a_crime", "Not a crime"),
                            ("needs_transfer", "Needs a formal transfer"),
                        ],
                        max_length=32,
                        verbose_name="answer",
                    ),
                ),
                (
                    "answer_reason",
                    models.TextField(blank=True, verbose_name="reason for the answer"),
                ),
                (
                    "answered_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="answered at"),
                ),
                (
                    "answered_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "from_station",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="referral.agency",
                        verbose_name="passing station",
                    ),
                ),
                (
                    "passed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "referral",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="clue",
                        to="referral.referral",
                        verbose_name="referral",
                    ),
                ),
                (
                    "to_station",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="referral.agency",
                        verbose_name="police station",
                    ),
                ),
            ],
            options={
                "verbose_name": "clue",
                "verbose_name_plural": "clues",
                "ordering": ["-passed_at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["to_station", "answered_at", "due_at"],
                        name="referral_cl_to_stat_709c43_idx",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ClueAttachment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "file",
                    models.FileField(
                        upload_to=referral.models.referral.attachment_path, verbose_name="file"
                    ),
                ),
                ("original_name", models.CharField(max_length=255, verbose_name="file name")),
                ("content_type", models.CharField(max_length=100, verbose_name="content type")),
                ("size", models.PositiveBigIntegerField(verbose_name="size")),
                ("sha256", models.CharField(max_length=64, verbose_name="SHA-256")),
                (
                    "clue",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attachments",
                        to="referral.clue",
                    ),
                ),
            ],
            options={
                "verbose_name": "attachment of a clue",
                "verbose_name_plural": "attachments of clues",
                "ordering": ["clue", "pk"],
            },
        ),
        migrations.CreateModel(
            name="ClueParty",
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
                        choices=[("person", "Natural person"), ("unit", "Unit")],
                        max_length=16,
                        verbose_name="kind",
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                (
                    "id_number",
                    models.CharField(
                        blank=True,
                        max_length=32,
                        verbose_name="ID number / unified social credit code",
                    ),
                ),
                (
                    "clue",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="parties",
                        to="referral.clue",
                    ),
                ),
            ],
            options={
                "verbose_name": "party of a clue",
                "verbose_name_plural": "parties of clues",
                "ordering": ["clue", "pk"],
            },
        ),
        migrations.CreateModel(
            name="Consultation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("opened_at", models.DateTimeField(verbose_name="opened at")),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("question", models.TextField(verbose_name="question")),
                ("summary", models.TextField(verbose_name="case summary shared")),
                (
                    "state",
                    models.CharField(
                        choices=[("open", "Open"), ("closed", "Concluded")],
                        default="open",
                        max_length=16,
                        verbose_name="status",
                    ),
                ),
                ("conclusion", models.TextField(blank=True, verbose_name="conclusion")),
                (
                    "closed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="concluded at"),
                ),
                (
                    "opened_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "opening_agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="referral.agency",
                        verbose_name="opening agency",
                    ),
                ),
                (
                    "referral",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="consultations",
                        to="referral.referral",
                        verbose_name="referral",
                    ),
                ),
                (
                    "shared_attachments",
                    models.ManyToManyField(
                        blank=True,
                        related_name="+",
                        to="referral.attachment",
                        verbose_name="shared attachments",
                    ),
                ),
            ],
            options={
                "verbose_name": "case consultation",
                "verbose_name_plural": "case consultations",
                "ordering": ["-opened_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="ConsultationParticipant",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="referral.agency",
                        verbose_name="agency",
                    ),
                ),
                (
                    "consultation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="participants",
                        to="referral.consultation",
                    ),
                ),
            ],
            options={
                "verbose_name": "consultation participant",
                "verbose_name_plural": "consultation participants",
                "ordering": ["consultation", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("consultation", "agency"), name="consultation_participant"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ConsultationReply",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("text", models.TextField(verbose_name="reply")),
                ("created_at", models.DateTimeField(verbose_name="written at")),
                (
                    "agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="referral.agency",
                    ),
                ),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "consultation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="replies",
                        to="referral.consultation",
                    ),
                ),
            ],
            options={
                "verbose_name": "consultation reply",
                "verbose_name_plural": "consultation replies",
                "ordering": ["consultation", "created_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="EarlyIntervention",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "reason_category",
                    models.CharField(
                        choices=[
                            ("evidence_at_risk", "Evidence at risk of being lost"),
                            ("suspects_may_flee", "Suspects may flee"),
                            ("qualification_unclear", "Legal qualification unclear"),
                            ("joint_raid", "Joint raid"),
                        ],
                        max_length=32,
                        verbose_name="reason",
                    ),
                ),
                ("reason", models.TextField(verbose_name="why early intervention is needed")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("awaiting_approval", "Awaiting the head's approval"),
                            ("refused", "Not approved by the head"),
                            ("requested", "Requested"),
                            ("closed", "Closed"),
                        ],
                        default="awaiting_approval",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                ("requested_at", models.DateTimeField(verbose_name="requested at")),
                (
                    "decided_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="decided at"),
                ),
                ("decision_note", models.TextField(blank=True, verbose_name="head's note")),
                ("outcome", models.TextField(blank=True, verbose_name="outcome")),
                (
                    "closed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="closed at"),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "referral",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="interventions",
                        to="referral.referral",
                        verbose_name="referral",
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "requesting_agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="referral.agency",
                        verbose_name="requesting agency",
                    ),
                ),
            ],
            options={
                "verbose_name": "early intervention",
                "verbose_name_plural": "early interventions",
                "ordering": ["-requested_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="InterventionAddressee",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("due_at", models.DateTimeField(blank=True, null=True, verbose_name="answer due")),
                ("ruleset", models.CharField(blank=True, max_length=50, verbose_name="rule set")),
                (
                    "answer",
                    models.CharField(
                        blank=True,
                        choices=[("accepted", "Accepted"), ("declined", "Declined")],
                        max_length=16,
                        verbose_name="answer",
                    ),
                ),
                (
                    "answer_reason",
                    models.TextField(blank=True, verbose_name="reason for the answer"),
                ),
                (
                    "answered_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="answered at"),
                ),
                (
                    "agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="referral.agency",
                        verbose_name="agency",
                    ),
                ),
                (
                    "answered_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "intervention",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="addressees",
                        to="referral.earlyintervention",
                    ),
                ),
                (
                    "officers",
                    models.ManyToManyField(
                        blank=True,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="assigned officers",
                    ),
                ),
            ],
            options={
                "verbose_name": "addressee of an early intervention",
                "verbose_name_plural": "addressees of early interventions",
                "ordering": ["intervention", "pk"],
                "indexes": [
                    models.Index(
                        fields=["agency", "answered_at", "due_at"],
                        name="referral_in_agency__daa9b7_idx",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("intervention", "agency"), name="intervention_addressee"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="InterventionNote",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("text", models.TextField(verbose_name="note")),
                ("created_at", models.DateTimeField(verbose_name="written at")),
                (
                    "agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="referral.agency",
                    ),
                ),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "intervention",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notes",
                        to="referral.earlyintervention",
                    ),
                ),
            ],
            options={
                "verbose_name": "intervention note",
                "verbose_name_plural": "intervention notes",
                "ordering": ["intervention", "created_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="CaseSupplement",
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
                            ("supplement", "Supplementary materials"),
                            ("correction", "Statement of correction"),
                        ],
                        max_length=16,
                        verbose_name="kind",
                    ),
                ),
                ("subject", models.CharField(max_length=200, verbose_name="what changes")),
                ("content", models.TextField(verbose_name="the supplement or correction")),
                ("reason", models.TextField(verbose_name="why")),
                ("created_at", models.DateTimeField(verbose_name="recorded at")),
                (
                    "agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="referral.agency",
                        verbose_name="agency",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "referral",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="supplements",
                        to="referral.referral",
                        verbose_name="referral",
                    ),
                ),
            ],
            options={
                "verbose_name": "supplement",
                "verbose_name_plural": "supplements",
                "ordering": ["created_at", "pk"],
            },
        ),
        migrations.AddField(
            model_name="attachment",
            name="supplement",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="attachments",
                to="referral.casesupplement",
                verbose_name="supplement",
            ),
        ),
        migrations.CreateModel(
            name="ReceiptChecklist",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("signed_at", models.DateTimeField(verbose_name="signed at")),
                ("items", models.JSONField(verbose_name="items")),
                (
                    "police_agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="referral.agency",
                        verbose_name="police organ",
                    ),
                ),
                (
                    "referral",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="receipt_checklists",
                        to="referral.referral",
                        verbose_name="referral",
                    ),
                ),
                (
                    "signed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "receipt checklist",
                "verbose_name_plural": "receipt checklists",
                "ordering": ["signed_at", "pk"],
            },
        ),
        migrations.RunPython(
            code=seed_roles_and_audit_genesis,
            reverse_code=migrations.RunPython.noop,
        ),
        migrations.RunPython(
            code=seed_calendar,
            reverse_code=unseed_calendar,
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="auditchainhead",
            trigger=pgtrigger.compiler.Trigger(
                name="audit_head_no_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot delete rows from % table', TG_TABLE_NAME;",
                    hash="0206154433efba28f4bc59914381f8bed9c938a5",
                    operation="DELETE",
                    pgid="pgtrigger_audit_head_no_delete_831d6",
                    table="referral_auditchainhead",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="auditchainhead",
            trigger=pgtrigger.compiler.Trigger(
                name="audit_head_only_forward",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition='WHEN (NEW."last_seq" < (OLD."last_seq"))',
                    func="RAISE EXCEPTION 'pgtrigger: Cannot update rows from % table', TG_TABLE_NAME;",
                    hash="abc626d2f557c374f2604a0344ca74437d67da55",
                    operation="UPDATE",
                    pgid="pgtrigger_audit_head_only_forward_dbcbf",
                    table="referral_auditchainhead",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="auditevent",
            trigger=pgtrigger.compiler.Trigger(
                name="audit_event_no_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot update rows from % table', TG_TABLE_NAME;",
                    hash="8e14d0b87a4ebb86e89f8e5cf83f7abdd162437d",
                    operation="UPDATE",
                    pgid="pgtrigger_audit_event_no_update_6ebf2",
                    table="referral_auditevent",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="auditevent",
            trigger=pgtrigger.compiler.Trigger(
                name="audit_event_no_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot delete rows from % table', TG_TABLE_NAME;",
                    hash="68121d81abc57dbb41f8988934783a0379dc3098",
                    operation="DELETE",
                    pgid="pgtrigger_audit_event_no_delete_94dfc",
                    table="referral_auditevent",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="attachmentread",
            trigger=pgtrigger.compiler.Trigger(
                name="attachment_read_no_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot update rows from % table', TG_TABLE_NAME;",
                    hash="ec300c6837f2feedfad844fc0b6cea21a78ad426",
                    operation="UPDATE",
                    pgid="pgtrigger_attachment_read_no_update_43485",
                    table="referral_attachmentread",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="attachmentread",
            trigger=pgtrigger.compiler.Trigger(
                name="attachment_read_no_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot delete rows from % table', TG_TABLE_NAME;",
                    hash="134139d40c8a04a3e725fc247af19df6d1dd06f2",
                    operation="DELETE",
                    pgid="pgtrigger_attachment_read_no_delete_d35f2",
                    table="referral_attachmentread",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="casefileread",
            trigger=pgtrigger.compiler.Trigger(
                name="case_file_read_no_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot update rows from % table', TG_TABLE_NAME;",
                    hash="5adf6cd534578c075246c4569bfb47fe7871127a",
                    operation="UPDATE",
                    pgid="pgtrigger_case_file_read_no_update_ad544",
                    table="referral_casefileread",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="casefileread",
            trigger=pgtrigger.compiler.Trigger(
                name="case_file_read_no_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot delete rows from % table', TG_TABLE_NAME;",
                    hash="ed197c34026b3abc1a9700307f13f62a881bef1b",
                    operation="DELETE",
                    pgid="pgtrigger_case_file_read_no_delete_cdedf",
                    table="referral_casefileread",
                    when="BEFORE",
                ),
            ),
        ),
        migrations.RunPython(
            code=add_official_role_groups,
            reverse_code=remove_official_role_groups,
        ),
    ]
