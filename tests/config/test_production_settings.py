"""Production refuses to start until every variable is right, naming all of them at once and
without a traceback; configured, it passes Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
GOOD = {
    "DJANGO_SECRET_KEY": "k" * 20 + "8f2a0c9d1e7b3a6f5c4d2e1f0a9b8c7d6e5f4a3b",
    "DJANGO_ALLOWED_HOSTS": "xianjie.example.gov.cn",
    "DATABASE_URL": "postgres://xianjie@127.0.0.1:5432/xianjie",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "DJANGO_CACHE_URL": "redis://127.0.0.1:6379/1",
    "XIANJIE_PUBLIC_URL": "https://xianjie.example.gov.cn",
    "XIANJIE_AUDIT_KEY": "a" * 8 + "0f9e8d7c6b5a49382716f5e4d3c2b1a0",
    "XIANJIE_AUDIT_CHECKPOINT_DIR": "/var/lib/xianjie/audit-checkpoints",
}


def _run(args, **variables):
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings.production"}
    env.update(variables)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def _load(**variables):
    return _run(["-c", "from django.conf import settings; settings.DEBUG"], **variables)


def test_every_missing_variable_is_named_at_once_without_a_traceback():
    result = _load()
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for name in GOOD:
        assert f"{name} is not set" in result.stderr


def test_wrong_values_are_refused_with_the_reason():
    result = _load(
        **{
            **GOOD,
            "DJANGO_SECRET_KEY": "short",
            "DATABASE_URL": "sqlite:////tmp/x.sqlite3",
            "CELERY_BROKER_URL": "memory://",
            "DJANGO_CACHE_URL": "locmem://",
            "XIANJIE_PUBLIC_URL": "http://127.0.0.1:8000",
            "DJANGO_ALLOWED_HOSTS": " , ",
            "XIANJIE_AUDIT_KEY": "development-audit-key-not-a-secret",
            "XIANJIE_AUDIT_CHECKPOINT_DIR": "relative/dir",
        }
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    for name in (*GOOD, "DJANGO_ALLOWED_HOSTS names no host"):
        assert name in result.stderr
    assert "https" in result.stderr


def test_configured_production_passes_the_deployment_checks():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **GOOD)
    assert result.returncode == 0, result.stdout + result.stderr
    shown = _load_value(
        "CSRF_TRUSTED_ORIGINS, SECURE_PROXY_SSL_HEADER, CACHES['default']['BACKEND']"
    )
    assert "https://xianjie.example.gov.cn" in shown and "HTTP_X_FORWARDED_PROTO" in shown
    assert "RedisCache" in shown


def _load_value(expression: str) -> str:
    result = _run(
        [
            "-c",
            f"from django.conf import settings as s; print(s.{expression.replace(', ', ', s.')})",
        ],
        **GOOD,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_production_sends_the_csp_and_reads_the_client_behind_its_proxy():
    shown = _load_value(
        "MIDDLEWARE, CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src'], "
        "XIANJIE_TRUSTED_PROXIES, FILE_UPLOAD_HANDLERS"
    )
    assert "csp.middleware.CSPMiddleware" in shown and "[\"'self'\"]" in shown
    assert "config.uploads.LimitedUploadHandler" in shown
    assert _load_value("XIANJIE_TRUSTED_PROXIES").strip() == "1"


def test_notification_mail_goes_through_the_smtp_server_named_in_email_url():
    result = _run(
        [
            "-c",
            "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_HOST, "
            "s.EMAIL_PORT, s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL)",
        ],
        **GOOD,
        EMAIL_URL="smtp+tls://xianjie:secret@mail.example.gov.cn:587",
        DJANGO_DEFAULT_FROM_EMAIL="xianjie@example.gov.cn",
    )
    assert result.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "mail.example.gov.cn",
        "587",
        "True",
        "xianjie@example.gov.cn",
    ], result.stderr
    without = _run(["-c", "from django.conf import settings as s; print(s.EMAIL_BACKEND)"], **GOOD)
    assert without.stdout.strip() == "django.core.mail.backends.dummy.EmailBackend"
