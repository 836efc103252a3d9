"""Separated administrators (三员分立): who may reset whose password, move whom to another
agency, grant roles and open accounts, through the services and the admin. Every cell of the
matrix is either allowed or denied, and every allowed change is audited."""

import pytest
from django.urls import reverse

from referral.models import AuditEvent, Role, User
from referral.services.errors import InvalidInput, PermissionDenied
from referral.services.users import (
    user_create,
    user_password_reset,
    user_set_access,
)
from tests.security.conftest import make_user
from tests.security.helpers import login_verified

ACTORS = [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.AGENCY_HEAD]
TARGETS = ["officer", Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, "self"]
NEW_PASSWORD = "Temporary-Pass-42"


@pytest.fixture
def cast(world):
    """Actors and targets: one account per administrator role, a second security
    administrator as a target, and a case officer of Fucheng's market bureau."""
    fc = world.agencies["fc-msa"]
    people = {
        Role.AGENCY_HEAD: make_user("head", roles=[Role.AGENCY_HEAD], agency=fc, is_staff=True),
        "officer": make_user("officer", roles=[Role.CASE_OFFICER], agency=fc),
    }
    for role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        people[role] = make_user(f"actor-{role}", roles=[role], is_staff=True)
        people[f"target-{role}"] = make_user(f"target-{role}", roles=[role], is_staff=True)
    return people


def _target(cast, actor_role, kind):
    if kind == "self":
        return cast[actor_role]
    if kind == "officer":
        return cast["officer"]
    return cast[f"target-{kind}"]


def _reset_allowed(actor_role, kind):
    return actor_role == Role.SECURITY_ADMIN and kind == "officer"


@pytest.mark.parametrize("kind", TARGETS)
@pytest.mark.parametrize("actor_role", ACTORS)
def test_password_reset_matrix_in_the_service(cast, actor_role, kind):
    actor, target = cast[actor_role], _target(cast, actor_role, kind)
    if _reset_allowed(actor_role, kind):
        user_password_reset(actor=actor, user_id=target.pk, password=NEW_PASSWORD)
        target.refresh_from_db()
        assert target.check_password(NEW_PASSWORD) and target.must_change_password
        (event,) = AuditEvent.objects.filter(action="password_reset")
        assert event.actor == actor and event.payload["username"] == target.username
        assert NEW_PASSWORD not in str(event.payload)
    else:
        with pytest.raises(PermissionDenied):
            user_password_reset(actor=actor, user_id=target.pk, password=NEW_PASSWORD)
        target.refresh_from_db()
        assert not target.check_password(NEW_PASSWORD) and not target.must_change_password
        assert not AuditEvent.objects.filter(action="password_reset").exists()


@pytest.mark.parametrize("kind", TARGETS)
@pytest.mark.parametrize("actor_role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_password_reset_matrix_in_the_admin(client, cast, actor_role, kind):
    actor, target = cast[actor_role], _target(cast, actor_role, kind)
    login_verified(client, actor)
    url = reverse("admin:auth_user_password_change", args=[target.pk])
    allowed = _reset_allowed(actor_role, kind)
    assert client.get(url).status_code == (200 if allowed else 403)
    response = client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == (302 if allowed else 403)
    target.refresh_from_db()
    assert target.check_password(NEW_PASSWORD) is allowed
    assert AuditEvent.objects.filter(action="password_reset").count() == int(allowed)


def test_admin_reset_applies_the_password_rules_in_chinese(client, cast):
    login_verified(client, cast[Role.SECURITY_ADMIN])
    url = reverse("admin:auth_user_password_change", args=[cast["officer"].pk])
    response = client.post(url, {"password1": "short", "password2": "short"})
    assert response.status_code == 200 and "密码太短" in response.content.decode()
    assert not AuditEvent.objects.filter(action="password_reset").exists()


def _access_change(kind):
    """A real change for the target: an officer also becomes agency head; an administrator
    loses the administrator role."""
    return [Role.CASE_OFFICER, Role.AGENCY_HEAD] if kind == "officer" else []


@pytest.mark.parametrize("kind", TARGETS)
@pytest.mark.parametrize("actor_role", ACTORS)
def test_role_change_matrix(cast, actor_role, kind):
    actor, target = cast[actor_role], _target(cast, actor_role, kind)
    before = set(target.role_codes)
    allowed = actor_role == Role.SECURITY_ADMIN and kind != "self"
    if allowed:
        user_set_access(actor=actor, user_id=target.pk, roles=_access_change(kind))
        assert User.objects.get(pk=target.pk).role_codes == set(_access_change(kind))
        assert AuditEvent.objects.filter(action="set_roles", actor=actor).count() == 1
    else:
        with pytest.raises(PermissionDenied):
            user_set_access(actor=actor, user_id=target.pk, roles=_access_change(kind))
        assert User.objects.get(pk=target.pk).role_codes == before
        assert not AuditEvent.objects.filter(action="set_roles").exists()


@pytest.mark.parametrize("actor_role", ACTORS)
def test_agency_move_matrix(cast, world, actor_role):
    actor, officer = cast[actor_role], cast["officer"]
    other = world.agencies["my-msa"]
    if actor_role == Role.SECURITY_ADMIN:
        user_set_access(
            actor=actor, user_id=officer.pk, roles=[Role.CASE_OFFICER], agency_id=other.pk
        )
        assert User.objects.get(pk=officer.pk).agency == other
        (event,) = AuditEvent.objects.filter(action="set_agency")
        assert event.payload["before"] == "fc-msa" and event.payload["after"] == "my-msa"
    else:
        with pytest.raises(PermissionDenied):
            user_set_access(
                actor=actor, user_id=officer.pk, roles=[Role.CASE_OFFICER], agency_id=other.pk
            )
        assert User.objects.get(pk=officer.pk).agency == world.agencies["fc-msa"]


def test_move_to_an_agency_of_another_kind_rechecks_the_roles(cast, world):
    officer, police = cast["officer"], world.agencies["fc-police"]
    with pytest.raises(InvalidInput):
        user_set_access(
            actor=cast[Role.SECURITY_ADMIN],
            user_id=officer.pk,
            roles=[Role.CASE_OFFICER],
            agency_id=police.pk,
        )
    assert User.objects.get(pk=officer.pk).agency == world.agencies["fc-msa"]
    assert not AuditEvent.objects.filter(action__in=["set_agency", "set_roles"]).exists()
    user_set_access(
        actor=cast[Role.SECURITY_ADMIN],
        user_id=officer.pk,
        roles=[Role.POLICE_INTAKE],
        agency_id=police.pk,
    )
    assert User.objects.get(pk=officer.pk).role_codes == {Role.POLICE_INTAKE}


@pytest.mark.parametrize("actor_role", ACTORS)
def test_account_opening_matrix(cast, actor_role):
    if actor_role == Role.SYSTEM_ADMIN:
        user = user_create(actor=cast[actor_role], username="newcomer", full_name="新人")
        assert user.agency is None and not user.has_usable_password()
        assert user.must_change_password and user.role_codes == frozenset()
        assert AuditEvent.objects.filter(action="user_create").count() == 1
    else:
        with pytest.raises(PermissionDenied):
            user_create(actor=cast[actor_role], username="newcomer")
        assert not User.objects.filter(username="newcomer").exists()


def test_system_admin_cannot_move_anyone_through_the_admin(client, cast, world):
    officer = cast["officer"]
    login_verified(client, cast[Role.SYSTEM_ADMIN])
    url = reverse("admin:referral_user_change", args=[officer.pk])
    form = client.get(url).content.decode()
    assert 'name="agency"' not in form and 'name="roles"' not in form
    assert 'name="password"' not in form
    response = client.post(
        url,
        {
            "full_name": "改名",
            "email": "",
            "is_active": "on",
            "agency": world.agencies["yx-msa"].pk,
            "roles": [Role.AGENCY_HEAD],
        },
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.full_name == "改名"
    assert officer.agency == world.agencies["fc-msa"]
    assert officer.role_codes == {Role.CASE_OFFICER}
    (event,) = AuditEvent.objects.filter(action="admin_change")
    assert event.payload["model"] == "referral.User"


def test_security_admin_moves_and_regrants_through_the_admin(client, cast, world):
    officer = cast["officer"]
    login_verified(client, cast[Role.SECURITY_ADMIN])
    url = reverse("admin:referral_user_change", args=[officer.pk])
    police = world.agencies["fc-police"].pk
    refused = client.post(url, {"agency": police, "roles": [Role.CASE_OFFICER]})
    assert refused.status_code == 200 and "不设“承办人”角色" in refused.content.decode()
    done = client.post(url, {"agency": police, "roles": [Role.POLICE_REVIEWER]})
    assert done.status_code == 302
    officer.refresh_from_db()
    assert officer.agency_id == police and officer.role_codes == {Role.POLICE_REVIEWER}
    assert [e.action for e in AuditEvent.objects.order_by("seq")] == ["set_agency", "set_roles"]


def test_system_admin_opens_accounts_through_the_admin(client, cast):
    login_verified(client, cast[Role.SYSTEM_ADMIN])
    response = client.post(
        reverse("admin:referral_user_add"),
        {"username": "newcomer", "full_name": "新人", "email": ""},
    )
    assert response.status_code == 302
    user = User.objects.get(username="newcomer")
    assert user.agency is None and not user.has_usable_password() and user.must_change_password
    assert AuditEvent.objects.filter(action="user_create").count() == 1


@pytest.mark.parametrize("role", [Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_only_the_system_admin_opens_accounts_through_the_admin(client, cast, role):
    login_verified(client, cast[role])
    response = client.post(reverse("admin:referral_user_add"), {"username": "newcomer"})
    assert response.status_code == 403
    assert not User.objects.filter(username="newcomer").exists()


def test_agency_change_by_system_admin_is_audited(client, cast, world):
    login_verified(client, cast[Role.SYSTEM_ADMIN])
    agency = world.agencies["fc-msa"]
    url = reverse("admin:referral_agency_change", args=[agency.pk])
    data = {
        "code": agency.code,
        "name": "涪城区市场监督管理局",
        "short_name": agency.short_name,
        "kind": agency.kind,
        "level": agency.level,
        "region_code": agency.region_code,
        "default_receiver": "on",
        "document_number_pattern": agency.document_number_pattern,
    }
    assert client.post(url, data).status_code == 302
    (event,) = AuditEvent.objects.filter(action="admin_change")
    assert event.payload["model"] == "referral.Agency"


def test_second_factor_devices_are_not_in_the_admin(client, cast):
    login_verified(client, cast[Role.SECURITY_ADMIN])
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/otp_static/staticdevice/").status_code == 404


def test_profile_page_and_avatar_upload_are_gone(client, cast):
    client.force_login(cast["officer"])
    assert client.get("/accounts/profile/").status_code == 404
    assert client.post("/accounts/profile/", {"avatar": "x"}).status_code == 404
    assert client.get("/accounts/password_reset/").status_code == 404


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN])
def test_an_administrator_cannot_be_given_an_agency(cast, world, role):
    """An agency is access to its cases: an administrator placed in one would read them."""
    target = cast[f"target-{role}"]
    with pytest.raises(InvalidInput, match="不属于任何机关"):
        user_set_access(
            actor=cast[Role.SECURITY_ADMIN],
            user_id=target.pk,
            roles=[role],
            agency_id=world.agencies["fc-msa"].pk,
        )
    assert User.objects.get(pk=target.pk).agency is None
