"""The seized-item list: numbered lines, audited, the transferring agency's to record until
the transfer."""

from decimal import Decimal

import pytest

from referral import lifecycle
from referral.models import Role, SeizedItem
from referral.services.errors import IllegalTransition, InvalidInput, NotFound, PermissionDenied
from referral.services.seized_items import seized_item_add

S = lifecycle.Status


def _officer(world):
    return world.user("fc-msa", Role.CASE_OFFICER)


def _add_items(world, referral, count):
    for n in range(count):
        seized_item_add(
            referral_id=referral.pk,
            actor=_officer(world),
            name=f"涉案食品{n + 1}",
            quantity=Decimal("12.5"),
            unit="千克",
        )


def test_seized_items_are_numbered_in_order_and_audited(world):
    referral = world.reach(S.SUSPECTED_CRIME_FOUND)
    _add_items(world, referral, 3)
    assert list(referral.seized_items.values_list("serial", "name")) == [
        (1, "涉案食品1"),
        (2, "涉案食品2"),
        (3, "涉案食品3"),
    ]
    event = referral.events.order_by("-seq").first()
    assert event.action == "add_seized_item"
    assert event.payload["name"] == "涉案食品3" and event.payload["quantity"] == "12.5"


def test_seized_items_are_the_transferring_agencys_to_record(world):
    referral = world.reach(S.SUSPECTED_CRIME_FOUND)
    item = {"name": "白酒", "quantity": Decimal("3"), "unit": "瓶"}
    with pytest.raises(PermissionDenied):
        seized_item_add(
            referral_id=referral.pk, actor=world.user("fc-proc", Role.PROCURATOR), **item
        )
    with pytest.raises(NotFound):
        seized_item_add(
            referral_id=referral.pk, actor=world.user("yx-msa", Role.CASE_OFFICER), **item
        )
    with pytest.raises(InvalidInput):
        seized_item_add(referral_id=referral.pk, actor=_officer(world), **{**item, "name": ""})
    assert not SeizedItem.objects.exists()


def test_seized_items_are_fixed_once_transferred(world):
    referral = world.reach(S.TRANSFERRED_AWAITING_RECEIPT)
    with pytest.raises(IllegalTransition):
        seized_item_add(
            referral_id=referral.pk, actor=_officer(world), name="白酒", quantity=1, unit="瓶"
        )
