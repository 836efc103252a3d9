"""Notifications: what a user is told in the app (and by e-mail, as they choose) when a case
reaches them, a decision is taken, a document is sent to their agency or a clock runs short or
out. Written by referral/services/notifications.py, once each (`key`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    CASE_ARRIVED = "case_arrived", _("A case awaits your step")
    DECISION = "decision", _("Decision on a case")
    DOCUMENT_SERVED = "document_served", _("Document sent to your agency")
    # Joint meetings, consultations, early interventions and clues (services/
    # coordination_notifications.py).
    COORDINATION = "coordination", _("Meeting, consultation, intervention or clue")
    CLOCK_DUE_SOON = "clock_due_soon", _("Deadline approaching")
    CLOCK_OVERDUE = "clock_overdue", _("Deadline passed")


def email_kinds_default() -> list[str]:
    """A new user gets every kind by e-mail until they choose otherwise."""
    return list(NotificationKind.values)


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    # What the notification is about, unique per recipient ("step:<audit seq>",
    # "clock_overdue:<clock>", "served:<service record>"): a second attempt writes nothing.
    key = models.CharField(max_length=80)
    referral = models.ForeignKey(
        "referral.Referral",
        verbose_name=_("referral"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    clock = models.ForeignKey(
        "referral.Clock", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The page of another object it is about, where that is not the referral's.
    link = models.CharField(max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="referral_notification_once")
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.title
