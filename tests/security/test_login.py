"""Logins, failures, lockout and unlock, each in the audit trail exactly once."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from referral.models import AuditEvent, Role
from referral.services.errors import PermissionDenied
from referral.services.users import login_lockouts_clear
from tests.security.conftest import PASSWORD
from tests.security.helpers import login_verified

LOGIN_PAGES = ["/accounts/login/", "/admin/login/"]


def _login(client, username, password, page="/accounts/login/", address="10.0.0.7"):
    return client.post(page, {"username": username, "password": password}, REMOTE_ADDR=address)


def _events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def test_login_is_audited_once_with_actor_and_address(client, officer):
    response = _login(client, officer.username, PASSWORD)
    assert response.status_code == 302
    (event,) = _events("login")
    assert event.actor == officer
    assert event.payload == {"ip": "10.0.0.7", "username": officer.username}


def test_failed_login_records_the_name_tried_and_address_never_the_password(client, officer):
    response = _login(client, officer.username, "Wrong-guess-123")
    assert response.status_code == 200
    assert "用户名" in response.content.decode()  # Django's error, in Chinese
    (event,) = _events("login_failed")
    assert event.actor is None
    assert event.payload == {"ip": "10.0.0.7", "username": officer.username, "locked_out": False}
    assert "Wrong-guess-123" not in str(AuditEvent.objects.values_list("payload", "reason"))
    assert _events("login") == []


def test_logout_is_audited_once(client, officer):
    _login(client, officer.username, PASSWORD)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    (event,) = _events("logout")
    assert event.actor == officer
    assert client.get("/").status_code == 302  # signed out


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_five_failures_lock_the_account_then_the_right_password_is_refused(client, officer, page):
    for _ in range(4):
        assert _login(client, officer.username, "Wrong-guess-123", page).status_code == 200
    locked = _login(client, officer.username, "Wrong-guess-123", page)
    assert locked.status_code == 429
    page_text = locked.content.decode()
    assert "登录已锁定" in page_text and "30 分钟后再试" in page_text
    refused = _login(client, officer.username, PASSWORD, page, address="10.0.0.8")
    assert refused.status_code == 429  # locked per account, whatever the address
    assert "_auth_user_id" not in client.session
    assert len(_events("login_failed")) == 6
    (lockout,) = _events("login_lockout")
    assert lockout.payload["username"] == officer.username
    assert lockout.payload["failures"] == 5
    assert _events("login_failed")[-1].payload["locked_out"] is True


def test_failures_from_one_address_lock_that_address_for_every_account(client, officer, world):
    for n in range(5):
        _login(client, f"nobody{n}", "Wrong-guess-123", address="10.9.9.9")
    assert _login(client, officer.username, PASSWORD, address="10.9.9.9").status_code == 429
    assert _login(client, officer.username, PASSWORD, address="10.0.0.1").status_code == 302


def test_lockout_ends_after_the_cool_off(client, officer, settings):
    from datetime import timedelta

    for _ in range(5):
        _login(client, officer.username, "Wrong-guess-123")
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=31)
    )
    assert _login(client, officer.username, PASSWORD).status_code == 302


def _lock(client, officer):
    for _ in range(5):
        _login(client, officer.username, "Wrong-guess-123")
    assert AccessAttempt.objects.exists()


def test_security_admin_unlocks_and_it_is_audited(client, officer, admins):
    _lock(client, officer)
    secadmin = admins[Role.SECURITY_ADMIN]
    admin_client = type(client)()
    login_verified(admin_client, secadmin)
    changelist = reverse("admin:referral_loginlockout_changelist")
    page = admin_client.get(changelist)
    text = page.content.decode()
    assert page.status_code == 200 and officer.username in text
    for label in ("登录锁定", "来源地址", "登录失败次数", "解除所选登录锁定"):
        assert label in text
    response = admin_client.post(
        changelist,
        {
            "action": "unlock",
            "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True)),
        },
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    (event,) = _events("login_unlock")
    assert event.actor == secadmin and event.payload["username"] == officer.username
    assert _login(client, officer.username, PASSWORD).status_code == 302


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN])
def test_other_administrators_cannot_unlock(client, officer, admins, role):
    _lock(client, officer)
    admin_client = type(client)()
    login_verified(admin_client, admins[role])
    changelist = reverse("admin:referral_loginlockout_changelist")
    assert admin_client.get(changelist).status_code == 403
    ids = list(AccessAttempt.objects.values_list("pk", flat=True))
    response = admin_client.post(changelist, {"action": "unlock", "_selected_action": ids})
    assert response.status_code == 403
    assert AccessAttempt.objects.count() == len(ids)
    assert _events("login_unlock") == []


def test_officer_cannot_reach_the_unlock_page(client, officer):
    officer.is_staff = True
    officer.save()
    client.force_login(officer)
    assert client.get(reverse("admin:referral_loginlockout_changelist")).status_code == 403


def test_unlock_service_denies_everyone_but_the_security_admin(officer, admins):
    for role in (Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN):
        with pytest.raises(PermissionDenied):
            login_lockouts_clear(actor=admins[role], attempt_ids=[])
    with pytest.raises(PermissionDenied):
        login_lockouts_clear(actor=officer, attempt_ids=[])


def test_admin_login_logout_and_password_change_are_the_site_s_own(client, admins):
    login_verified(client, admins[Role.SYSTEM_ADMIN])
    assert client.get("/admin/password_change/")["Location"] == reverse("password_change")
    assert client.post("/admin/logout/").status_code == 302
    (event,) = _events("logout")
    assert event.actor == admins[Role.SYSTEM_ADMIN]
    assert "登录" in client.get("/admin/login/").content.decode()
