"""Issued documents for the tests of this folder: a transferred referral, its seized items, the
stored bytes of a PDF."""

from decimal import Decimal

from referral import lifecycle
from referral.models import Role
from referral.services.seized_items import seized_item_add

S = lifecycle.Status


def officer(world):
    return world.user("fc-msa", Role.CASE_OFFICER)


def add_items(world, referral, count):
    for n in range(count):
        seized_item_add(
            referral_id=referral.pk,
            actor=officer(world),
            name=f"涉案食品{n + 1}",
            quantity=Decimal("12.5"),
            unit="千克",
            specification="批号20260101",
            storage_location="局涉案物品仓库",
        )


def transferred(world, after_commit, items=0):
    """A transferred referral whose documents the render task has rendered after the step."""
    referral = world.reach(S.TRANSFER_APPROVED)
    add_items(world, referral, items)
    with after_commit():
        world.do(referral, "transfer")
    referral.refresh_from_db()
    return referral


def run(callbacks):
    """Runs what the step left for after its commit (the render task among it)."""
    for callback in callbacks:
        callback()


def stored_bytes(document):
    with document.pdf.open("rb") as f:
        return f.read()
