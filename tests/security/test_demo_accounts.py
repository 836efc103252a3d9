"""The demo stays usable under the new rules: its password passes them, and its administrators
sign in with the published demo authenticator keys."""

import pytest
from django.contrib.auth import password_validation
from django.core.management import CommandError, call_command
from django.test import Client

from referral.accounts.demo import demo_code, demo_second_factors_text
from referral.demo import DEMO_PASSWORD, FIXTURES, seed_users
from referral.models import AuditEvent, User


@pytest.fixture
def demo_users(db):
    call_command("loaddata", str(FIXTURES / "agencies.json"), verbosity=0)
    return seed_users(FIXTURES / "demo_users.json")


def test_demo_password_meets_the_rules_for_every_demo_user(demo_users):
    for user in demo_users:
        # As a new account of that name: the saved one has this password in its history.
        fresh = User(username=user.username, full_name=user.full_name, email=user.email)
        password_validation.validate_password(DEMO_PASSWORD, fresh)  # raises if refused
        assert not user.must_change_password


def test_demo_administrators_sign_in_with_the_printed_key(demo_users, settings):
    text = demo_second_factors_text()
    for username in ("sysadmin", "secadmin", "auditadmin"):
        assert username in text
    client = Client()
    client.post("/accounts/login/", {"username": "secadmin", "password": DEMO_PASSWORD})
    assert client.get("/admin/")["Location"].startswith("/accounts/two-factor/?next=")
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username="secadmin", name="demo")
    response = client.post("/accounts/two-factor/", {"token": demo_code(device)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert AuditEvent.objects.filter(action="2fa_verified").count() == 1


def test_demo_officer_signs_in_without_a_second_step(demo_users):
    client = Client()
    client.post("/accounts/login/", {"username": "fc_officer", "password": DEMO_PASSWORD})
    assert client.get("/xianjie/").status_code == 200


def test_demo_totp_prints_codes_only_in_the_demo(demo_users, settings, capsys):
    demo_second_factors_text()
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("demo_totp")
    settings.DEBUG = True
    call_command("demo_totp")
    assert "auditadmin" in capsys.readouterr().out
