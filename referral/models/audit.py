"""The append-only, hash-chained audit trail.

Append-only is enforced twice: by the ORM (below) and, on PostgreSQL, by triggers that refuse
UPDATE and DELETE of events and any move of the chain head backwards, whoever connects (等保 2.0
level 3: audit records protected from deletion, modification and overwriting). Retention is
therefore unlimited, beyond the six months the standard asks for.
"""

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events are append-only.")

    def delete(self):
        raise AppendOnlyError("Audit events are append-only.")


class AppendOnlyModel(models.Model):
    """Rows written once: the ORM refuses to update or delete them (and each concrete model adds
    PostgreSQL triggers refusing the same to anyone who connects)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name_plural} are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.verbose_name_plural} are append-only.")


class AuditEvent(AppendOnlyModel):
    """One recorded action. Rows are never updated or deleted; each hashes its predecessor."""

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    referral = models.ForeignKey(
        "referral.Referral",
        verbose_name=_("referral"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_agency = models.ForeignKey(
        "referral.Agency",
        verbose_name=_("actor's agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64)
    from_status = models.CharField(_("from status"), max_length=64, blank=True)
    to_status = models.CharField(_("to status"), max_length=64, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("time"))
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["seq"]
        indexes = [models.Index(fields=["referral", "seq"])]
        triggers = [
            pgtrigger.Protect(name="audit_event_no_update", operation=pgtrigger.Update),
            pgtrigger.Protect(name="audit_event_no_delete", operation=pgtrigger.Delete),
        ]

    def __str__(self):
        return f"#{self.seq} {self.action}"


class AuditChainHead(models.Model):
    """The single row holding the chain's tip; locking it serialises appends."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain head")
        triggers = [
            pgtrigger.Protect(name="audit_head_no_delete", operation=pgtrigger.Delete),
            # Moving the head back is how a truncated tail would be hidden.
            pgtrigger.Protect(
                name="audit_head_only_forward",
                operation=pgtrigger.Update,
                condition=pgtrigger.Q(new__last_seq__lt=pgtrigger.F("old__last_seq")),
            ),
        ]

    def __str__(self):
        return f"#{self.last_seq}"
