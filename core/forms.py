"""Form helpers shared by every app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import BLANK_CHOICE_DASH
from django.utils.translation import gettext_lazy as _

DASHES = BLANK_CHOICE_DASH[0][1]  # Django's "---------"


class ChoicePrompts:
    """Empty choices read as a prompt ("Choose…", or "Any" on a filter), never "---------".

    Put it first among a form's bases; a field that names its own empty label keeps it.
    """

    empty_choice_label: Any = _("Choose…")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, forms.Field] = self.fields  # type: ignore[attr-defined]
        for field in fields.values():
            if isinstance(field, forms.ModelChoiceField):
                if field.empty_label == DASHES:
                    field.empty_label = self.empty_choice_label
            elif isinstance(field, forms.ChoiceField):
                field.choices = [
                    (value, self.empty_choice_label if label == DASHES else label)
                    for value, label in field.choices
                ]


class FilterChoicePrompts(ChoicePrompts):
    """On a filter, an empty choice means no filter."""

    empty_choice_label = _("Any")
