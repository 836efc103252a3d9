"""Changing and removing parts of the case record before transfer: parties and attachments
(seized items: seized_items.py). Each change is audited with the old and new values; once the
case is transferred, a correction is a supplement instead (supplements.py)."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ..models import Attachment, Party, User
from ..timeutil import now
from .audit import audit_record_change, changes_between, values_of
from .base import full_clean, lock_for_change
from .errors import NotFound

PARTY_FIELDS = ("kind", "name", "id_number", "legal_representative", "phone", "address")


def _lock(referral_id: int, actor: User):
    return lock_for_change(referral_id=referral_id, actor=actor)


def _party(referral, party_id: int) -> Party:
    party = referral.parties.filter(pk=party_id).first()
    if party is None:
        raise NotFound(_("No such party."))
    return party


def party_update(
    *, referral_id: int, actor: User, party_id: int, request_id: str = "", **fields
) -> Party:
    """Changes a party's particulars before transfer."""
    with transaction.atomic():
        referral = _lock(referral_id, actor)
        party = _party(referral, party_id)
        before = values_of(party, PARTY_FIELDS)
        for name in PARTY_FIELDS:
            if name in fields:
                value = fields[name]
                setattr(party, name, value.strip() if isinstance(value, str) else value)
        full_clean(party)
        party.save()
        changes = changes_between(before, values_of(party, PARTY_FIELDS))
        audit_record_change(
            referral,
            actor,
            "update_party",
            {"party": party.pk, "name": party.name, "changes": changes},
            request_id,
        )
    return party


def party_remove(*, referral_id: int, actor: User, party_id: int, request_id: str = "") -> None:
    """Removes a party entered in error, before transfer; the audit keeps what it was."""
    with transaction.atomic():
        referral = _lock(referral_id, actor)
        party = _party(referral, party_id)
        old = values_of(party, PARTY_FIELDS)
        pk = party.pk
        party.delete()
        audit_record_change(referral, actor, "remove_party", {"party": pk, "old": old}, request_id)


def attachment_remove(
    *, referral_id: int, actor: User, attachment_id: int, request_id: str = ""
) -> Attachment:
    """Takes an attachment off the case record before transfer. The row and the file stay
    (reads and the audit trail refer to them); it is no longer listed or counted."""
    with transaction.atomic():
        referral = _lock(referral_id, actor)
        attachment = referral.attachments.filter(pk=attachment_id).first()
        if attachment is None:
            raise NotFound(_("No such attachment."))
        attachment.removed_at = now()
        attachment.removed_by = actor
        attachment.save(update_fields=["removed_at", "removed_by"])
        audit_record_change(
            referral,
            actor,
            "remove_attachment",
            {
                "attachment": attachment.pk,
                "kind": attachment.kind,
                "name": attachment.original_name,
                "sha256": attachment.sha256,
            },
            request_id,
        )
    return attachment
