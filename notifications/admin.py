from django.contrib import admin

from notifications.forms import MessageTemplateForm
from notifications.models import MessageTemplate, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: messages are recorded by the jobs and retried from the Notifications page."""

    list_display = ["created_at", "kind", "channel", "to", "status", "attempts", "occasion_date"]
    list_filter = ["status", "kind", "channel", "occasion_date"]
    search_fields = ["key", "to"]
    list_select_related = ["recipient_user"]
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
