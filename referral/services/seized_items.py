"""The seized-item list (涉案物品清单) of a referral: the item-list documents are drawn from it.
Lines are added while the case record is the agency's to edit, and changed or removed only
before transfer; every change is audited with the old and new values."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ..models import SeizedItem, User
from ..timeutil import now
from .audit import audit_append
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


def _audit(referral, actor, action: str, payload: dict, request_id: str = "") -> None:
    audit_append(
        action=action,
        at=now(),
        actor=actor,
        referral=referral,
        from_status=referral.status,
        to_status=referral.status,
        payload=payload,
        request_id=request_id,
    )


def _values(item) -> dict[str, str]:
    return {
        name: "" if getattr(item, name) is None else str(getattr(item, name))
        for name in ITEM_FIELDS
    }


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
        _audit(
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
        before = _values(item)
        for name in ITEM_FIELDS:
            if name in fields:
                value = fields[name]
                setattr(item, name, value.strip() if isinstance(value, str) else value)
        check_record_dates(discovered_on=referral.discovered_on, seized_on=item.seized_on)
        full_clean(item)
        item.save()
        after = _values(item)
        changes = {k: {"old": v, "new": after[k]} for k, v in before.items() if v != after[k]}
        _audit(
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
        old, pk, serial = _values(item), item.pk, item.serial
        item.delete()
        # In ascending order each line takes the number just freed: no unique clash.
        for later in referral.seized_items.filter(serial__gt=serial).order_by("serial"):
            later.serial -= 1
            later.save(update_fields=["serial"])
        _audit(
            referral,
            actor,
            "remove_seized_item",
            {"item": pk, "serial": serial, "old": old},
            request_id,
        )
