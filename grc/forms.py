from django import forms

from grc.models import Department


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["code", "name", "name_zh", "sort_order", "is_active"]
