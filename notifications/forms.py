from django import forms
from django.template import TemplateSyntaxError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.filters import ListFilter
from core.forms import ChoicePrompts
from notifications.models import MessageTemplate, Notification
from notifications.sandbox import sandbox_template


class MessageTemplateForm(ChoicePrompts, forms.ModelForm):
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
                sandbox_template(source)
            except TemplateSyntaxError as exc:
                self.add_error(
                    name,
                    gettext("This is not a valid template: %(problem)s") % {"problem": exc},
                )
        return cleaned


STUCK = "stuck"


class NotificationFilterForm(ListFilter):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any")),
            *Notification.Status.choices,
            (STUCK, _("Stuck while sending")),
        ],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any")), *Notification.Kind.choices]
    )
    q = forms.CharField(label=_("Recipient"), required=False, max_length=200)
