"""Joint meetings (联席会议, DOMAIN.md §4.2): the agencies of an area meet, each reports its
figures for the period, the agenda (referrals, penalty cases, topics) is discussed with each
agency's opinion, and the meeting takes decisions and sets follow-up items. Its minutes are
circulated to the attending agencies, confirmed, and issued as a numbered document."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .agencies import Agency
from .fields import LineField, ProseField
from .referral import Referral


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular joint meeting")
    SPECIAL = "special", _("Special joint meeting")


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Minutes being drafted")
    CIRCULATED = "circulated", _("Minutes circulated for confirmation")
    ISSUED = "issued", _("Minutes issued")


class Meeting(models.Model):
    """One joint meeting, from its convening to its issued minutes."""

    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind.choices)
    title = LineField(_("title"), max_length=200)
    held_at = models.DateTimeField(_("date and time"))
    place = LineField(_("place"), max_length=200)
    convening_agency = models.ForeignKey(
        Agency,
        verbose_name=_("convening agency"),
        on_delete=models.PROTECT,
        related_name="convened_meetings",
    )
    chair = LineField(_("chair"), max_length=100)
    period_start = models.DateField(_("reporting period from"))
    period_end = models.DateField(_("reporting period to"))
    # The minutes' progress; named apart from a referral's `status`, which only the lifecycle
    # writes (tests/referral/test_lifecycle.py).
    minutes_status = models.CharField(
        _("Minutes"), max_length=16, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    convened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("convened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    convened_at = models.DateTimeField(_("convened at"))
    circulated_at = models.DateTimeField(_("circulated at"), null=True, blank=True)
    confirm_due_at = models.DateTimeField(_("confirm by"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)

    class Meta:
        verbose_name = _("joint meeting")
        verbose_name_plural = _("joint meetings")
        ordering = ["-held_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="meeting_period_ordered",
            ),
        ]

    def __str__(self):
        return self.title


class MeetingParticipant(models.Model):
    """An invited agency: whether and by whom it attended, and its answer to the minutes."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    attended = models.BooleanField(_("attended"), default=False)
    # Names and posts, one person a line: printed in the minutes, never logged in.
    attendees = ProseField(_("attendees (name and post, one a line)"), blank=True)
    confirmed_at = models.DateTimeField(_("minutes confirmed at"), null=True, blank=True)
    comment = ProseField(_("comment on the minutes"), blank=True)

    class Meta:
        verbose_name = _("meeting participant")
        verbose_name_plural = _("meeting participants")
        ordering = ["meeting", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "agency"], name="meeting_participant"),
        ]

    def __str__(self):
        return str(self.agency)

    @property
    def attendee_lines(self) -> list[str]:
        return [line.strip() for line in self.attendees.splitlines() if line.strip()]


# The figures of a situation report, in the order the minutes print them.
REPORT_FIGURES = (
    "transferred",
    "received",
    "filed",
    "not_filed",
    "reconsidered",
    "supervised",
    "overdue",
)


class SituationReport(models.Model):
    """An agency's figures for the meeting's period: pre-filled from the referrals, then
    corrected by the agency itself (it answers for what it reports)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="reports")
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    transferred = models.PositiveIntegerField(_("transferred"), default=0)
    received = models.PositiveIntegerField(_("received"), default=0)
    filed = models.PositiveIntegerField(_("filed"), default=0)
    not_filed = models.PositiveIntegerField(_("not filed"), default=0)
    reconsidered = models.PositiveIntegerField(_("reconsideration requested"), default=0)
    supervised = models.PositiveIntegerField(_("filing supervision"), default=0)
    overdue = models.PositiveIntegerField(_("overdue periods"), default=0)
    note = ProseField(_("situation and difficulties"), blank=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)

    class Meta:
        verbose_name = _("situation report")
        verbose_name_plural = _("situation reports")
        ordering = ["meeting", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "agency"], name="meeting_report"),
        ]

    def __str__(self):
        return f"{self.meeting} · {self.agency}"

    def figures(self) -> list[tuple[str, int]]:
        """(label, value) in the printed order."""
        return [(self._meta.get_field(f).verbose_name, getattr(self, f)) for f in REPORT_FIGURES]


class AgendaKind(models.TextChoices):
    FOLLOW_UP = "follow_up", _("Open follow-up item")
    REFERRAL = "referral", _("Referral")
    PENALTY_CASE = "penalty_case", _("Administrative penalty case")
    TOPIC = "topic", _("Topic")


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=16, choices=AgendaKind.choices)
    text = ProseField(_("subject"))
    referral = models.ForeignKey(
        Referral,
        verbose_name=_("referral"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    follow_up = models.ForeignKey(
        "FollowUp",
        verbose_name=_("follow-up item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_position"),
        ]

    def __str__(self):
        return f"{self.position}. {self.text[:40]}"


class Opinion(models.Model):
    """An agency's opinion on an agenda item; one per agency, rewritten while in draft."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="opinions")
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    text = ProseField(_("opinion"))

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["item", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "agency"], name="opinion_per_agency"),
        ]

    def __str__(self):
        return f"{self.agency}: {self.text[:40]}"


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    position = models.PositiveIntegerField(_("position"))
    text = ProseField(_("decision"))
    basis = ProseField(_("basis"), blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="decision_position"),
        ]

    def __str__(self):
        return f"{self.position}. {self.text[:40]}"


class FollowUpQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done_at__isnull=True)


class FollowUp(models.Model):
    """An action the meeting gave an agency, due by a date; open until its owner reports it
    done. Overdue is read from the due time, not stored, so it can never disagree with it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="follow_ups")
    position = models.PositiveIntegerField(_("position"))
    action = ProseField(_("action"))
    owner_agency = models.ForeignKey(
        Agency,
        verbose_name=_("owner agency"),
        on_delete=models.PROTECT,
        related_name="meeting_follow_ups",
    )
    owner_person = LineField(_("responsible person"), max_length=100)
    due_at = models.DateTimeField(_("due"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_note = ProseField(_("how it was done"), blank=True)
    # When the clock sweep told the owner the item is overdue (once; services/
    # coordination_notifications.py).
    overdue_notified_at = models.DateTimeField(
        _("overdue notified at"), null=True, blank=True, editable=False
    )

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up item")
        verbose_name_plural = _("follow-up items")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="follow_up_position"),
        ]
        indexes = [models.Index(fields=["owner_agency", "done_at", "due_at"])]

    def __str__(self):
        return f"{self.position}. {self.action[:40]}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def is_overdue(self, at) -> bool:
        return self.done_at is None and self.due_at < at
