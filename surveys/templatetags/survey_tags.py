"""Formatting the Guest voice figures: a number in the reader's format, or a dash for none."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def figure(value: float | None, digits: int = 0) -> str:
    """`{{ row.csat|figure }}` → "83"; a figure with nothing behind it → a muted dash."""
    if value is None:
        return mark_safe('<span class="text-body-secondary">—</span>')  # a constant
    return floatformat(value, digits)
