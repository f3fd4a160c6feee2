from django.contrib import admin

from complaints.models import (
    AuthorityLimit,
    Category,
    RecoveryAction,
    ResolutionFeedback,
    RootCause,
    SlaBreach,
    SlaTarget,
    Ticket,
    TimelineEvent,
)


@admin.register(Category, RootCause)
class ManagedListAdmin(admin.ModelAdmin):
    list_display = ["name", "name_zh", "code", "sort_order", "is_active"]
    list_filter = ["is_active"]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["name", "name_zh", "code"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(SlaTarget)
class SlaTargetAdmin(admin.ModelAdmin):
    list_display = ["severity", "acknowledge_minutes", "resolve_minutes"]
    list_editable = ["acknowledge_minutes", "resolve_minutes"]


@admin.register(AuthorityLimit)
class AuthorityLimitAdmin(admin.ModelAdmin):
    list_display = ["group", "max_value", "currency", "max_points"]
    list_editable = ["max_value", "currency", "max_points"]
    list_select_related = ["group"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class TimelineInline(ReadOnlyInline):
    model = TimelineEvent
    fields = ["at", "kind", "by", "text", "data"]
    readonly_fields = fields


class RecoveryInline(ReadOnlyInline):
    model = RecoveryAction
    fields = ["kind", "value", "currency", "points", "status", "requested_by", "decided_by"]
    readonly_fields = fields


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "created_at",
        "guest_name",
        "department",
        "category",
        "severity",
        "status",
        "assigned_to",
        "escalated",
    ]
    list_filter = ["status", "severity", "department", "category", "kind", "escalated", "channel"]
    search_fields = ["number", "guest_name", "room_number", "description"]
    list_select_related = ["department", "category", "assigned_to"]
    date_hierarchy = "created_at"
    raw_id_fields = ["guest", "logged_by", "assigned_to", "escalated_to"]
    readonly_fields = ["number", "version", "created_at", "updated_at", "resolution_round"]
    filter_horizontal = ["root_causes", "involved_departments"]
    inlines = [RecoveryInline, TimelineInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the complaint register is archived for good


@admin.register(TimelineEvent)
class TimelineEventAdmin(admin.ModelAdmin):
    list_display = ["ticket", "at", "kind", "by"]
    list_filter = ["kind"]
    search_fields = ["ticket__number", "text"]
    list_select_related = ["ticket", "by"]
    readonly_fields = ["ticket", "kind", "by", "at", "text", "data"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RecoveryAction)
class RecoveryActionAdmin(admin.ModelAdmin):
    list_display = ["ticket", "kind", "value", "currency", "points", "status", "requested_by"]
    list_filter = ["status", "kind"]
    search_fields = ["ticket__number", "description"]
    list_select_related = ["ticket", "requested_by"]
    readonly_fields = [f.name for f in RecoveryAction._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False  # through the ticket page, so the authority limits apply

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ResolutionFeedback)
class ResolutionFeedbackAdmin(admin.ModelAdmin):
    list_display = ["ticket", "score", "via", "at"]
    list_filter = ["score", "via"]
    search_fields = ["ticket__number", "comment"]
    list_select_related = ["ticket"]
    readonly_fields = [f.name for f in ResolutionFeedback._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SlaBreach)
class SlaBreachAdmin(admin.ModelAdmin):
    """Missed targets, as the reminders found and escalated them: a record, not a form."""

    list_display = ["ticket", "target", "due_at", "detected_at"]
    list_filter = ["target"]
    search_fields = ["ticket__number"]
    list_select_related = ["ticket"]
    date_hierarchy = "detected_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
