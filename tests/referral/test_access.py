"""The visibility rule read as a predicate and as a query filter gives the same answer for every
user x referral of a generated world, and the doors make a foreign referral look missing."""

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser

from referral import access
from referral.models import Referral, User
from referral.services.errors import NotFound
from tests.factories import SHANGHAI, World


@pytest.fixture
def generated(db):
    """Every combination of owning agency, police organ (or none), procuratorate (or none) and
    transferred or not, over the world's home county, its city and a foreign county."""
    world = World()
    a = world.agencies
    owners = (a["fc-msa"], a["my-msa"], a["yx-msa"])
    police = (None, a["fc-police"], a["my-police"], a["yx-police"])
    procuratorates = (None, a["fc-proc"], a["yx-proc"])
    transferred = (None, world.t.replace(tzinfo=SHANGHAI))
    officer = world.user("fc-msa", "case_officer")
    for n, (owner, organ, proc, sent) in enumerate(
        itertools.product(owners, police, procuratorates, transferred)
    ):
        Referral.objects.create(
            reference=f"G-{n}",
            kind="criminal_transfer",
            title=f"generated {n}",
            agency=owner,
            police_agency=organ,
            procuratorate=proc,
            case_officer=officer,
            transferred_at=sent,
        )
    users = [*User.objects.all(), User(username="no-agency"), AnonymousUser()]
    return world, list(Referral.objects.all()), users


def test_predicate_and_filter_agree_for_every_user_and_referral(generated):
    _world, referrals, users = generated
    assert len(referrals) == 72
    for user in users:
        by_filter = set(access.referrals_visible_to(user).values_list("pk", flat=True))
        by_predicate = {r.pk for r in referrals if access.may_view(user, r)}
        assert by_filter == by_predicate, user


def test_rule_matches_the_law_for_each_side(generated):
    world, referrals, _users = generated
    police = world.user("fc-police", "police_intake")
    seen = [r for r in referrals if access.may_view(police, r)]
    # The police see a case once it has been transferred to them, never before.
    assert seen and all(r.transferred_at and r.police_agency == police.agency for r in seen)
    procurator = world.user("fc-proc", "procurator")
    assert {r.pk for r in referrals if access.may_view(procurator, r)} == {
        r.pk for r in referrals if r.procuratorate == procurator.agency
    }
    assert not any(access.may_view(User(username="x"), r) for r in referrals)


def test_a_foreign_referral_looks_exactly_like_a_missing_one(generated):
    world, referrals, _users = generated
    outsider = world.user("yx-msa", "case_officer")
    foreign = next(r for r in referrals if not access.may_view(outsider, r))
    missing_id = max(r.pk for r in referrals) + 1
    errors = []
    for referral_id in (foreign.pk, missing_id):
        with pytest.raises(NotFound) as caught:
            access.referral_get_for_user(user=outsider, referral_id=referral_id)
        errors.append(str(caught.value))
    assert errors[0] == errors[1]


def test_lock_door_reads_the_users_roles_with_the_row(world, django_assert_num_queries):
    """A request that has not read the user's roles gets them with the locked referral (one
    query for both), the same roles `role_codes` reads on its own; groups that are not roles
    are left out as there."""
    from django.contrib.auth.models import Group
    from django.db import transaction

    referral = world.new_referral()
    officer = world.user("fc-msa", "case_officer")
    officer.groups.add(Group.objects.create(name="not-a-role"))
    expected = User.objects.get(pk=officer.pk).role_codes
    assert "case_officer" in expected and "not-a-role" not in expected
    fresh = User.objects.get(pk=officer.pk)
    with transaction.atomic(), django_assert_num_queries(1):
        access.referral_lock_for_user(user=fresh, referral_id=referral.pk)
        assert fresh.role_codes == expected
        assert fresh.has_role("case_officer")


def test_lock_door_with_roles_still_hides_a_foreign_referral(world):
    referral = world.new_referral()
    foreign = User.objects.get(pk=world.user("yx-msa", "case_officer").pk)
    with pytest.raises(NotFound):
        access.referral_lock_for_user(user=foreign, referral_id=referral.pk)
