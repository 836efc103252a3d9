"""Settings shared by every environment, read from the process environment."""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

# --- Core -------------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=True)
DEVELOPMENT_SECRET_KEY = "insecure-dev-only-key-do-not-use-in-production"
SECRET_KEY = env("DJANGO_SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "pgtrigger",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "viewflow",
    "viewflow.workflow",
    "referral",
    "workflows",
]

MIDDLEWARE = [
    "config.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.locale.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "referral.accounts.middleware.SessionTimeoutMiddleware",
    "referral.accounts.middleware.AccountGateMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "viewflow.middleware.SiteMiddleware",
    # Last: turns a login refused for lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp 4), demo and production alike: scripts and style sheets
# only from this site, as files (templates hold no inline script, event handler or <style>:
# tests/config/test_csp.py). Style *attributes* stay allowed because viewflow's own page
# templates use them (base_page.html); an attribute sets presentation and runs nothing. No
# frames, plugins, foreign forms or <base>. Violations show in the browser console (the browser
# tests fail on any). The one inline style element allowed, by its hash, is the progress bar's
# that Turbo (in viewflow's bundle) adds on a slow page change.
TURBO_PROGRESS_BAR_STYLE = "'sha256-WAyOw4V+FqDc35lQPyRADLBWbuNK8ahvYEaQIYF1+Ps='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, TURBO_PROGRESS_BAR_STYLE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # BEGIN IMMEDIATE: writers queue at the start of a transaction instead of failing with
    # "database is locked" when two of them upgrade a read lock at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "referral.User"
# 等保 2.0 level 3 (identification and authentication): length, complexity, no personal data,
# no common password, no reuse of the last five. Messages are the project's own where Django's
# Chinese catalogue lags behind its source (referral/accounts/validators.py).
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "referral.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {
        "NAME": "referral.accounts.validators.CharacterClassesValidator",
        "OPTIONS": {"min_classes": 3},
    },
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "email")},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {
        "NAME": "referral.accounts.validators.PasswordHistoryValidator",
        "OPTIONS": {"remember": 5},
    },
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
# Without it logging out rendered django.contrib.admin's "logged out" page (admin comes first
# in INSTALLED_APPS), Django-admin branded, for officers who never see the admin.
LOGOUT_REDIRECT_URL = LOGIN_URL

# --- Sessions and second factor ---------------------------------------------------------------
# A session ends after XIANJIE_SESSION_IDLE_MINUTES without a request, and at the latest
# XIANJIE_SESSION_MAX_HOURS after the login (referral/accounts/middleware.py).
XIANJIE_SESSION_IDLE_MINUTES = env.int("XIANJIE_SESSION_IDLE_MINUTES", default=30)
XIANJIE_SESSION_MAX_HOURS = env.int("XIANJIE_SESSION_MAX_HOURS", default=12)
SESSION_COOKIE_AGE = XIANJIE_SESSION_MAX_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# The three administrators always use a second factor; everyone else when this is True
# (production turns it on).
XIANJIE_REQUIRE_2FA_FOR_ALL = env.bool("XIANJIE_REQUIRE_2FA_FOR_ALL", default=False)
OTP_TOTP_ISSUER = "Xianjie"

# --- Login lockout (django-axes) --------------------------------------------------------------
# XIANJIE_LOGIN_FAILURE_LIMIT failures for one account, or from one address, lock that account
# or address out for XIANJIE_LOGIN_COOLOFF_MINUTES; the security administrator can lift it early.
AXES_FAILURE_LIMIT = env.int("XIANJIE_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("XIANJIE_LOGIN_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Tries during a lockout neither extend it nor count again: the lockout is one audited event.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "config.client_address.client_address"
AXES_LOCKOUT_CALLABLE = "referral.accounts.views.locked_out"
# Logins, failures and lockouts go to the hash-chained audit trail instead (and its unlock page
# is the security administrator's, referral/admin.py).
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_ENABLE_ADMIN = False

# --- Logging ----------------------------------------------------------------------------------
# One line per record on stderr, each with the id of the request it belongs to.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.request_id.RequestIdFilter"}},
    "formatters": {
        "line": {
            "format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s",
        },
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "line",
        },
    },
    "root": {"handlers": ["stderr"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # Refused requests are answered; logging each one as a warning only adds noise.
        "django.request": {"level": "ERROR"},
        # WeasyPrint narrates every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes narrates every login at INFO; the audit trail records them (accounts/).
        "axes": {"level": "WARNING"},
    },
}

# --- Language and time ------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# The project catalogue, then Chinese for viewflow's own UI strings (its zh_Hans catalogue is
# empty).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_viewflow"]
USE_I18N = True
# Statutory periods are counted in Beijing time (《刑事诉讼法》第一百零五条: whole hours/days).
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# --- Files ------------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media"))

# Uploads are streamed: the size limit is enforced while reading (config/uploads.py), files go
# to a temporary file past 1 MB, and the form fields beside them may hold 1 MB in all.
FILE_UPLOAD_HANDLERS = [
    "config.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

# --- Background work --------------------------------------------------------------------------
# Without a broker, tasks run in-process (the embedded default); production sets a Redis URL.
# Issued documents render in the render task after their step commits (referral/tasks.py).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TIMEZONE = TIME_ZONE

# --- Xianjie ----------------------------------------------------------------------------------
# Copying the transfer letter to the same-level procuratorate is required by sector rules
# (2015 food-drug measures, Suzhou, Fujian), not by Decree 310 itself: deployments may turn it off.
XIANJIE_COPY_TRANSFER_TO_PROCURATORATE = env.bool(
    "XIANJIE_COPY_TRANSFER_TO_PROCURATORATE", default=True
)
# A document sent to another agency and not received after this many hours warns its sender
# (referral/services/service_records.py, run by the clock sweep); local practice [S].
XIANJIE_SERVICE_WARNING_HOURS = env.int("XIANJIE_SERVICE_WARNING_HOURS", default=48)
# --- E-mail -----------------------------------------------------------------------------------
# Notifications by e-mail (referral/services/notifications.py): printed to the console here and
# in the demo; production sends through SMTP (production.py).
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="xianjie@localhost")
# Users answering for a running clock are told this many hours before it runs out (practice,
# not law: set per deployment).
XIANJIE_CLOCK_WARNING_HOURS = env.int("XIANJIE_CLOCK_WARNING_HOURS", default=24)
# Reverse proxies in front of the application, each appending to X-Forwarded-For: the client
# address (the /verify/ rate limit's key, the lockout's, the audit's) is read through them
# (config/client_address.py).
# 0: served directly (the demo), the header is ignored.
XIANJIE_TRUSTED_PROXIES = env.int("XIANJIE_TRUSTED_PROXIES", default=0)
XIANJIE_MAX_UPLOAD_BYTES = env.int("XIANJIE_MAX_UPLOAD_BYTES", default=50 * 1024 * 1024)
# The public address printed (as a QR code) on every document for its verification page.
XIANJIE_PUBLIC_URL = env("XIANJIE_PUBLIC_URL", default="http://127.0.0.1:8000")
# The audit chain's key (HMAC-SHA256) and where its signed checkpoints are written: both outside
# the database, so whoever can write the database can neither re-hash the chain nor hide a cut
# tail (referral/services/audit.py). Production requires its own key and directory.
DEVELOPMENT_AUDIT_KEY = "development-audit-key-not-a-secret"
XIANJIE_AUDIT_KEY = env("XIANJIE_AUDIT_KEY", default=DEVELOPMENT_AUDIT_KEY)
XIANJIE_AUDIT_CHECKPOINT_DIR = env.path(
    "XIANJIE_AUDIT_CHECKPOINT_DIR", default=str(BASE_DIR / "var" / "audit-checkpoints")
)
# Called with a referral id after every committed step or creation, to move its task to the
# agency and role that act next (referral/services/base.py:after_commit_route).
XIANJIE_REFERRAL_ROUTER = "workflows.routing.referral_route"
# Draws an issued document's PDF (referral/services/rendering.py): the statutory layout with
# WeasyPrint; the test settings name the plain one-page PDF of referral/documents/plain.py.
XIANJIE_DOCUMENT_RENDERER = env(
    "XIANJIE_DOCUMENT_RENDERER", default="referral.documents.render.render_document"
)
# Working days the attending agencies have to confirm or comment on circulated joint-meeting
# minutes (referral/services/meetings.py). No national text sets it; local rules do [S].
XIANJIE_MEETING_CONFIRM_WORKING_DAYS = env.int("XIANJIE_MEETING_CONFIRM_WORKING_DAYS", default=5)
CELERY_BEAT_SCHEDULE = {
    # Overdue is a state the system records; production sweeps every five minutes.
    "sweep-clocks": {"task": "referral.sweep_clocks", "schedule": 300.0},
    # Documents whose render task was lost are queued again (referral/tasks.py).
    "requeue-document-renders": {"task": "referral.requeue_document_renders", "schedule": 600.0},
    # A cut or re-hashed tail is detectable back to the last checkpoint: at most 15 minutes.
    "audit-checkpoint": {"task": "referral.audit_checkpoint", "schedule": 900.0},
}
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Task permissions: a role within one agency (see workflows/auth.py).
    "workflows.auth.RoleAgencyBackend",
]
