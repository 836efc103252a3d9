"""Fast settings for the test suite."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="xianjie-test-media-")
CELERY_TASK_ALWAYS_EAGER = True
# A small PDF carrying the number and verification code instead of the WeasyPrint layout:
# tests that look at the layout select the real one (the `real_pdf_renderer` fixture).
XIANJIE_DOCUMENT_RENDERER = "referral.documents.plain.render_plain_pdf"
