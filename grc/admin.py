from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from grc.forms import MessageTemplateForm
from grc.models import CareTask, Department, MessageTemplate, Notification, User


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


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: messages are recorded by the jobs and retried from the Notifications page."""

    list_display = ["created_at", "kind", "channel", "to", "status", "attempts", "occasion_date"]
    list_filter = ["status", "kind", "channel", "occasion_date"]
    search_fields = ["key", "to", "guest__family_name", "guest__given_name"]
    list_select_related = ["guest", "recipient_user"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    form = MessageTemplateForm
    list_display = ["kind", "language", "subject", "is_active", "updated_at"]
    list_filter = ["kind", "language", "is_active"]
    search_fields = ["subject", "body_text"]


@admin.register(CareTask)
class CareTaskAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "assigned_to", "due_on", "status", "done_at"]
    list_filter = ["status", "kind", "due_on"]
    search_fields = ["title", "guest__family_name", "guest__given_name", "report"]
    list_select_related = ["guest", "assigned_to"]
    raw_id_fields = ["guest"]
    readonly_fields = ["key", "done_at", "done_by", "created_at"]
