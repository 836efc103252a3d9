"""Signing administrators in as the second factor demands, with django-otp's own TOTP."""

import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_token(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the authenticator shows now (or `steps_ahead` periods later: a device accepts
    each time step once, and one step of drift)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def login_verified(client, user) -> TOTPDevice:
    """Logs `user` in with a confirmed authenticator, the session already past the second
    factor (what the verification page leaves behind)."""
    device = TOTPDevice.objects.create(user=user, name="totp", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
