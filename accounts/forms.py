from django import forms

from accounts.models import Department


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["code", "name", "name_zh", "sort_order", "is_active"]
