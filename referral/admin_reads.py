"""Reads of attachments and case files in the admin: every read of every side, for the audit
administrator only; nobody changes them (the rows are append-only)."""

from django.contrib import admin

from .admin_documents import AuditReadOnlyAdmin
from .models import AttachmentRead, CaseFileRead


@admin.register(AttachmentRead)
class AttachmentReadAdmin(AuditReadOnlyAdmin):
    list_display = ("read_at", "reader", "reader_agency", "attachment", "downloaded")
    list_filter = ("downloaded",)
    search_fields = ("reader__username", "attachment__original_name", "attachment__sha256")
    list_select_related = ("reader", "reader_agency", "attachment")


@admin.register(CaseFileRead)
class CaseFileReadAdmin(AuditReadOnlyAdmin):
    list_display = ("read_at", "reader", "reader_agency", "referral")
    search_fields = ("reader__username", "referral__reference")
    list_select_related = ("reader", "reader_agency", "referral")
