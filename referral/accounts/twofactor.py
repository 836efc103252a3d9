"""The second factor: who needs one, enrolment material (QR code, recovery codes), and which
device a token belongs to. Writes live in services.py."""

from base64 import b32encode

import segno
from django.conf import settings
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..models import SEPARATED_ADMIN_ROLES

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "totp"
RECOVERY_DEVICE_NAME = "recovery"


def second_factor_required(user) -> bool:
    """The three administrators always; everyone when XIANJIE_REQUIRE_2FA_FOR_ALL is set."""
    if settings.XIANJIE_REQUIRE_2FA_FOR_ALL or user.is_superuser:
        return True
    return any(user.has_role(role) for role in SEPARATED_ADMIN_ROLES)


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_totp_device(user) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled; one is made on first need."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def totp_secret(device: TOTPDevice) -> str:
    """The key as authenticator apps ask for it when typed in (base32, no padding)."""
    return b32encode(device.bin_key).decode().rstrip("=")


def totp_qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG QR code: rendered here, nothing fetched."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5)


def recovery_codes_issue(user) -> list[str]:
    """Replaces the user's recovery codes with new ones; each works once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def device_matching(user, token: str):
    """The confirmed device (authenticator, else recovery codes) that accepts `token`, or
    None. Each try counts against the device's throttle (django-otp doubles the wait after
    every failure)."""
    token = token.strip().replace(" ", "").lower()
    for device in devices_for_user(user, confirmed=True, for_verify=True):
        if device.verify_token(token):
            return device
    return None


def device_kind(device) -> str:
    return "recovery_code" if isinstance(device, StaticDevice) else "totp"
