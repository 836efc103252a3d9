"""Referral-domain pages outside the workflow UI (document verification, downloads)."""

from django.urls import path  # noqa: F401

app_name = "referral"
urlpatterns: list = []
