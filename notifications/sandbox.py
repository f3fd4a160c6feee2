"""The template engine for wording the hotel edits in the admin (MessageTemplate): a sandbox.

It knows only the tags that shape text (if, for, with, firstof, cycle, now, …) and the default
filters without `safe` / `safeseq`; it has no template loader, so `include` and `extends` cannot
read files; `load` reaches only i18n; `debug`, `url`, `csrf_token` and every app's tag library
are unknown. Its context is the message's own details (plain strings and numbers) and nothing
else: no settings, no request, no objects with methods. What a guest typed is escaped in the
HTML body whatever the template says.
"""

from __future__ import annotations

from django.template import Engine, Library, Template, defaultfilters, defaulttags

ALLOWED_TAGS = (
    "comment",
    "cycle",
    "filter",
    "firstof",
    "for",
    "if",
    "ifchanged",
    "load",
    "now",
    "spaceless",
    "templatetag",
    "verbatim",
    "widthratio",
    "with",
)
BLOCKED_FILTERS = {"safe", "safeseq"}

register = Library()
for _name in ALLOWED_TAGS:
    register.tags[_name] = defaulttags.register.tags[_name]
for _name, _filter in defaultfilters.register.filters.items():
    if _name not in BLOCKED_FILTERS:
        register.filters[_name] = _filter


class SandboxEngine(Engine):
    default_builtins: list[str] = []  # not Django's tags, filters and loader tags


ENGINE = SandboxEngine(
    loaders=[],
    builtins=["notifications.sandbox"],
    libraries={"i18n": "django.templatetags.i18n"},
    autoescape=True,
    debug=False,
)


def sandbox_template(source: str) -> Template:
    """Compile admin-edited wording in the sandbox (TemplateSyntaxError on a tag it refuses)."""
    return ENGINE.from_string(source)
