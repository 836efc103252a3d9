"""Issued documents and seized items in the admin: read-only, for the audit administrator.
Documents are frozen at issue and seized items belong to the agencies' case records, so no
administrator changes either here."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .admin_base import ReadOnlyRoleAdmin
from .models import Document, Role, SeizedItem


class AuditReadOnlyAdmin(ReadOnlyRoleAdmin):
    role = Role.AUDIT_ADMIN


@admin.register(Document)
class DocumentAdmin(AuditReadOnlyAdmin):
    list_display = (
        "display_number",
        "doc_type",
        "version",
        "issuing_agency",
        "issued_at",
        "superseded_at",
        "render_state",
        "verification_code",
    )
    list_filter = ("doc_type", "render_state", "year")
    search_fields = ("number", "verification_code", "sha256", "referral__reference")
    list_select_related = ("issuing_agency",)
    date_hierarchy = "issued_at"
    readonly_fields = ("verify_link",)

    @admin.display(description=_("verification page"))
    def verify_link(self, obj):
        url = reverse("referral:verify", args=[obj.verification_code])
        return format_html('<a href="{}">{}</a>', url, obj.verification_code)


@admin.register(SeizedItem)
class SeizedItemAdmin(AuditReadOnlyAdmin):
    list_display = ("referral", "serial", "name", "quantity", "unit", "storage_location")
    search_fields = ("name", "referral__reference", "seizure_document_number")
    list_select_related = ("referral",)
