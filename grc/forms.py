from django import forms
from django.utils.translation import gettext_lazy as _

from grc.models import Department


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["code", "name", "name_zh", "sort_order", "is_active"]


class CareTaskReportForm(forms.Form):
    report = forms.CharField(
        label=_("Report"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("What happened: reached or not, what the guest said, anything to follow up."),
    )
