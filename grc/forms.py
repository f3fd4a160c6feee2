from django import forms
from django.template import Template, TemplateSyntaxError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grc.models import Department, MessageTemplate


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


class MessageTemplateForm(forms.ModelForm):
    """The admin's form for the hotel's wording: a template that does not compile is refused
    here, with the reason on the field, instead of failing when the message is sent."""

    TEMPLATE_FIELDS = ("subject", "body_text", "body_html")

    class Meta:
        model = MessageTemplate
        fields = ["kind", "language", "subject", "body_text", "body_html", "is_active"]

    def clean(self) -> dict:
        cleaned = super().clean()
        for name in self.TEMPLATE_FIELDS:
            source = cleaned.get(name)
            if not source:
                continue
            try:
                Template(source)
            except TemplateSyntaxError as exc:
                self.add_error(
                    name,
                    gettext("This is not a valid template: %(problem)s") % {"problem": exc},
                )
        return cleaned
