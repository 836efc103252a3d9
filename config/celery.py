"""Celery application: background work and the periodic clock sweep in production."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("xianjie")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
