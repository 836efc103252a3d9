"""What every administration page here shares: one administrator role sees it, and read-only
pages let nobody add, change or delete."""

from django.contrib import admin


def has_role(request, role) -> bool:
    return request.user.is_active and (request.user.is_superuser or request.user.has_role(role))


class ReadOnlyRoleAdmin(admin.ModelAdmin):
    """Visible to the administrators holding `role`; nobody adds, changes or deletes here."""

    role: str

    def has_module_permission(self, request):
        return has_role(request, self.role)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
