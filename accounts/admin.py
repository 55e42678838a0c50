from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import Agency, AuditEvent, User
from accounts.permissions import has_role
from accounts.roles import Role


def _admin_role_only(request) -> bool:
    return request.user.is_active and request.user.is_staff and has_role(request.user, Role.ADMIN)


admin.site.has_permission = _admin_role_only
admin.site.site_header = "BAS survey system administration"


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_commissioner"]
    search_fields = ["name", "code"]


@admin.register(User)
class BasUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "agency", "is_active"]
    list_filter = ["agency", "groups", "is_active"]
    fieldsets = UserAdmin.fieldsets + (("Agency", {"fields": ("agency",)}),)
    add_fieldsets = UserAdmin.add_fieldsets + (("Agency", {"fields": ("agency", "groups")}),)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log can be read, never edited."""

    list_display = ["at", "action", "username", "ip_address", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["username", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
