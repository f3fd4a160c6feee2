from django import forms
from django.contrib import admin

from guests import services
from guests.duplicates import document_number_normalise
from guests.models import (
    CareTask,
    Company,
    CompanyContact,
    DuplicatePair,
    FamilyMember,
    Guest,
    GuestAccessLog,
    GuestDocument,
    GuestMerge,
    GuestPhone,
    Preference,
    PreferenceCategory,
    SpecialDate,
    Stay,
)


class CompanyContactInline(admin.TabularInline):
    model = CompanyContact
    extra = 0


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "name_local", "charge_privilege", "account_manager", "credit_limit"]
    list_filter = ["charge_privilege", "currency", "account_manager"]
    search_fields = ["name", "name_local", "tax_id", "billing_email"]
    readonly_fields = [
        "charge_paused_at",
        "charge_paused_by",
        "charge_resumed_at",
        "charge_resumed_by",
        "created_at",
        "updated_at",
    ]
    autocomplete_fields = ["account_manager"]
    inlines = [CompanyContactInline]


@admin.register(CompanyContact)
class CompanyContactAdmin(admin.ModelAdmin):
    list_display = ["name", "company", "title", "phone", "email", "is_billing"]
    list_filter = ["is_billing"]
    search_fields = ["name", "email", "phone", "company__name"]
    list_select_related = ["company"]
    autocomplete_fields = ["company"]


class GuestPhoneInline(admin.TabularInline):
    model = GuestPhone
    extra = 0
    readonly_fields = ["digits_reversed"]


class GuestDocumentForm(forms.ModelForm):
    class Meta:
        model = GuestDocument
        fields = ["kind", "number", "country"]

    def clean_number(self) -> str:
        # Stored as the duplicate rule compares it: letters and digits only, upper case.
        return document_number_normalise(self.cleaned_data["number"])


class GuestDocumentInline(admin.TabularInline):
    model = GuestDocument
    form = GuestDocumentForm
    extra = 0


class FamilyMemberInline(admin.TabularInline):
    model = FamilyMember
    extra = 0


class SpecialDateInline(admin.TabularInline):
    model = SpecialDate
    extra = 0
    readonly_fields = ["month", "day"]


class PreferenceInline(admin.TabularInline):
    model = Preference
    extra = 0


@admin.register(Guest)
class GuestAdmin(admin.ModelAdmin):
    list_display = ["display_name", "salutation", "vip_level", "stage", "company", "email"]
    list_filter = ["vip_level", "stage", "preferred_language", "preferred_channel", "gender"]
    search_fields = ["search_text", "email", "phones__number"]
    list_select_related = ["company"]
    readonly_fields = [
        "search_text",
        "greetings_consent_at",
        "marketing_consent_at",
        "created_at",
        "updated_at",
    ]
    raw_id_fields = ["referred_by"]
    autocomplete_fields = ["company", "account_manager"]
    inlines = [
        GuestPhoneInline,
        GuestDocumentInline,
        FamilyMemberInline,
        SpecialDateInline,
        PreferenceInline,
    ]
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        # Keep the search fields right for edits made here too.
        services.guest_search_fields(obj)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, GuestPhone):
                instance.number = services.phone_normalise(instance.number)
                instance.digits_reversed = services.phone_digits_reversed(instance.number)
            if isinstance(instance, SpecialDate):
                instance.month, instance.day = instance.date.month, instance.date.day
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(GuestPhone)
class GuestPhoneAdmin(admin.ModelAdmin):
    list_display = ["number", "guest", "label", "is_primary"]
    list_filter = ["is_primary", "label"]
    search_fields = ["number", "guest__search_text"]
    list_select_related = ["guest"]
    raw_id_fields = ["guest"]
    readonly_fields = ["digits_reversed"]

    def save_model(self, request, obj, form, change):
        obj.number = services.phone_normalise(obj.number)
        obj.digits_reversed = services.phone_digits_reversed(obj.number)
        super().save_model(request, obj, form, change)


@admin.register(FamilyMember)
class FamilyMemberAdmin(admin.ModelAdmin):
    list_display = ["name", "relation", "guest", "birth_month", "birth_day"]
    list_filter = ["relation", "birth_month"]
    search_fields = ["name", "guest__search_text"]
    list_select_related = ["guest"]
    raw_id_fields = ["guest"]


@admin.register(SpecialDate)
class SpecialDateAdmin(admin.ModelAdmin):
    list_display = ["guest", "kind", "date", "note"]
    list_filter = ["kind", "month"]
    search_fields = ["note", "guest__search_text"]
    list_select_related = ["guest"]
    raw_id_fields = ["guest"]
    readonly_fields = ["month", "day"]

    def save_model(self, request, obj, form, change):
        obj.month, obj.day = obj.date.month, obj.date.day
        super().save_model(request, obj, form, change)


@admin.register(PreferenceCategory)
class PreferenceCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_zh", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "name_zh"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["guest", "category", "value"]
    list_filter = ["category"]
    search_fields = ["value", "guest__search_text"]
    list_select_related = ["guest", "category"]
    raw_id_fields = ["guest"]


@admin.register(Stay)
class StayAdmin(admin.ModelAdmin):
    list_display = ["guest", "arrival", "departure", "room_number", "source", "pms_reference"]
    list_filter = ["source", "currency", "room_type"]
    search_fields = ["pms_reference", "room_number", "guest__search_text"]
    list_select_related = ["guest"]
    raw_id_fields = ["guest"]
    date_hierarchy = "arrival"
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        from guests.services import guest_stay_summary_refresh

        previous = Stay.objects.filter(pk=obj.pk).values_list("guest_id", flat=True).first()
        super().save_model(request, obj, form, change)
        guest_stay_summary_refresh(guest_ids={obj.guest_id, previous} - {None})

    def delete_model(self, request, obj):
        from guests.services import guest_stay_summary_refresh

        super().delete_model(request, obj)
        guest_stay_summary_refresh(guest_ids=[obj.guest_id])

    def delete_queryset(self, request, queryset):
        from guests.services import guest_stay_summary_refresh

        guest_ids = set(queryset.values_list("guest_id", flat=True))
        super().delete_queryset(request, queryset)
        guest_stay_summary_refresh(guest_ids=guest_ids)


@admin.register(GuestAccessLog)
class GuestAccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "guest", "action"]
    list_filter = ["action", "at"]
    search_fields = ["user__username", "guest__search_text"]
    list_select_related = ["user", "guest"]
    raw_id_fields = ["guest", "user"]
    date_hierarchy = "at"

    def has_change_permission(self, request, obj=None):
        return False  # an audit trail is not edited


@admin.register(CareTask)
class CareTaskAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "assigned_to", "due_on", "status", "done_at"]
    list_filter = ["status", "kind", "due_on"]
    search_fields = ["title", "guest__family_name", "guest__given_name", "report"]
    list_select_related = ["guest", "assigned_to"]
    raw_id_fields = ["guest"]
    readonly_fields = ["key", "done_at", "done_by", "created_at"]


@admin.register(GuestDocument)
class GuestDocumentAdmin(admin.ModelAdmin):
    form = GuestDocumentForm
    list_display = ["number", "kind", "country", "guest", "created_at"]
    list_filter = ["kind", "country"]
    search_fields = ["number", "guest__search_text"]
    list_select_related = ["guest"]
    raw_id_fields = ["guest"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the app keeps itself: read in the admin, never written there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DuplicatePair)
class DuplicatePairAdmin(ReadOnlyAdmin):
    list_display = ["guest_a", "guest_b", "reasons", "found_at", "dismissed_at", "dismissed_by"]
    list_filter = ["dismissed_at", "found_at"]
    search_fields = ["guest_a__search_text", "guest_b__search_text"]
    list_select_related = ["guest_a", "guest_b", "dismissed_by"]


@admin.register(GuestMerge)
class GuestMergeAdmin(ReadOnlyAdmin):
    list_display = ["at", "by", "kept", "merged_guest_id", "merged_name"]
    list_filter = ["at"]
    search_fields = ["merged_name", "kept__search_text", "=merged_guest_id"]
    list_select_related = ["by", "kept"]
    date_hierarchy = "at"
