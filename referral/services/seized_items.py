"""The seized-item list (涉案物品清单) of a referral: the item-list documents are drawn from it.
Lines are added while the case record is the agency's to edit, and changed or removed only
before transfer; every change is audited with the old and new values."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ..models import SeizedItem, User
from .audit import audit_record_change, changes_between, values_of
from .base import check_record_dates, full_clean, lock_for_change, lock_for_edit
from .errors import NotFound

ITEM_FIELDS = (
    "name",
    "specification",
    "quantity",
    "unit",
    "condition",
    "origin",
    "storage_location",
    "custodian",
    "seizure_document_number",
    "seized_on",
    "sample_id",
    "note",
)


def seized_item_add(
    *,
    referral_id: int,
    actor: User,
    name: str,
    quantity: Decimal,
    unit: str,
    request_id: str = "",
    **fields,
) -> SeizedItem:
    """Adds a line to the seized-item list while the case record is the agency's to edit;
    numbered after the last line."""
    with transaction.atomic():
        referral = lock_for_edit(referral_id=referral_id, actor=actor)
        check_record_dates(discovered_on=referral.discovered_on, seized_on=fields.get("seized_on"))
        last = referral.seized_items.order_by("-serial").values_list("serial", flat=True).first()
        item = SeizedItem(
            referral=referral,
            serial=(last or 0) + 1,
            name=(name or "").strip(),
            quantity=quantity,
            unit=(unit or "").strip(),
            **fields,
        )
        full_clean(item)
        item.save()
        audit_record_change(
            referral,
            actor,
            "add_seized_item",
            {
                "item": item.pk,
                "serial": item.serial,
                "name": item.name,
                "quantity": str(item.quantity),
                "unit": item.unit,
            },
            request_id,
        )
    return item


def _item(referral, item_id: int) -> SeizedItem:
    item = referral.seized_items.filter(pk=item_id).first()
    if item is None:
        raise NotFound(_("No such seized item."))
    return item


def seized_item_update(
    *, referral_id: int, actor: User, item_id: int, request_id: str = "", **fields
) -> SeizedItem:
    """Changes a line of the list before transfer."""
    with transaction.atomic():
        referral = lock_for_change(referral_id=referral_id, actor=actor)
        item = _item(referral, item_id)
        before = values_of(item, ITEM_FIELDS)
        for name in ITEM_FIELDS:
            if name in fields:
                value = fields[name]
                setattr(item, name, value.strip() if isinstance(value, str) else value)
        check_record_dates(discovered_on=referral.discovered_on, seized_on=item.seized_on)
        full_clean(item)
        item.save()
        after = values_of(item, ITEM_FIELDS)
        changes = changes_between(before, after)
        audit_record_change(
            referral,
            actor,
            "update_seized_item",
            {"item": item.pk, "serial": item.serial, "changes": changes},
            request_id,
        )
    return item


def seized_item_remove(
    *, referral_id: int, actor: User, item_id: int, request_id: str = ""
) -> None:
    """Removes a line before transfer; the lines after it move up so the list stays numbered
    1, 2, 3 … as the item-list document prints it."""
    with transaction.atomic():
        referral = lock_for_change(referral_id=referral_id, actor=actor)
        item = _item(referral, item_id)
        old, pk, serial = values_of(item, ITEM_FIELDS), item.pk, item.serial
        item.delete()
        # In ascending order each line takes the number just freed: no unique clash.
        for later in referral.seized_items.filter(serial__gt=serial).order_by("serial"):
            later.serial -= 1
            later.save(update_fields=["serial"])
        audit_record_change(
            referral,
            actor,
            "remove_seized_item",
            {"item": pk, "serial": serial, "old": old},
            request_id,
        )
