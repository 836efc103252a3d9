"""Production settings: refuse to start unless every secret and service is configured.

Everything missing or wrong is reported at once, in one message and without a traceback, so an
operator fixes the environment in one go. Required:
DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL (PostgreSQL), CELERY_BROKER_URL (Redis),
DJANGO_CACHE_URL (Redis: the /verify/ rate limit must be shared by every worker),
XIANJIE_PUBLIC_URL (https: it is printed under the QR code of every frozen document),
XIANJIE_AUDIT_KEY and XIANJIE_AUDIT_CHECKPOINT_DIR (the audit chain's key and the place of its
signed checkpoints, both outside the database: referral/services/audit.py).
Optional: EMAIL_URL (smtp+tls://user:password@host:587) and DJANGO_DEFAULT_FROM_EMAIL for the
notification e-mails; XIANJIE_TRUSTED_PROXIES, the reverse proxies in front of the application
(default 1, the one terminating TLS), through which the client address is read
(config/client_address.py).
"""

import sys
from urllib.parse import urlsplit

from .base import *  # noqa: F403
from .base import DATABASES, DEVELOPMENT_AUDIT_KEY, DEVELOPMENT_SECRET_KEY, env

DEBUG = False
_problems: list[str] = []


def _require(name: str, check=None, why: str = "") -> str:
    value = env(name, default="").strip()
    if not value:
        _problems.append(f"{name} is not set")
    elif check is not None and not check(value):
        _problems.append(f"{name}: {why}")
    return value


def _scheme_in(*schemes):
    return lambda url: urlsplit(url).scheme in schemes and bool(urlsplit(url).hostname)


SECRET_KEY = _require(
    "DJANGO_SECRET_KEY",
    lambda key: len(key) >= 50 and key != DEVELOPMENT_SECRET_KEY,
    "must be a random value of at least 50 characters, not the development key",
)
_hosts = _require("DJANGO_ALLOWED_HOSTS")
ALLOWED_HOSTS = [h.strip() for h in _hosts.split(",") if h.strip()]
if _hosts and not ALLOWED_HOSTS:
    _problems.append("DJANGO_ALLOWED_HOSTS names no host")
_require(
    "DATABASE_URL",
    lambda _url: DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql",
    "must point to PostgreSQL (postgres://...)",
)
CELERY_BROKER_URL = _require(
    "CELERY_BROKER_URL", _scheme_in("redis", "rediss"), "must be a Redis URL (redis://...)"
)
_cache_url = _require(
    "DJANGO_CACHE_URL", _scheme_in("redis", "rediss"), "must be a Redis URL (redis://...)"
)
XIANJIE_PUBLIC_URL = _require(
    "XIANJIE_PUBLIC_URL",
    _scheme_in("https"),
    "must be the https address users reach (https://host), printed on every document",
)
XIANJIE_AUDIT_KEY = _require(
    "XIANJIE_AUDIT_KEY",
    lambda key: len(key) >= 32 and key != DEVELOPMENT_AUDIT_KEY,
    "must be a random value of at least 32 characters, kept outside the database",
)
XIANJIE_AUDIT_CHECKPOINT_DIR = _require(
    "XIANJIE_AUDIT_CHECKPOINT_DIR",
    lambda path: path.startswith("/"),
    "must be an absolute path on storage the database administrators cannot write",
)

if _problems:
    # SystemExit prints the message alone: no traceback, exit status 1.
    sys.exit(
        "Xianjie cannot start in production; fix these environment variables:\n  - "
        + "\n  - ".join(_problems)
    )

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
}
CELERY_TASK_ALWAYS_EAGER = False
# Issued documents are laid out as the statutes require, whatever the environment says.
XIANJIE_DOCUMENT_RENDERER = "referral.documents.render.render_document"

# --- HTTPS behind the proxy -------------------------------------------------------------------
# The proxy terminates TLS and says so in X-Forwarded-Proto; it must strip that header from
# clients' requests.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
XIANJIE_TRUSTED_PROXIES = env.int("XIANJIE_TRUSTED_PROXIES", default=1)
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preload commits every subdomain to HTTPS for good; a deployment that cannot sets it False.
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=True)
CSRF_TRUSTED_ORIGINS = [
    f"https://{urlsplit(XIANJIE_PUBLIC_URL).netloc}",
    *env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[]),
]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Authentication ---------------------------------------------------------------------------
# Everyone signs in with a second factor in production, not only the three administrators.
XIANJIE_REQUIRE_2FA_FOR_ALL = True

# --- E-mail -----------------------------------------------------------------------------------
# Notifications go out through the SMTP server in EMAIL_URL (smtp+tls://user:password@host:587),
# from DJANGO_DEFAULT_FROM_EMAIL; without EMAIL_URL no mail is sent (the app still shows them).
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
SERVER_EMAIL = DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="xianjie@localhost")

# --- Who hears of server errors ---------------------------------------------------------------
# DJANGO_ADMINS="Name <mail@example.org>, ..." (optional); errors always go to the log as well.
ADMINS = [a.strip() for a in env("DJANGO_ADMINS", default="").split(",") if a.strip()]
