"""Agencies, people and their roles."""

from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..documents.numbering import DEFAULT_NUMBER_PATTERN, validate_number_pattern
from ..roles import Role
from .fields import LineField
from .notifications import email_kinds_default


def _role_codes(names) -> frozenset[str]:
    """The names that are role codes (a user's groups may hold others)."""
    valid = set(Role.values)
    return frozenset(name for name in names if name in valid)


class _JoinedNames(models.Func):
    """The values of a column over a subquery's rows, joined by commas into one value."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = models.TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="STRING_AGG", **extra_context)


class AgencyKind(models.TextChoices):
    MARKET_SUPERVISION = "market_supervision", _("Market supervision bureau")
    POLICE = "police", _("Public security organ")
    PROCURATORATE = "procuratorate", _("People's procuratorate")
    OTHER_ADMIN = "other_admin", _("Other administrative agency")


ADMINISTRATIVE_KINDS = (AgencyKind.MARKET_SUPERVISION, AgencyKind.OTHER_ADMIN)


class AgencyLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County / district")
    # Units below the county: a market-supervision station (市场监管所) of its county bureau, a
    # police station (派出所) of its county police (DOMAIN.md §4.8, Beijing 所所衔接).
    STATION = "station", _("Station below county level")


# Which agency kinds may hold each operational role.
ROLE_AGENCY_KINDS: dict[str, tuple[str, ...]] = {
    Role.CASE_OFFICER: ADMINISTRATIVE_KINDS,
    Role.AGENCY_HEAD: ADMINISTRATIVE_KINDS,
    Role.POLICE_INTAKE: (AgencyKind.POLICE,),
    Role.POLICE_REVIEWER: (AgencyKind.POLICE,),
    Role.POLICE_HEAD: (AgencyKind.POLICE,),
    Role.PROCURATOR: (AgencyKind.PROCURATORATE,),
    Role.CHIEF_PROCURATOR: (AgencyKind.PROCURATORATE,),
}
# The three administrators are kept apart (三员分立): nobody holds two of them.
SEPARATED_ADMIN_ROLES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)

region_code_validator = RegexValidator(
    r"^\d{6}$", _("A region code is the six-digit administrative division code.")
)


class AgencyManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)

    def same_level(self, agency: "Agency", kind: str) -> models.QuerySet:
        """Agencies of `kind` at the same level and region as `agency` (同级), default first."""
        return self.filter(kind=kind, level=agency.level, region_code=agency.region_code).order_by(
            "-default_receiver", "code"
        )


class Agency(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = LineField(_("name"), max_length=200)
    short_name = LineField(
        _("short name"), max_length=20, help_text=_("Used in document numbers, e.g. 绵市监.")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=AgencyKind.choices)
    level = models.CharField(_("level"), max_length=16, choices=AgencyLevel.choices)
    region_code = models.CharField(
        _("region code"), max_length=6, validators=[region_code_validator]
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # A market-supervision station's police station, to which it passes clues (线索传递).
    paired_station = models.ForeignKey(
        "self",
        verbose_name=_("paired police station"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    default_receiver = models.BooleanField(
        _("default receiver"),
        default=True,
        help_text=_("Receives referrals routed to its kind, level and region by default."),
    )
    # Documents go out in the name of the organ, not of an internal unit (a police 大队 issues in
    # its 公安局/分局's name: DOMAIN.md §9.2), and police numbers carry the unit code.
    issuing_name = models.CharField(
        _("name documents are issued in"),
        max_length=200,
        blank=True,
        help_text=_(
            "For an internal unit, the organ whose name and seal its documents bear, e.g. "
            "绵阳市公安局涪城区分局. Empty: the agency's own name."
        ),
    )
    unit_code = models.CharField(
        _("unit code in document numbers"),
        max_length=20,
        blank=True,
        help_text=_("The {unit} of the number pattern, e.g. （食药）."),
    )
    document_number_pattern = models.CharField(
        _("document number pattern"),
        max_length=100,
        default=DEFAULT_NUMBER_PATTERN,
        validators=[validate_number_pattern],
        help_text=_(
            "How the agency numbers its documents: {short} its short name, {unit} its unit code, "
            "{code} the document type, {year} and {serial}, e.g. {short}{code}〔{year}〕{serial}号."
        ),
    )

    objects = AgencyManager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["region_code", "kind", "code"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)

    def clean(self):
        """A pairing joins a market-supervision station to a police station."""
        pair = self.paired_station
        if pair is not None and not (
            self.level == AgencyLevel.STATION
            and self.kind in ADMINISTRATIVE_KINDS
            and pair.level == AgencyLevel.STATION
            and pair.kind == AgencyKind.POLICE
        ):
            raise ValidationError(
                {"paired_station": _("Pair a market-supervision station with a police station.")}
            )

    @property
    def document_name(self) -> str:
        """The name its documents are issued and sealed in."""
        return self.issuing_name or self.name


class XianjieUserManager(UserManager):
    def get_by_natural_key(self, username):
        return self.get(username=username)


class User(AbstractUser):
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    full_name = LineField(_("full name"), max_length=100, blank=True)
    # Set for a new account and after an administrator's reset: the password was chosen by
    # someone else, so the holder replaces it before anything else (referral/accounts/).
    must_change_password = models.BooleanField(_("must change password"), default=False)
    # 正职负责人 or the 负责人 presiding over the agency's work (主持工作): the only head who may
    # approve a transfer (Decree 310 art. 5); a deputy may not. Set by the security
    # administrator with the role grants.
    is_principal_head = models.BooleanField(
        _("principal head (正职 / 主持工作)"),
        default=False,
        help_text=_("The agency's principal head, or the head presiding over its work."),
    )
    # Kept equal to the count of unread notifications by every service that changes it (one
    # UPDATE from the notifications table), so the menu shows it without a query per page.
    unread_notifications = models.PositiveIntegerField(
        _("unread notifications"), default=0, editable=False
    )
    # The notification kinds also sent by e-mail; in the app every kind is shown.
    email_notification_kinds = models.JSONField(
        _("notifications by e-mail"), default=email_kinds_default, blank=True
    )

    objects = XianjieUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.username

    def save(self, *args, **kwargs):
        # The unread count is kept by the notification services' own UPDATE: a full save of a
        # user loaded before a notification arrived (a password change, an admin edit) must not
        # write back a stale count.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "unread_notifications"
            ]
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.full_name or super().get_full_name() or self.username

    @cached_property
    def role_codes(self) -> frozenset[str]:
        return _role_codes(self.groups.values_list("name", flat=True))

    def role_codes_subquery(self) -> models.Subquery:
        """`role_codes` as one value (comma-joined group names) to read inside another query,
        then hand to `role_codes_remember`: the step gate reads the actor's roles with the
        referral it locks (referral/access.py) instead of in a round trip of its own."""
        names = (
            self.groups.through.objects.filter(user_id=self.pk)
            .order_by()
            .annotate(names=_JoinedNames("group__name"))
            .values("names")
        )
        return models.Subquery(names, output_field=models.TextField())

    def role_codes_remember(self, joined: str | None) -> None:
        """Caches what `role_codes_subquery` read, for the rest of this object's life (the
        request), as `role_codes` itself caches."""
        self.__dict__["role_codes"] = _role_codes((joined or "").split(","))

    def has_role(self, role: str) -> bool:
        return self.is_active and role in self.role_codes
