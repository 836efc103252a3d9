"""Sessions end after 30 idle minutes and 12 hours at most; the user lands on the login page
with a Chinese message and the end is audited once."""

import time

import pytest

from referral.accounts.services import SESSION_LAST_SEEN, SESSION_STARTED
from referral.models import AuditEvent
from tests.security.conftest import PASSWORD


def _sign_in(client, officer):
    client.post("/accounts/login/", {"username": officer.username, "password": PASSWORD})
    assert client.get("/xianjie/").status_code == 200


def _age(client, key, seconds):
    session = client.session
    session[key] -= seconds
    session.save()


@pytest.mark.parametrize(
    ("key", "seconds", "reason"),
    [(SESSION_LAST_SEEN, 31 * 60, "idle"), (SESSION_STARTED, 12 * 3600 + 60, "max_age")],
)
def test_expired_session_lands_on_login_with_a_chinese_message(
    client, officer, key, seconds, reason
):
    _sign_in(client, officer)
    if key == SESSION_STARTED:
        _age(client, SESSION_LAST_SEEN, 0)
    _age(client, key, seconds)
    response = client.get("/xianjie/referrals/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/xianjie/referrals/"
    page = client.get(response["Location"]).content.decode()
    assert "您的会话已过期，请重新登录。" in page
    assert "_auth_user_id" not in client.session
    (event,) = AuditEvent.objects.filter(action="session_expired")
    assert event.actor == officer and event.payload["reason"] == reason


def test_active_session_lives_on(client, officer):
    _sign_in(client, officer)
    _age(client, SESSION_LAST_SEEN, 29 * 60)
    assert client.get("/xianjie/").status_code == 200
    assert client.session[SESSION_LAST_SEEN] >= int(time.time()) - 5  # marked used again
    assert not AuditEvent.objects.filter(action="session_expired").exists()


def test_idle_limit_is_a_setting(client, officer, settings):
    settings.XIANJIE_SESSION_IDLE_MINUTES = 5
    _sign_in(client, officer)
    _age(client, SESSION_LAST_SEEN, 6 * 60)
    assert client.get("/xianjie/").status_code == 302


def test_session_cookie_does_not_outlive_the_absolute_limit(settings):
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
    assert settings.XIANJIE_SESSION_IDLE_MINUTES == 30
