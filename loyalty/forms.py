from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from core.filters import ListFilter
from core.formatting import number_text
from loyalty.models import Member, Reward, Tier


class EnrolForm(forms.Form):
    source = forms.ChoiceField(
        label=_("Enrolment source"), choices=Member.Source.choices, initial=Member.Source.FRONT_DESK
    )


class RewardChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Reward) -> str:
        return _("%(reward)s — %(points)s points") % {
            "reward": obj.display_name,
            "points": number_text(obj.points_cost),
        }


class RedeemForm(forms.Form):
    """Choose a reward; the confirmation step posts it again with an idempotency key."""

    reward = RewardChoiceField(
        label=_("Reward"),
        queryset=Reward.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    key = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, rewards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reward"].queryset = rewards

    def idempotency_key(self) -> str:
        return f"redeem:{self.cleaned_data['key'] or uuid.uuid4()}"


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea({"rows": 2}))


class AdjustForm(forms.Form):
    points = forms.IntegerField(
        label=_("Points"),
        help_text=_("Positive to add, negative to take away."),
        min_value=-10_000_000,
        max_value=10_000_000,
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea({"rows": 2}))
    key = forms.UUIDField(widget=forms.HiddenInput)

    def clean_points(self) -> int:
        points = self.cleaned_data["points"]
        if points == 0:
            raise forms.ValidationError(_("An adjustment cannot be zero points."))
        return points


class MemberFilterForm(ListFilter):
    q = forms.CharField(label=_("Member number or name"), required=False, max_length=100)
    tier = forms.ModelChoiceField(
        label=_("Tier"),
        queryset=Tier.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All tiers"),
    )
