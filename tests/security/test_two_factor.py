"""Second factor: the three administrators always, everyone when the setting says so. Tokens
are computed with django-otp's own TOTP, never mocked."""

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from referral.accounts.twofactor import recovery_codes_issue
from referral.models import AuditEvent, Role
from tests.security.conftest import PASSWORD
from tests.security.helpers import login_verified, totp_token

ADMIN_ROLES = [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _password_step(client, user):
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def _actions(user=None):
    events = AuditEvent.objects.order_by("seq")
    if user is not None:
        events = events.filter(actor=user)
    return list(events.values_list("action", flat=True))


@pytest.mark.parametrize("role", ADMIN_ROLES)
@pytest.mark.parametrize(
    "page", ["/", "/admin/", "/admin/referral/auditevent/", "/xianjie/referrals/"]
)
def test_administrator_without_device_is_sent_to_enrolment_from_everywhere(
    client, admins, role, page
):
    _password_step(client, admins[role])
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/setup/?next=")


def test_enrolment_then_verification_for_an_administrator(admins):
    user = admins[Role.AUDIT_ADMIN]
    client = Client()
    _password_step(client, user)
    setup = client.get("/accounts/two-factor/setup/?next=/admin/")
    text = setup.content.decode()
    assert setup.status_code == 200 and "设置两步验证" in text
    assert 'src="data:image/svg+xml' in text  # QR code inline, nothing fetched
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(
        "/accounts/two-factor/setup/", {"token": totp_token(device), "next": "/admin/"}
    )
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", response.content.decode())
    assert len(codes) == 10
    assert client.get("/admin/").status_code == 200

    client.post("/accounts/logout/")
    _password_step(client, user)
    assert client.get("/admin/")["Location"].startswith("/accounts/two-factor/?next=")
    device.refresh_from_db()
    # The enrolment's code is spent: the authenticator's next one (one step of drift allowed).
    response = client.post(
        "/accounts/two-factor/", {"token": totp_token(device, steps_ahead=1), "next": "/admin/"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert _actions(user) == ["login", "2fa_enrolled", "logout", "login", "2fa_verified"]


def test_wrong_enrolment_code_is_refused_and_audited(client, admins):
    user = admins[Role.SYSTEM_ADMIN]
    _password_step(client, user)
    client.get("/accounts/two-factor/setup/")
    response = client.post("/accounts/two-factor/setup/", {"token": "000000"})
    text = response.content.decode()
    assert response.status_code == 200 and "验证码不正确" in text
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert _actions(user) == ["login", "2fa_failed"]
    assert AuditEvent.objects.get(action="2fa_failed").payload["stage"] == "enrolment"
    assert client.get("/admin/").status_code == 302


def _enrolled(user):
    device = TOTPDevice.objects.create(user=user, name="totp", confirmed=True)

    return device, recovery_codes_issue(user)


def test_wrong_code_at_verification_is_refused_and_audited(client, admins):
    user = admins[Role.SECURITY_ADMIN]
    _enrolled(user)
    _password_step(client, user)
    response = client.post("/accounts/two-factor/", {"token": "123456"})
    assert response.status_code == 200 and "验证码不正确或已使用" in response.content.decode()
    assert client.get("/admin/").status_code == 302
    (failed,) = AuditEvent.objects.filter(action="2fa_failed")
    assert failed.actor == user and failed.payload["stage"] == "verification"


def test_a_recovery_code_works_once(admins):
    user = admins[Role.SECURITY_ADMIN]
    _device, codes = _enrolled(user)
    first = Client()
    _password_step(first, user)
    assert first.post("/accounts/two-factor/", {"token": codes[0]}).status_code == 302
    assert first.get("/admin/").status_code == 200
    assert AuditEvent.objects.get(action="2fa_verified").payload["device"] == "recovery_code"
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    second = Client()
    _password_step(second, user)
    assert second.post("/accounts/two-factor/", {"token": codes[0]}).status_code == 200
    assert second.get("/admin/").status_code == 302


def test_officer_needs_no_second_factor_by_default(client, officer):
    _password_step(client, officer)
    assert client.get("/xianjie/").status_code == 200


def test_everyone_needs_it_when_the_setting_says_so(client, officer, settings):
    settings.XIANJIE_REQUIRE_2FA_FOR_ALL = True
    _password_step(client, officer)
    response = client.get("/")
    assert response["Location"].startswith("/accounts/two-factor/setup/")


def test_production_requires_it_for_everyone():
    from pathlib import Path

    source = Path("config/settings/production.py").read_text()
    assert "XIANJIE_REQUIRE_2FA_FOR_ALL = True" in source


def test_verified_session_of_an_admin_reaches_only_its_own_admin_pages(client, admins):
    login_verified(client, admins[Role.AUDIT_ADMIN])
    assert client.get("/admin/referral/auditevent/").status_code == 200
    assert client.get("/admin/referral/agency/").status_code == 403


def test_pages_of_the_second_factor_are_chinese(client, admins):
    user = admins[Role.SYSTEM_ADMIN]
    _password_step(client, user)
    text = client.get("/accounts/two-factor/setup/").content.decode()
    for phrase in ("两步验证", "身份验证器", "动态验证码", "退出登录"):
        assert phrase in text
    _enrolled(admins[Role.SECURITY_ADMIN])
    other = Client()
    _password_step(other, admins[Role.SECURITY_ADMIN])
    text = other.get("/accounts/two-factor/").content.decode()
    assert "两步验证" in text and "验证" in text
