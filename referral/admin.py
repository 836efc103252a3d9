"""Administration, split by the three separated administrator roles (三员分立):
the system administrator keeps agencies, accounts, rule sets and the holiday calendar; the
security administrator grants roles; the audit administrator reads the audit trail."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from . import permissions
from .models import (
    Agency,
    AuditEvent,
    CalendarDay,
    CalendarYear,
    DeadlineRule,
    Role,
    RuleSet,
    User,
)
from .services.audit import audit_append
from .timeutil import now

admin.site.site_header = _("Xianjie administration")
admin.site.unregister(Group)


def _has_role(request, role) -> bool:
    return request.user.is_active and (request.user.is_superuser or request.user.has_role(role))


def _audit_admin_change(request, obj, action: str) -> None:
    data = {k: str(v) for k, v in model_to_dict(obj).items() if k not in ("password", "groups")}
    audit_append(
        action=action,
        at=now(),
        actor=request.user,
        payload={"model": obj._meta.label, "pk": obj.pk, "data": data},
    )


class RoleScopedAdmin(admin.ModelAdmin):
    """Full access for one administrator role; every change and deletion is audited."""

    role = Role.SYSTEM_ADMIN

    def has_module_permission(self, request):
        return _has_role(request, self.role)

    has_view_permission = has_add_permission = lambda self, request, obj=None: _has_role(  # noqa: E731
        request, self.role
    )
    has_change_permission = has_delete_permission = has_view_permission

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            _audit_admin_change(request, obj, "admin_change" if change else "admin_add")

    def delete_model(self, request, obj):
        with transaction.atomic():
            _audit_admin_change(request, obj, "admin_delete")
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Agency)
class AgencyAdmin(RoleScopedAdmin):
    list_display = ("name", "short_name", "kind", "level", "region_code", "parent")
    list_filter = ("kind", "level")
    search_fields = ("name", "code", "region_code")
    list_select_related = ("parent",)


class DeadlineRuleInline(admin.TabularInline):
    model = DeadlineRule
    extra = 0


@admin.register(RuleSet)
class RuleSetAdmin(RoleScopedAdmin):
    list_display = ("name", "code", "region_prefix", "source")
    inlines = [DeadlineRuleInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for rule in formset.new_objects + [obj for obj, _fields in formset.changed_objects]:
            _audit_admin_change(request, rule, "admin_change")


@admin.register(CalendarDay)
class CalendarDayAdmin(RoleScopedAdmin):
    list_display = ("date", "kind", "name", "source")
    list_filter = ("kind", "source")
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        obj.source = "manual"  # an administrator's entry survives later package syncs
        super().save_model(request, obj, form, change)


@admin.register(CalendarYear)
class CalendarYearAdmin(RoleScopedAdmin):
    list_display = ("year", "confirmed", "source")


class UserRolesForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("roles"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = User
        fields = ("roles",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roles"].initial = sorted(self.instance.role_codes)

    def clean_roles(self):
        roles = set(self.cleaned_data["roles"])
        kind = self.instance.agency.kind if self.instance.agency_id else None
        errors = permissions.role_assignment_errors(kind, roles)
        if errors:
            raise forms.ValidationError(errors)
        return sorted(roles)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Accounts for the system administrator; roles for the security administrator only."""

    list_display = ("username", "full_name", "agency", "is_active")
    list_filter = ("agency__kind", "is_active")
    list_select_related = ("agency",)
    search_fields = ("username", "full_name")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "agency", "email", "is_active", "is_staff")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "full_name", "agency", "password1", "password2")}),
    )

    def has_module_permission(self, request):
        return _has_role(request, Role.SYSTEM_ADMIN) or _has_role(request, Role.SECURITY_ADMIN)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return _has_role(request, Role.SYSTEM_ADMIN)

    has_delete_permission = lambda self, request, obj=None: False  # noqa: E731  deactivate instead

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None and not _has_role(request, Role.SYSTEM_ADMIN):
            kwargs["form"] = UserRolesForm
            kwargs["fields"] = ("roles",)
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not _has_role(request, Role.SYSTEM_ADMIN):
            return ((_("Roles"), {"fields": ("roles",)}),)
        return super().get_fieldsets(request, obj)

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if "roles" in form.cleaned_data:
                from .services.users import user_set_roles

                user_set_roles(actor=request.user, user_id=obj.pk, roles=form.cleaned_data["roles"])
            else:
                _audit_admin_change(request, obj, "admin_change" if change else "admin_add")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit administrator reads the trail; nobody edits it."""

    list_display = (
        "seq",
        "created_at",
        "action",
        "referral",
        "actor",
        "actor_agency",
        "from_status",
        "to_status",
    )
    list_filter = ("action",)
    search_fields = ("action", "reason", "referral__reference")
    list_select_related = ("referral", "actor", "actor_agency")

    def has_module_permission(self, request):
        return _has_role(request, Role.AUDIT_ADMIN)

    def has_view_permission(self, request, obj=None):
        return _has_role(request, Role.AUDIT_ADMIN)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


from . import (  # noqa: E402  registered after the models above
    admin_documents,  # noqa: F401  documents and seized items (audit, read-only)
    admin_reads,  # noqa: F401  attachment reads (audit, read-only)
)
