"""Forms of the duplicates, merge and privacy pages (issue 18)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from guests.merge import KEPT, MERGE_FIELDS, MERGED
from guests.models import Guest


class MergeForm(forms.Form):
    """Per field, which profile's value survives; and what both profiles were when shown."""

    kept_version = forms.CharField(widget=forms.HiddenInput)
    merged_version = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, initial_choices: dict[str, str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for item in MERGE_FIELDS:
            self.fields[item.key] = forms.ChoiceField(
                label=item.label,
                choices=[(KEPT, _("This profile")), (MERGED, _("The other profile"))],
                initial=(initial_choices or {}).get(item.key, KEPT),
                widget=forms.RadioSelect,
                required=False,  # not sent: the page's default for the line
            )

    def choices(self) -> dict[str, str]:
        return {
            item.key: self.cleaned_data[item.key]
            for item in MERGE_FIELDS
            if self.cleaned_data.get(item.key)
        }


class EraseForm(forms.Form):
    """Erasure cannot be undone: the manager types the guest's profile number to confirm."""

    confirm = forms.CharField(
        label=_("Type the profile number to confirm"),
        max_length=20,
        help_text=_("The number after # in the title. Erasure cannot be undone."),
    )

    def __init__(self, *args, guest: Guest, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.guest = guest

    def clean_confirm(self) -> str:
        typed = self.cleaned_data["confirm"].strip().lstrip("#")
        if typed != str(self.guest.pk):
            raise forms.ValidationError(_("That is not this profile's number."))
        return typed
