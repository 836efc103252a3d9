"""Signing in, out and changing one's own password or second factor: each a write plus its
audit event in one transaction. Passwords and tokens are never recorded."""

import time

from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.db import transaction
from django_otp import login as otp_login

from config.client_address import client_address

from ..models import User
from ..services.audit import audit_append
from ..timeutil import now
from .twofactor import device_kind, device_matching, recovery_codes_issue

# Session keys: when the login happened and when the session was last used (Unix seconds).
SESSION_STARTED = "xianjie_session_started"
SESSION_LAST_SEEN = "xianjie_session_last_seen"


def session_stamp(sender, request, user, **kwargs) -> None:
    """Starts the session's idle and absolute clocks at every login, whichever view performed
    it (connected to user_logged_in in referral/apps.py; middleware.py enforces them)."""
    request.session[SESSION_STARTED] = request.session[SESSION_LAST_SEEN] = int(time.time())


def _record(*, request, action: str, actor=None, **details) -> None:
    audit_append(
        action=action,
        at=now(),
        actor=actor,
        payload={"ip": client_address(request), **details},
    )


def login_complete(*, request, user: User) -> None:
    """The password step succeeded: starts the session and records the login."""
    with transaction.atomic():
        auth_login(request, user)  # stamps the session (session_stamp below)
        _record(request=request, action="login", actor=user, username=user.username)


def login_failure_record(*, request, username: str, locked_now: bool, refused: bool) -> None:
    """A failed password step: the name tried and the source address, never the password.
    `locked_now`: this failure reached the limit; `refused`: the account or address was
    already locked out, so no password was checked."""
    with transaction.atomic():
        _record(request=request, action="login_failed", username=username, locked_out=refused)
        if locked_now:
            _record(
                request=request,
                action="login_lockout",
                username=username,
                failures=getattr(request, "axes_failures_since_start", None),
            )


def logout_complete(*, request, action: str = "logout", **details) -> None:
    """Ends the session; `action` says why ("logout", or "session_expired" with a reason)."""
    user = request.user if request.user.is_authenticated else None
    with transaction.atomic():
        if user is not None:
            _record(request=request, action=action, actor=user, **details)
        auth_logout(request)


def password_change(*, request, user: User, password: str) -> None:
    """The holder sets a new (already validated) password; a forced change is then done."""
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        _record(request=request, action="password_change", actor=user)
    update_session_auth_hash(request, user)


def second_factor_enrol(*, request, device, token: str) -> list[str] | None:
    """Confirms the authenticator being enrolled when `token` is right, issues recovery codes
    (returned, to be shown once) and marks the session verified. None when the token is wrong."""
    user = request.user
    with transaction.atomic():
        if not device.verify_token(token.strip()):
            _record(request=request, action="2fa_failed", actor=user, stage="enrolment")
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = recovery_codes_issue(user)
        otp_login(request, device)
        _record(request=request, action="2fa_enrolled", actor=user, device="totp")
    return codes


def second_factor_verify(*, request, token: str) -> bool:
    """Checks a code from the authenticator or a recovery code; marks the session verified."""
    user = request.user
    with transaction.atomic():
        device = device_matching(user, token)
        if device is None:
            _record(request=request, action="2fa_failed", actor=user, stage="verification")
            return False
        otp_login(request, device)
        _record(request=request, action="2fa_verified", actor=user, device=device_kind(device))
    return True
