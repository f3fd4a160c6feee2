from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, SecurityEvent, User


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "name_zh", "code", "sort_order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "name_zh", "code"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "department", "is_active", "is_staff"]
    list_filter = [*BaseUserAdmin.list_filter, "department"]
    list_select_related = ["department"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Hotel"), {"fields": ["department", "language"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Hotel"), {"fields": ["department", "groups"]}),
    ]


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """Read only: the record of sign-ins and refusals is never edited."""

    list_display = ["at", "kind", "username", "ip", "method", "path", "status"]
    list_filter = ["kind"]
    search_fields = ["username", "path", "ip"]
    list_select_related = ["user"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
