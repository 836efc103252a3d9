"""Referral-domain pages outside the workflow UI (document verification, downloads)."""

from django.urls import path

from .documents import views as documents

app_name = "referral"
urlpatterns = [
    path("verify/", documents.verify_view, name="verify_form"),
    path("verify/<str:code>/", documents.verify_code_view, name="verify"),
    path("documents/<int:pk>/pdf", documents.document_pdf_view, name="document_pdf"),
    path("documents/<int:pk>/status", documents.document_status_view, name="document_status"),
    path("documents/<int:pk>/retry", documents.document_retry_view, name="document_retry"),
]
