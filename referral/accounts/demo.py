"""The demo's administrators sign in with a second factor too: each gets an authenticator of a
known key (demo only), printed by seed_demo; `manage.py demo_totp` prints the current codes so
the demo is usable without a phone."""

import hashlib
from base64 import b32encode

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..models import SEPARATED_ADMIN_ROLES, User

DEMO_DEVICE_NAME = "demo"


def _demo_key(username: str) -> str:
    """A fixed 20-byte key per demo administrator (hex, as django-otp stores it)."""
    return hashlib.sha1(f"xianjie-demo-totp:{username}".encode()).hexdigest()


def demo_admins():
    return (
        User.objects.filter(groups__name__in=SEPARATED_ADMIN_ROLES, is_active=True)
        .distinct()
        .order_by("pk")
    )


def demo_second_factors_seed() -> list[TOTPDevice]:
    """Gives every demo administrator a confirmed authenticator of the known demo key."""
    devices = []
    for user in demo_admins():
        device, _ = TOTPDevice.objects.update_or_create(
            user=user,
            name=DEMO_DEVICE_NAME,
            defaults={"key": _demo_key(user.username), "confirmed": True},
        )
        devices.append(device)
    return devices


def demo_devices():
    return TOTPDevice.objects.filter(name=DEMO_DEVICE_NAME, confirmed=True).select_related("user")


def demo_secret(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode().rstrip("=")


def demo_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def demo_second_factors_text() -> str:
    """Seeds the demo administrators' authenticators and says how to sign in with them."""
    lines = [
        "\n管理员两步验证 Administrators' two-step verification (TOTP, demo keys only):",
        "  add the key to an authenticator app, or print the current codes with",
        "  `python manage.py demo_totp`",
    ]
    for device in demo_second_factors_seed():
        lines.append(f"  {device.user.username:<12} {demo_secret(device)}")
    return "\n".join(lines)
