"""What a signed-in request must pass before it reaches a page: a live session, then the
second factor, then a password of the user's own choosing."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .services import SESSION_LAST_SEEN, SESSION_STARTED, logout_complete
from .twofactor import has_second_factor, second_factor_required

# The last use is written at most once a minute: a session write per request would cost an
# UPDATE on every page for a precision nobody needs.
LAST_SEEN_RESOLUTION = 60


class SessionTimeoutMiddleware:
    """Ends a session idle for XIANJIE_SESSION_IDLE_MINUTES or older than
    XIANJIE_SESSION_MAX_HOURS, and sends the user to the login page saying why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            expired = self._expiry(request)
            if expired:
                logout_complete(request=request, action="session_expired", reason=expired)
                messages.info(request, _("Your session has expired. Please log in again."))
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)

    @staticmethod
    def _expiry(request) -> str:
        """ "idle", "max_age", or "" while the session is alive (then marks it used)."""
        moment = int(time.time())
        session = request.session
        if SESSION_STARTED not in session:
            session[SESSION_STARTED] = moment
        started = session[SESSION_STARTED]
        last_seen = session.get(SESSION_LAST_SEEN, moment)
        if moment - last_seen > settings.XIANJIE_SESSION_IDLE_MINUTES * 60:
            return "idle"
        if moment - started > settings.XIANJIE_SESSION_MAX_HOURS * 3600:
            return "max_age"
        if moment - last_seen >= LAST_SEEN_RESOLUTION or SESSION_LAST_SEEN not in session:
            session[SESSION_LAST_SEEN] = moment
        return ""


# Pages a signed-in user reaches before finishing the second factor or a forced change.
SECOND_FACTOR_PAGES = frozenset({"two_factor_setup", "two_factor_verify", "logout"})
PASSWORD_CHANGE_PAGES = frozenset({"password_change", "logout"})
ALWAYS_OPEN = frozenset({"set_language", "javascript-catalog"})


class AccountGateMiddleware:
    """Nothing of the site, the admin included, is reachable by a user who owes a second
    factor (enrolment when there is no authenticator yet, else verification) or a new password;
    the user is sent there and brought back afterwards."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        name = request.resolver_match.view_name if request.resolver_match else None
        if name in ALWAYS_OPEN or request.path_info.startswith("/" + settings.STATIC_URL):
            return None
        if second_factor_required(user) and not user.is_verified():
            target = "two_factor_verify" if has_second_factor(user) else "two_factor_setup"
            if name in SECOND_FACTOR_PAGES:
                return None
            return redirect_to_login(request.get_full_path(), reverse(target))
        if user.must_change_password and name not in PASSWORD_CHANGE_PAGES:
            messages.warning(request, _("Please choose a new password before you continue."))
            return redirect("password_change")
        return None
