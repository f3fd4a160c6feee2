from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.filters import ListFilter
from core.forms import ChoicePrompts
from guests.forms import account_manager_choices
from guests.models import Company, Guest
from retention.models import Segment, WinBack

VALUE_BANDS = [(5, _("5 — top fifth")), (4, "4"), (3, "3"), (2, "2"), (1, _("1 — lowest fifth"))]


class ValueFilterForm(ListFilter):
    segment = forms.ChoiceField(
        label=_("segment"), choices=[("", _("Any"))] + list(Segment.choices), required=False
    )
    value_band = forms.TypedChoiceField(
        label=_("value band"),
        choices=[("", _("Any"))] + VALUE_BANDS,
        coerce=int,
        empty_value=None,
        required=False,
    )
    stage = forms.ChoiceField(
        label=_("lifecycle stage"),
        choices=[("", _("Any"))] + list(Guest.Stage.choices),
        required=False,
    )
    vip = forms.TypedChoiceField(
        label=_("VIP level"),
        choices=[("", _("Any"))] + list(Guest.VipLevel.choices),
        coerce=int,
        empty_value=None,
        required=False,
    )
    tag = forms.CharField(label=_("tag"), max_length=50, required=False)
    company = forms.ModelChoiceField(
        label=_("company"), queryset=Company.objects.order_by("name"), required=False
    )
    account_manager = forms.ModelChoiceField(
        label=_("account manager"), queryset=account_manager_choices(), required=False
    )
    unassigned = forms.BooleanField(label=_("No account manager"), required=False)
    last_from = forms.DateField(
        label=_("last stay from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    last_to = forms.DateField(
        label=_("last stay to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    at_risk = forms.BooleanField(label=_("At risk only"), required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("last_from"), cleaned.get("last_to")
        if start and end and end < start:
            self.add_error("last_to", _("The end date is before the start date."))
        return cleaned


class DistributionForm(ChoicePrompts, forms.Form):
    segment = forms.ChoiceField(
        label=_("Which unassigned guests"),
        choices=[("", _("All unassigned guests"))] + list(Segment.choices),
        required=False,
    )
    weighted = forms.BooleanField(
        label=_("Spread by value (so no one gets all the best guests)"), required=False
    )


class WinBackForm(ChoicePrompts, forms.Form):
    outcome = forms.ChoiceField(
        label=_("What happened"),
        choices=[
            (WinBack.Outcome.CONTACTED, _("Contacted: waiting for them to come back")),
            (WinBack.Outcome.LOST, _("Lost")),
        ],
        widget=forms.RadioSelect,
    )
    lost_reason = forms.ChoiceField(
        label=_("Why they were lost"),
        choices=[("", "—")] + list(WinBack.LostReason.choices),
        required=False,
    )
    text = forms.CharField(
        label=_("Notes (what they said)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReportFilterForm(ListFilter):
    date_from = forms.DateField(
        label=_("from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    period = forms.ChoiceField(
        label=_("by"),
        choices=[("month", _("Month")), ("week", _("Week"))],
        required=False,
    )
