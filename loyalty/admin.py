from django.contrib import admin

from loyalty.models import EarnRule, Member, PointsTransaction, Redemption, Reward, Tier, TierChange


@admin.register(Tier)
class TierAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "name_zh",
        "code",
        "rank",
        "qualifying_points",
        "qualifying_nights",
        "earn_multiplier",
    ]
    ordering = ["rank"]


@admin.register(EarnRule)
class EarnRuleAdmin(admin.ModelAdmin):
    list_display = ["category", "points_per_unit", "is_active"]


@admin.register(Reward)
class RewardAdmin(admin.ModelAdmin):
    list_display = ["name", "name_zh", "kind", "points_cost", "stock", "is_active", "valid_until"]
    list_filter = ["is_active", "kind"]
    search_fields = ["name", "name_zh", "code"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """The ledger and its history are written by services only; the admin just shows them."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class TierChangeInline(admin.TabularInline):
    model = TierChange
    fk_name = "member"
    fields = ["changed_at", "from_tier", "to_tier", "reason", "changed_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["number", "guest", "tier", "status", "balance", "enrolled_at"]
    list_filter = ["tier", "status", "enrolment_source"]
    list_select_related = ["guest", "tier"]
    search_fields = ["number", "guest__family_name", "guest__given_name"]
    # Tier moves go through services (they keep history); status can be set here.
    readonly_fields = ["guest", "number", "tier", "balance", "enrolled_at", "enrolled_by"]
    fields = [*readonly_fields[:4], "status", "enrolment_source", "enrolled_at", "enrolled_by"]
    inlines = [TierChangeInline]

    def has_add_permission(self, request) -> bool:
        return False  # enrol from the guest card, which numbers the account

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PointsTransaction)
class PointsTransactionAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "member", "kind", "points", "reason", "actor", "ticket_ref"]
    list_filter = ["kind"]
    list_select_related = ["member", "actor"]
    search_fields = ["member__number", "idempotency_key", "reason"]
    date_hierarchy = "created_at"


@admin.register(Redemption)
class RedemptionAdmin(ReadOnlyAdmin):
    list_display = ["redeemed_at", "member", "reward", "points", "status", "redeemed_by"]
    list_filter = ["status", "reward"]
    list_select_related = ["member", "reward", "redeemed_by"]
