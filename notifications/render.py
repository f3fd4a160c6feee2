"""Turn a notification's kind, language and details into a subject and bodies."""

from __future__ import annotations

from dataclasses import dataclass

from django.template import (
    Context,
    Template,
    TemplateDoesNotExist,
    TemplateSyntaxError,
    VariableDoesNotExist,
)
from django.template.loader import render_to_string
from django.utils import translation

from notifications.errors import MessageRenderError
from notifications.models import MessageTemplate

# What a template edited in the admin (or a missing file) can raise while being rendered.
TEMPLATE_ERRORS = (TemplateSyntaxError, TemplateDoesNotExist, VariableDoesNotExist)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def message_render(*, kind: str, language: str, context: dict) -> Rendered:
    """The hotel's own template for this kind and language if it has one, else ours.

    Our templates are translatable files under templates/messages/<kind>.{subject,txt,html};
    they are rendered with the guest's (or staff member's) language switched on. A template
    that cannot be rendered raises MessageRenderError naming the template and the problem.
    """
    with translation.override(language):
        custom = MessageTemplate.objects.filter(
            kind=kind, language=language, is_active=True
        ).first()
        if custom is not None:
            try:
                ctx = Context(context, autoescape=False)
                subject = Template(custom.subject).render(ctx)
                text = Template(custom.body_text).render(ctx)
                html = (
                    Template(custom.body_html).render(Context(context)) if custom.body_html else ""
                )
            except TEMPLATE_ERRORS as exc:
                raise MessageRenderError(
                    f"message template #{custom.pk} ({kind}, {language}) in the admin "
                    f"cannot be rendered: {exc.__class__.__name__}: {exc}"
                ) from exc
        else:
            try:
                subject = render_to_string(f"messages/{kind}.subject", context)
                text = render_to_string(f"messages/{kind}.txt", context)
                html = render_to_string(f"messages/{kind}.html", context)
            except TEMPLATE_ERRORS as exc:
                raise MessageRenderError(
                    f"template messages/{kind}.* cannot be rendered: "
                    f"{exc.__class__.__name__}: {exc}"
                ) from exc
    return Rendered(subject=" ".join(subject.split()), text=text.strip() + "\n", html=html)
