"""A password someone else chose is replaced at the first login before anything else."""

import pytest

from referral.models import AuditEvent, Role
from referral.services.users import user_password_reset
from tests.security.conftest import PASSWORD, make_user


@pytest.fixture
def reset_officer(officer):
    officer.must_change_password = True
    officer.save()
    return officer


def _sign_in(client, user):
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})


@pytest.mark.parametrize("page", ["/xianjie/", "/xianjie/referrals/", "/admin/"])
def test_every_page_sends_to_the_password_change(client, reset_officer, page):
    _sign_in(client, reset_officer)
    response = client.get(page)
    assert response.status_code == 302 and response["Location"] == "/accounts/password_change/"
    text = client.get("/accounts/password_change/").content.decode()
    assert "您的密码由管理员设置" in text and "请先设置新密码" in text


def test_weak_new_password_is_refused_in_chinese(client, reset_officer):
    _sign_in(client, reset_officer)
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "abcdefgh", "new_password2": "abcdefgh"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "密码太短" in text and "类字符" in text
    reset_officer.refresh_from_db()
    assert reset_officer.must_change_password


def test_reusing_the_current_password_is_refused(client, reset_officer):
    _sign_in(client, reset_officer)
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response.status_code == 200 and "最近" in response.content.decode()


def test_change_clears_the_flag_keeps_the_session_and_is_audited_once(client, reset_officer):
    _sign_in(client, reset_officer)
    new = "Chun-Mian-Bu-Jue-Xiao-9"
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    reset_officer.refresh_from_db()
    assert not reset_officer.must_change_password and reset_officer.check_password(new)
    assert client.get("/xianjie/").status_code == 200
    (event,) = AuditEvent.objects.filter(action="password_change")
    assert event.actor == reset_officer
    assert new not in str(event.payload)


def test_logout_stays_reachable_during_a_forced_change(client, reset_officer):
    _sign_in(client, reset_officer)
    assert client.post("/accounts/logout/").status_code == 302
    assert AuditEvent.objects.filter(action="logout").count() == 1


def test_after_the_security_admin_s_reset_the_next_login_forces_a_change(client, officer):
    secadmin = make_user("sec", roles=[Role.SECURITY_ADMIN])
    user_password_reset(actor=secadmin, user_id=officer.pk, password="Given-By-Admin-1")
    client.post("/accounts/login/", {"username": officer.username, "password": "Given-By-Admin-1"})
    assert client.get("/xianjie/")["Location"] == "/accounts/password_change/"
