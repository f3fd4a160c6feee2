"""`{{ form|crispy }}` that renders an unbound form once per process and reuses the HTML.

The ticket page shows up to seven small forms in closed panels (resolve, close, reopen, bring
in a department, escalate, offer a recovery action, record feedback, the timeline step): with
crispy's bootstrap5 templates they were about 40 % of the page's CPU time, and they are the same
on every request. Load this library after `crispy_forms_tags` and `|crispy` looks the form up
by everything its HTML depends on — the form class, prefix and ids, the language and time zone,
and per field its kind, label, help text, required/disabled, widget and widget attributes, the
value shown and the choices (so a new department or officer in a list is a new entry, never a
stale page). A bound form (typed values, errors) is always rendered afresh. Anything whose
description is not a plain value (an object shown by address) simply never matches, so the
worst case is crispy's own cost, never a wrong form.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from crispy_forms.utils import TEMPLATE_PACK
from django import forms, template
from django.utils import timezone, translation

register = template.Library()

MAX_ENTRIES = 512
_rendered: OrderedDict[tuple, str] = OrderedDict()
_lock = Lock()


def _plain(value) -> str:
    """A value as text, choices (and their groups) included."""
    if isinstance(value, list | tuple):
        return "(" + ",".join(_plain(v) for v in value) + ")"
    return f"{type(value).__name__}:{value}"


def _field_key(bound: forms.BoundField) -> tuple:
    field, widget = bound.field, bound.field.widget
    choices = getattr(widget, "choices", None)
    return (
        bound.name,
        type(field).__module__,
        type(field).__qualname__,
        _plain(field.label),
        _plain(field.help_text),
        field.required,
        field.disabled,
        field.show_hidden_initial,
        field.localize,
        _plain(field.label_suffix),
        type(widget).__module__,
        type(widget).__qualname__,
        widget.template_name,
        widget.is_hidden,
        repr(sorted(bound.build_widget_attrs(widget.attrs, widget).items())),
        repr(
            sorted(
                (k, v) for k, v in vars(widget).items() if k not in {"attrs", "choices", "_choices"}
            )
        ),
        _plain(bound.value()),
        _plain([(c[0], c[1]) for c in choices]) if choices is not None else None,
    )


def form_key(form: forms.BaseForm, args: tuple) -> tuple | None:
    """Everything an unbound form's crispy HTML depends on; None for a bound form."""
    if not isinstance(form, forms.BaseForm) or form.is_bound:
        return None
    return (
        type(form).__module__,
        type(form).__qualname__,
        form.prefix,
        _plain(form.auto_id),
        _plain(form.label_suffix),
        form.use_required_attribute,
        _plain(getattr(form, "error_css_class", None)),
        _plain(getattr(form, "required_css_class", None)),
        translation.get_language(),
        timezone.get_current_timezone_name(),
        args,
        tuple(_field_key(bound) for bound in form),
    )


@register.filter(name="crispy")
def crispy(form, template_pack=TEMPLATE_PACK, label_class="", field_class=""):
    """crispy's `|crispy`, remembered for unbound forms (see the module's docstring)."""
    key = form_key(form, (template_pack, label_class, field_class))
    if key is None:
        return as_crispy_form(form, template_pack, label_class, field_class)
    with _lock:
        html = _rendered.get(key)
        if html is not None:
            _rendered.move_to_end(key)
            return html
    html = as_crispy_form(form, template_pack, label_class, field_class)
    with _lock:
        _rendered[key] = html
        while len(_rendered) > MAX_ENTRIES:
            _rendered.popitem(last=False)
    return html


def forget() -> None:
    """Empty the memo (tests)."""
    with _lock:
        _rendered.clear()
