"""Forms for guests, stays and companies: validation only, no side effects."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.models import User
from core.filters import ListFilter
from core.forms import ChoicePrompts
from guests import services
from guests.models import (
    Company,
    CompanyContact,
    FamilyMember,
    Guest,
    GuestPhone,
    Preference,
    PreferenceCategory,
    SpecialDate,
    Stay,
)

MONTHS = [(None, "—")] + [(m, str(m)) for m in range(1, 13)]


def account_manager_choices():
    return (
        User.objects.filter(
            is_active=True,
            groups__name__in=[roles.ACCOUNT_MANAGER.name, roles.MANAGER.name],
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class BirthdayMixin:
    """Day and month together, a real day of that month, not in the future; year optional."""

    def clean(self):
        cleaned = super().clean()
        try:
            services.birth_date_check(
                year=cleaned.get("birth_year"),
                month=cleaned.get("birth_month"),
                day=cleaned.get("birth_day"),
            )
        except ValidationError as error:
            field = {"future": "birth_year", "year": "birth_year", "month": "birth_month"}.get(
                error.code, "birth_day"
            )
            self.add_error(field, error)
        return cleaned


class GuestForm(ChoicePrompts, BirthdayMixin, forms.ModelForm):
    tags = forms.CharField(
        label=_("tags"),
        required=False,
        help_text=_("Separate tags with commas."),
    )

    class Meta:
        model = Guest
        fields = [
            "family_name",
            "given_name",
            "name_order",
            "salutation",
            "gender",
            "birth_day",
            "birth_month",
            "birth_year",
            "nationality",
            "preferred_language",
            "email",
            "preferred_channel",
            "greetings_consent",
            "marketing_consent",
            "vip_level",
            "stage",
            "referred_by",
            "company",
            "account_manager",
            "tags",
            "notes",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "birth_month": forms.Select(choices=MONTHS),
            "referred_by": forms.NumberInput(),
        }
        help_texts = {
            "nationality": _("Two-letter country code, e.g. CN, HK, US."),
            "referred_by": _("Number of the guest who referred them (shown on their card)."),
            "birth_year": _("Optional."),
        }
        error_messages = {"email": {"invalid": _("Enter a valid e-mail address.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account_manager"].queryset = account_manager_choices()
        self.fields["birth_day"].widget.attrs.update(min=1, max=31)
        if self.instance.pk and not self.is_bound:
            self.initial["tags"] = ", ".join(self.instance.tags or [])

    def clean_tags(self) -> list[str]:
        raw = self.cleaned_data.get("tags") or ""
        return list(dict.fromkeys(t.strip() for t in raw.split(",") if t.strip()))

    def clean_nationality(self) -> str:
        value = (self.cleaned_data.get("nationality") or "").strip().upper()
        if value and (len(value) != 2 or not value.isalpha()):
            raise ValidationError(_("Use the two-letter country code, e.g. CN."))
        return value

    def clean(self):
        cleaned = super().clean()
        referred_by = cleaned.get("referred_by")
        if referred_by and self.instance.pk and referred_by.pk == self.instance.pk:
            self.add_error("referred_by", _("A guest cannot refer themselves."))
        if cleaned.get("stage") == Guest.Stage.REFERRED and not referred_by:
            self.add_error("referred_by", _("Say which guest referred them."))
        return cleaned


class PhoneForm(forms.ModelForm):
    class Meta:
        model = GuestPhone
        fields = ["number", "label", "is_primary"]
        help_texts = {"number": _("Any format; numbers without a country code are Chinese.")}

    def clean_number(self) -> str:
        return services.phone_normalise(self.cleaned_data["number"])


class FamilyMemberForm(ChoicePrompts, BirthdayMixin, forms.ModelForm):
    class Meta:
        model = FamilyMember
        fields = ["relation", "name", "birth_day", "birth_month", "birth_year"]
        widgets = {"birth_month": forms.Select(choices=MONTHS)}


class SpecialDateForm(ChoicePrompts, forms.ModelForm):
    class Meta:
        model = SpecialDate
        fields = ["kind", "date", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}


class PreferenceForm(ChoicePrompts, forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["category", "value"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = PreferenceCategory.objects.filter(is_active=True)


class GuestChildFormSet(BaseInlineFormSet):
    def rows(self) -> list[dict[str, Any]]:
        """What the service needs: one dict per kept row, with "id" for existing rows."""
        rows = []
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            # The formset adds its foreign key to the fields; the service sets that itself.
            data = {
                name: form.cleaned_data.get(name)
                for name in form._meta.fields
                if name != self.fk.name
            }
            data["id"] = form.instance.pk
            rows.append(data)
        return rows


def _formset(model, form, **kwargs):
    return inlineformset_factory(
        Guest, model, form=form, formset=GuestChildFormSet, extra=1, can_delete=True, **kwargs
    )


PhoneFormSet = _formset(GuestPhone, PhoneForm)
FamilyFormSet = _formset(FamilyMember, FamilyMemberForm)
SpecialDateFormSet = _formset(SpecialDate, SpecialDateForm)
PreferenceFormSet = _formset(Preference, PreferenceForm)

GUEST_FORMSETS = {
    "phones": (PhoneFormSet, _("Phone numbers")),
    "family": (FamilyFormSet, _("Family")),
    "special_dates": (SpecialDateFormSet, _("Special dates")),
    "preferences": (PreferenceFormSet, _("Preferences")),
}


class StayForm(ChoicePrompts, forms.ModelForm):
    class Meta:
        model = Stay
        fields = [
            "arrival",
            "departure",
            "room_number",
            "room_type",
            "rate_plan",
            "spend_room",
            "spend_fb",
            "spend_other",
            "currency",
            "source",
            "pms_reference",
        ]
        widgets = {
            "arrival": forms.DateInput(attrs={"type": "date"}),
            "departure": forms.DateInput(attrs={"type": "date"}),
        }
        error_messages = {
            "pms_reference": {"unique": _("Another stay already has this PMS reference.")}
        }

    def clean_pms_reference(self):
        return (self.cleaned_data.get("pms_reference") or "").strip() or None

    def clean(self):
        cleaned = super().clean()
        arrival, departure = cleaned.get("arrival"), cleaned.get("departure")
        if arrival and departure and departure <= arrival:
            self.add_error("departure", _("Departure must be after arrival."))
        return cleaned

    def validate_constraints(self, exclude=None):
        # The departure check above says it on the right field; skip the model's copy.
        return None


class CompanyForm(ChoicePrompts, forms.ModelForm):
    class Meta:
        model = Company
        fields = [
            "name",
            "name_local",
            "charge_privilege",
            "account_manager",
            "billing_address",
            "billing_email",
            "tax_id",
            "credit_limit",
            "currency",
            "notes",
        ]
        widgets = {
            "billing_address": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account_manager"].queryset = account_manager_choices()
        if self.instance.charge_privilege == Company.ChargePrivilege.PAUSED:
            # Paused and resumed only through the pause form, which records who and why.
            del self.fields["charge_privilege"]
        else:
            self.fields["charge_privilege"].choices = [
                c for c in Company.ChargePrivilege.choices if c[0] != Company.ChargePrivilege.PAUSED
            ]


class ContactForm(forms.ModelForm):
    class Meta:
        model = CompanyContact
        fields = ["name", "title", "phone", "email", "is_billing"]

    def clean_phone(self) -> str:
        phone = self.cleaned_data.get("phone")
        return services.phone_normalise(phone) if phone else ""


class ContactFormSet(BaseInlineFormSet):
    rows = GuestChildFormSet.rows


CompanyContactFormSet = inlineformset_factory(
    Company, CompanyContact, form=ContactForm, formset=ContactFormSet, extra=1, can_delete=True
)


class ChargePauseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen by finance and managers only, never by the front desk."),
    )


class GuestFilterForm(ListFilter):
    vip = forms.TypedChoiceField(
        label=_("VIP level"),
        choices=[("", _("Any"))] + list(Guest.VipLevel.choices),
        coerce=int,
        empty_value=None,
        required=False,
    )
    stage = forms.ChoiceField(
        label=_("lifecycle stage"),
        choices=[("", _("Any"))] + list(Guest.Stage.choices),
        required=False,
    )
    company = forms.ModelChoiceField(
        label=_("company"), queryset=Company.objects.order_by("name"), required=False
    )
    account_manager = forms.ModelChoiceField(
        label=_("account manager"), queryset=User.objects.none(), required=False
    )
    in_house = forms.BooleanField(label=_("In-house now"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account_manager"].queryset = account_manager_choices()


class AccessLogFilterForm(ListFilter):
    guest = forms.IntegerField(label=_("Guest number"), required=False, min_value=1)
    user = forms.ModelChoiceField(
        label=_("staff"), queryset=User.objects.order_by("username"), required=False
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class CareTaskReportForm(forms.Form):
    report = forms.CharField(
        label=_("Report"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("What happened: reached or not, what the guest said, anything to follow up."),
    )
