from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .columns import COLUMNS
from .reading import ENCODINGS

MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("PMS export file"),
        help_text=_("CSV or Excel (.xlsx), with a header row; see the template."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 200 MB: split it in parts."))
        return upload


class EncodingForm(forms.Form):
    encoding = forms.ChoiceField(label=_("Encoding"), choices=ENCODINGS)


IGNORE = ""
FIELD_CHOICES = [(IGNORE, _("— not imported —")), *((c.key, c.label) for c in COLUMNS)]


class MappingForm(forms.Form):
    """One choice per column of the file: which field it holds."""

    def __init__(self, *args, headers: list[str], mapping: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = headers
        by_column = {index: key for key, index in mapping.items()}
        for index, header in enumerate(headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header or _("Column %(number)s") % {"number": index + 1},
                choices=FIELD_CHOICES,
                required=False,
                initial=by_column.get(index, IGNORE),
            )

    def clean(self):
        data = super().clean()
        mapping: dict[str, int] = {}
        for index in range(len(self.headers)):
            key = data.get(f"column_{index}")
            if not key:
                continue
            if key in mapping:
                raise forms.ValidationError(
                    _("“%(field)s” is chosen for two columns: choose it once."),
                    params={"field": dict(FIELD_CHOICES)[key]},
                )
            mapping[key] = index
        if "name" not in mapping and "family_name" not in mapping:
            raise forms.ValidationError(
                _("Choose the column with the guest's name (Name or Family name).")
            )
        data["mapping"] = mapping
        return data

    def columns(self):
        return [self[f"column_{index}"] for index in range(len(self.headers))]
