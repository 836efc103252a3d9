"""Roles: granted by the security administrator, three administrators kept apart."""

import pytest

from referral.models import AuditEvent, Role
from referral.services.errors import InvalidInput, PermissionDenied
from referral.services.users import user_set_roles
from tests.factories import UserFactory


@pytest.fixture
def secadmin(db):
    return UserFactory(username="secadmin", agency=None, roles=[Role.SECURITY_ADMIN])


def test_security_admin_grants_a_role_and_it_is_audited(world, secadmin):
    target = world.user("fc-msa", Role.CASE_OFFICER)
    user_set_roles(actor=secadmin, user_id=target.pk, roles=[Role.CASE_OFFICER, Role.AGENCY_HEAD])
    target.refresh_from_db()
    assert target.role_codes == {Role.CASE_OFFICER, Role.AGENCY_HEAD}
    event = AuditEvent.objects.get(action="set_roles")
    assert event.payload["after"] == [Role.AGENCY_HEAD, Role.CASE_OFFICER]
    assert event.actor == secadmin


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN, Role.AGENCY_HEAD])
def test_granting_by_anyone_else_is_denied(world, role):
    actor = UserFactory(
        username=f"x-{role}",
        agency=world.agencies["fc-msa"] if role == Role.AGENCY_HEAD else None,
        roles=[role],
    )
    with pytest.raises(PermissionDenied):
        user_set_roles(
            actor=actor,
            user_id=world.user("fc-msa", Role.CASE_OFFICER).pk,
            roles=[Role.AGENCY_HEAD],
        )


def test_two_administrator_roles_in_one_person_are_refused(world, secadmin):
    target = UserFactory(username="admin2", agency=None)
    with pytest.raises(InvalidInput, match="不同"):
        user_set_roles(
            actor=secadmin, user_id=target.pk, roles=[Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN]
        )
    assert target.groups.count() == 0


def test_security_admin_cannot_change_own_roles(secadmin):
    with pytest.raises(PermissionDenied):
        user_set_roles(
            actor=secadmin, user_id=secadmin.pk, roles=[Role.SECURITY_ADMIN, Role.AUDIT_ADMIN]
        )


def test_police_role_in_a_market_supervision_bureau_is_refused(world, secadmin):
    with pytest.raises(InvalidInput):
        user_set_roles(
            actor=secadmin,
            user_id=world.user("fc-msa", Role.CASE_OFFICER).pk,
            roles=[Role.POLICE_REVIEWER],
        )


def test_administrator_cannot_also_handle_cases(world, secadmin):
    with pytest.raises(InvalidInput):
        user_set_roles(
            actor=secadmin,
            user_id=world.user("fc-msa", Role.CASE_OFFICER).pk,
            roles=[Role.CASE_OFFICER, Role.SYSTEM_ADMIN],
        )
