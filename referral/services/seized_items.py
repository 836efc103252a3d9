"""The seized-item list (涉案物品清单) of a referral: the item-list documents are drawn from it."""

from decimal import Decimal

from django.db import transaction

from ..models import SeizedItem, User
from ..timeutil import now
from .audit import audit_append
from .base import full_clean, lock_for_edit


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
        audit_append(
            action="add_seized_item",
            at=now(),
            actor=actor,
            referral=referral,
            from_status=referral.status,
            to_status=referral.status,
            payload={
                "item": item.pk,
                "serial": item.serial,
                "name": item.name,
                "quantity": str(item.quantity),
                "unit": item.unit,
            },
            request_id=request_id,
        )
    return item
