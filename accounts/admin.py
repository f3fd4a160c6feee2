from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, User


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
