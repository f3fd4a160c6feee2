"""Turn a notification's kind, language and details into a subject and bodies."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.template import (
    Context,
    TemplateDoesNotExist,
    TemplateSyntaxError,
    VariableDoesNotExist,
)
from django.template.loader import render_to_string
from django.utils import translation

from core.formatting import day_text, instant_text
from notifications.errors import MessageRenderError
from notifications.models import MessageTemplate
from notifications.sandbox import sandbox_template

# What a template edited in the admin (or a missing file) can raise while being rendered.
TEMPLATE_ERRORS = (TemplateSyntaxError, TemplateDoesNotExist, VariableDoesNotExist)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")


def readable_context(context: dict) -> dict:
    """A message's details with dates and instants written as the reader writes them.

    Details are stored as ISO strings (so a message can be rendered again in any language);
    at render time "2026-12-03" becomes "3 Dec 2026" / "2026年12月3日" and an instant is shown
    in the hotel's zone. The ISO value stays available as `<name>_iso`.
    """
    readable = dict(context)
    for name, value in context.items():
        if not isinstance(value, str):
            continue
        if _ISO_DAY.match(value):
            readable[name], readable[f"{name}_iso"] = day_text(value), value
        elif _ISO_INSTANT.match(value):
            readable[name], readable[f"{name}_iso"] = instant_text(value), value
    return readable


def message_render(*, kind: str, language: str, context: dict) -> Rendered:
    """The hotel's own template for this kind and language if it has one, else ours.

    Our templates are translatable files under templates/messages/<kind>.{subject,txt,html};
    they are rendered with the guest's (or staff member's) language switched on. A template
    that cannot be rendered raises MessageRenderError naming the template and the problem.
    """
    with translation.override(language):
        context = readable_context(context)
        custom = MessageTemplate.objects.filter(
            kind=kind, language=language, is_active=True
        ).first()
        if custom is not None:
            try:
                # The hotel's wording runs in the sandbox: no settings, files or other tags.
                ctx = Context(context, autoescape=False)
                subject = sandbox_template(custom.subject).render(ctx)
                text = sandbox_template(custom.body_text).render(ctx)
                html = (
                    sandbox_template(custom.body_html).render(Context(context))
                    if custom.body_html
                    else ""
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
