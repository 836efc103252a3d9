"""Administration, split by the three separated administrator roles (三员分立):
the system administrator keeps agencies, accounts, rule sets and the holiday calendar; the
security administrator grants agencies and roles, resets ordinary accounts' passwords and lifts
login lockouts; the audit administrator reads the audit trail. Every change is in the audit
trail."""

from datetime import date

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from django.forms.models import model_to_dict
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import (
    admin_coordination,  # noqa: F401  meetings, consultations, interventions, clues (audit)
    admin_documents,  # noqa: F401  documents and seized items (audit, read-only)
    admin_reads,  # noqa: F401  attachment reads (audit, read-only)
)
from .accounts.forms import SetPasswordForm
from .admin_base import ReadOnlyRoleAdmin, has_role
from .models import (
    Agency,
    AuditEvent,
    CalendarDay,
    CalendarYear,
    DeadlineRule,
    LoginLockout,
    Role,
    RuleSet,
    User,
)
from .services import users
from .services.audit import audit_append
from .services.clocks import calendar_year_enter
from .timeutil import now

admin.site.site_header = _("Xianjie administration")
admin.site.unregister(Group)
# Second-factor devices are the holder's own (enrolled at /accounts/two-factor/setup/); nobody
# reads or plants another person's secret through the admin.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


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
        return has_role(request, self.role)

    has_view_permission = has_add_permission = lambda self, request, obj=None: has_role(  # noqa: E731
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
        for rule in formset.new_objects:
            _audit_admin_change(request, rule, "admin_add")
        for rule, _fields in formset.changed_objects:
            _audit_admin_change(request, rule, "admin_change")
        for rule in formset.deleted_objects:  # its fields say which rule it was
            _audit_admin_change(request, rule, "admin_delete")


@admin.register(CalendarDay)
class CalendarDayAdmin(RoleScopedAdmin):
    list_display = ("date", "kind", "name", "source")
    list_filter = ("kind", "source")
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        obj.source = "manual"  # an administrator's entry survives later package syncs
        super().save_model(request, obj, form, change)


def _dates(text: str) -> list:
    """Dates written YYYY-MM-DD, separated by spaces, commas or new lines."""
    days = []
    for word in text.replace(",", " ").replace("，", " ").split():
        try:
            days.append(date.fromisoformat(word))
        except ValueError:
            raise forms.ValidationError(
                _("Not a date (YYYY-MM-DD): %(word)s"), params={"word": word}
            ) from None
    return days


class CalendarYearForm(forms.ModelForm):
    """The State Council's published arrangement of a year (DOMAIN.md §9.6): its days off and
    make-up working days. Saving marks the year confirmed and recomputes the open clocks that
    were counted on the assumed holidays (services/clocks.py calendar_year_enter)."""

    days_off = forms.CharField(
        label=_("Days off (YYYY-MM-DD, one per line)"), widget=forms.Textarea, required=False
    )
    workdays = forms.CharField(
        label=_("Make-up working days (YYYY-MM-DD, one per line)"),
        widget=forms.Textarea,
        required=False,
    )

    class Meta:
        model = CalendarYear
        fields = ("year",)

    def clean_days_off(self):
        return _dates(self.cleaned_data["days_off"])

    def clean_workdays(self):
        return _dates(self.cleaned_data["workdays"])

    def clean(self):
        data = super().clean()
        year = data.get("year")
        for day in (*data.get("days_off", ()), *data.get("workdays", ())):
            if year and day.year != year:
                raise forms.ValidationError(_("Every date must fall in the year entered."))
        return data


@admin.register(CalendarYear)
class CalendarYearAdmin(RoleScopedAdmin):
    list_display = ("year", "confirmed", "source")
    form = CalendarYearForm

    def save_model(self, request, obj, form, change):
        calendar_year_enter(
            actor=request.user,
            year=form.cleaned_data["year"],
            days_off=form.cleaned_data["days_off"],
            workdays=form.cleaned_data["workdays"],
        )
        saved = CalendarYear.objects.get(year=form.cleaned_data["year"])
        obj.pk, obj.confirmed, obj.source = saved.pk, saved.confirmed, saved.source


class UserCreateForm(forms.ModelForm):
    """The system administrator opens an account: no agency, role or password here."""

    class Meta:
        model = User
        fields = ("username", "full_name", "email")


class UserAccessForm(forms.ModelForm):
    """The security administrator's form: agency and roles, checked together."""

    roles = forms.MultipleChoiceField(
        label=_("roles"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = User
        fields = ("agency", "roles", "is_principal_head")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roles"].initial = sorted(self.instance.role_codes)

    def clean(self):
        cleaned = super().clean()
        agency = cleaned.get("agency")
        roles = set(cleaned.get("roles", []))
        errors = users.access_errors(agency=agency, roles=roles)
        if errors:
            raise forms.ValidationError(errors)
        cleaned["roles"] = sorted(roles)
        return cleaned


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Accounts for the system administrator; agency, roles and password resets for the
    security administrator only (services/users.py holds the rules)."""

    list_display = ("username", "full_name", "agency", "is_active", "must_change_password")
    list_filter = ("agency__kind", "is_active")
    list_select_related = ("agency",)
    search_fields = ("username", "full_name")
    add_form = UserCreateForm
    add_fieldsets = ((None, {"fields": ("username", "full_name", "email")}),)
    account_fieldsets = (
        (None, {"fields": ("username",)}),
        (_("Person"), {"fields": ("full_name", "email", "is_active", "is_staff")}),
        (_("Access"), {"fields": ("agency_name", "role_names", "must_change_password")}),
    )
    access_fieldsets = (
        (None, {"fields": ("username_label", "password_reset_link")}),
        (_("Access"), {"fields": ("agency", "roles", "is_principal_head")}),
    )

    def has_module_permission(self, request):
        return has_role(request, Role.SYSTEM_ADMIN) or has_role(request, Role.SECURITY_ADMIN)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return has_role(request, Role.SYSTEM_ADMIN)

    has_delete_permission = lambda self, request, obj=None: False  # noqa: E731  deactivate instead

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def _keeps_access(self, request) -> bool:
        """The security administrator (and not the system administrator) edits access."""
        return has_role(request, Role.SECURITY_ADMIN) and not has_role(request, Role.SYSTEM_ADMIN)

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None and self._keeps_access(request):
            kwargs["form"] = UserAccessForm
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        return self.access_fieldsets if self._keeps_access(request) else self.account_fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        if self._keeps_access(request):
            return ("username_label", "password_reset_link")
        return ("username", "agency_name", "role_names", "must_change_password")

    @admin.display(description=_("username"))
    def username_label(self, obj):
        return obj.username

    @admin.display(description=_("agency"))
    def agency_name(self, obj):
        return obj.agency or "—"

    @admin.display(description=_("roles"))
    def role_names(self, obj):
        return "、".join(str(Role(r).label) for r in sorted(obj.role_codes)) or "—"

    @admin.display(description=_("password"))
    def password_reset_link(self, obj):
        if not users.password_resettable(target=obj):
            return _("Administrators' passwords are not reset here.")
        url = reverse("admin:auth_user_password_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Reset the password"))

    def save_model(self, request, obj, form, change):
        if not change:
            created = users.user_create(
                actor=request.user,
                username=obj.username,
                full_name=obj.full_name,
                email=obj.email,
            )
            obj.pk = created.pk
            obj.refresh_from_db()
        elif "roles" in form.cleaned_data:
            users.user_set_access(
                actor=request.user,
                user_id=obj.pk,
                roles=form.cleaned_data["roles"],
                agency_id=obj.agency_id,
                principal_head=form.cleaned_data["is_principal_head"],
            )
        else:
            with transaction.atomic():
                super().save_model(request, obj, form, change)
                _audit_admin_change(request, obj, "admin_change")

    def save_related(self, request, form, formsets, change):
        """Roles are groups written by the service; the form's m2m step has nothing left."""

    def user_change_password(self, request, id, form_url=""):
        """The security administrator's password reset (services/users.py decides who)."""
        target = self.get_object(request, unquote(id))
        if target is None:
            raise Http404
        if not users.may_reset_password(actor=request.user, target=target):
            raise DjangoPermissionDenied
        form = SetPasswordForm(target, request.POST or None)
        if request.method == "POST" and form.is_valid():
            users.user_password_reset(
                actor=request.user, user_id=target.pk, password=form.cleaned_data["password1"]
            )
            messages.success(
                request,
                _("The password of %(user)s was reset; it must be changed at the next login.")
                % {"user": target},
            )
            return HttpResponseRedirect(reverse("admin:referral_user_change", args=[target.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reset the password of %(user)s") % {"user": target},
            "form": form,
            "target": target,
            "opts": self.opts,
        }
        return TemplateResponse(request, "accounts/admin_password_reset.html", context)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyRoleAdmin):
    """The audit administrator reads the trail; nobody edits it."""

    role = Role.AUDIT_ADMIN

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


@admin.register(LoginLockout)
class LoginLockoutAdmin(ReadOnlyRoleAdmin):
    """Failed logins counted by django-axes; the security administrator lifts a lockout."""

    role = Role.SECURITY_ADMIN
    list_display = ("account", "address", "failures", "last_failure")
    search_fields = ("username", "ip_address")
    fields = list_display
    readonly_fields = list_display
    actions = ["unlock"]

    @admin.display(description=_("username"), ordering="username")
    def account(self, obj):
        return obj.username

    @admin.display(description=_("source address"), ordering="ip_address")
    def address(self, obj):
        return obj.ip_address

    @admin.display(description=_("failed logins"), ordering="failures_since_start")
    def failures(self, obj):
        return obj.failures_since_start

    @admin.display(description=_("last failure"), ordering="attempt_time")
    def last_failure(self, obj):
        return obj.attempt_time

    def has_unlock_permission(self, request):
        return self.has_module_permission(request)

    @admin.action(description=_("Unlock the selected logins"), permissions=["unlock"])
    def unlock(self, request, queryset):
        count = users.login_lockouts_clear(
            actor=request.user, attempt_ids=list(queryset.values_list("pk", flat=True))
        )
        messages.success(request, _("Logins unlocked: %(count)d.") % {"count": count})
