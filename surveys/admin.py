from django.contrib import admin

from surveys.models import SurveyLink, SurveyResponse


class ReadOnlyAdmin(admin.ModelAdmin):
    """Answers are the guest's words and links are a record of what was sent: shown, not
    edited (staff record answers on the stay's survey page, through the services)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ReadOnlyAdmin):
    list_display = ["stay", "submitted_at", "channel", "overall", "recommend", "ticket"]
    list_filter = ["channel", "overall", "needs_recovery"]
    date_hierarchy = "submitted_at"
    list_select_related = ["stay__guest", "ticket"]
    raw_id_fields = ["stay", "guest", "ticket", "praised", "recorded_by"]


@admin.register(SurveyLink)
class SurveyLinkAdmin(ReadOnlyAdmin):
    list_display = ["stay", "sent_at", "times_sent", "responded_at"]
    date_hierarchy = "sent_at"
    list_select_related = ["stay__guest"]
    raw_id_fields = ["stay", "guest"]
