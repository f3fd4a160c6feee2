"""Turn a notification's kind, language and details into a subject and bodies."""

from __future__ import annotations

from dataclasses import dataclass

from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from grc.models import MessageTemplate


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def message_render(*, kind: str, language: str, context: dict) -> Rendered:
    """The hotel's own template for this kind and language if it has one, else ours.

    Our templates are translatable files under templates/messages/<kind>.{subject,txt,html};
    they are rendered with the guest's (or staff member's) language switched on.
    """
    with translation.override(language):
        custom = MessageTemplate.objects.filter(
            kind=kind, language=language, is_active=True
        ).first()
        if custom is not None:
            ctx = Context(context, autoescape=False)
            subject = Template(custom.subject).render(ctx)
            text = Template(custom.body_text).render(ctx)
            html = Template(custom.body_html).render(Context(context)) if custom.body_html else ""
        else:
            subject = render_to_string(f"messages/{kind}.subject", context)
            text = render_to_string(f"messages/{kind}.txt", context)
            html = render_to_string(f"messages/{kind}.html", context)
    return Rendered(subject=" ".join(subject.split()), text=text.strip() + "\n", html=html)
