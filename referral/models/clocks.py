"""Statutory clocks, jurisdiction rule sets and the holiday calendar."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..clock_rules import ALL_RULES, Unit, local_rule_error
from .agencies import Agency, Role


class RuleSetManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class RuleSet(models.Model):
    """A jurisdiction's local periods, for agencies whose region code starts with the prefix."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    region_prefix = models.CharField(
        _("region code prefix"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{2,6}$", _("Two to six digits of a region code."))],
    )
    source = models.CharField(_("legal source"), max_length=300)
    # No national text restarts the police's 3 days when the agency supplements material (MPS
    # rules art. 180; DOMAIN.md §9.3); some local rules do [S].
    restarts_decision_after_supplement = models.BooleanField(
        _("restarts the police decision period after a supplement"), default=False
    )

    objects = RuleSetManager()

    class Meta:
        verbose_name = _("jurisdiction rule set")
        verbose_name_plural = _("jurisdiction rule sets")
        ordering = ["region_prefix"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


class DeadlineRuleManager(models.Manager):
    def get_by_natural_key(self, ruleset_code, rule):
        return self.get(ruleset__code=ruleset_code, rule=rule)


class DeadlineRule(models.Model):
    ruleset = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="rules")
    rule = models.CharField(
        _("clock"), max_length=50, choices=[(code, r.label) for code, r in ALL_RULES.items()]
    )
    amount = models.PositiveIntegerField(_("amount"), validators=[MinValueValidator(1)])
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices)
    article = models.CharField(_("legal basis"), max_length=300)

    objects = DeadlineRuleManager()

    class Meta:
        verbose_name = _("local period")
        verbose_name_plural = _("local periods")
        constraints = [
            models.UniqueConstraint(fields=["ruleset", "rule"], name="deadline_rule_unique")
        ]

    def __str__(self):
        return f"{self.ruleset.code}:{self.rule}"

    def clean(self):
        # A local rule never lengthens a national period (DOMAIN.md §9.4).
        if self.rule and self.amount and self.unit:
            error = local_rule_error(self.rule, self.amount, self.unit)
            if error:
                raise ValidationError({"amount": error})

    def natural_key(self):
        return (self.ruleset.code, self.rule)

    natural_key.dependencies = ["referral.ruleset"]


class ClockState(models.TextChoices):
    RUNNING = "running", _("Running")
    OVERDUE = "overdue", _("Overdue")
    MET = "met", _("Met in time")
    MET_LATE = "met_late", _("Met late")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_CLOCK_STATES = (ClockState.RUNNING, ClockState.OVERDUE)


class ClockQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=OPEN_CLOCK_STATES)

    def overdue(self):
        return self.filter(state=ClockState.OVERDUE)


class Clock(models.Model):
    """One statutory period running on one referral, owned by an agency and a role."""

    referral = models.ForeignKey(
        "referral.Referral", on_delete=models.CASCADE, related_name="clocks"
    )
    rule = models.CharField(_("clock"), max_length=50)
    amount = models.PositiveIntegerField(_("amount"))
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices)
    article = models.CharField(_("legal basis"), max_length=300)
    ruleset = models.CharField(_("rule set"), max_length=50, default="national")
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="clocks")
    owner_role = models.CharField(_("owner role"), max_length=32, choices=Role.choices)
    started_at = models.DateTimeField(_("started at"))
    due_at = models.DateTimeField(_("due at"))
    state = models.CharField(
        _("state"), max_length=16, choices=ClockState.choices, default=ClockState.RUNNING
    )
    started_by = models.CharField(_("started by"), max_length=64)
    # Counted on an unpublished year's assumed holidays (DOMAIN.md §9.6): recomputed and cleared
    # when the administrator enters that year's State Council arrangement.
    provisional = models.BooleanField(_("provisional"), default=False)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    stopped_by = models.CharField(_("stopped by"), max_length=64, blank=True)

    objects = ClockQuerySet.as_manager()

    class Meta:
        verbose_name = _("statutory clock")
        verbose_name_plural = _("statutory clocks")
        ordering = ["due_at"]
        indexes = [
            models.Index(fields=["state", "due_at"]),
            models.Index(fields=["owner_agency", "state", "due_at"]),
        ]

    def __str__(self):
        return f"{self.rule} → {self.due_at:%Y-%m-%d %H:%M}"


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday (rest day)")
    WORKDAY = "workday", _("Make-up working day")


class CalendarDay(models.Model):
    """A date that differs from the Monday–Friday pattern: a holiday, or a weekend worked."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=CalendarDayKind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=50, default="manual")

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"


class CalendarYear(models.Model):
    """Whether a year's holidays are published (confirmed) or only estimated."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    confirmed = models.BooleanField(_("confirmed"), default=False)
    source = models.CharField(_("source"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]

    def __str__(self):
        return str(self.year)
