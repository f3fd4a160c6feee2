"""Template helpers for guest pages: masked contact details, birthdays, VIP badges."""

from __future__ import annotations

from django import template

from guests.selectors import contact_mask

register = template.Library()


@register.filter
def contact(value: str, show: bool) -> str:
    """The phone number or e-mail in full for those allowed, else all but the last four hidden."""
    return value if show else contact_mask(value)


@register.simple_tag
def day_month(month: int | None, day: int | None, year: int | None = None) -> str:
    """A birthday as staff read it: "29 Feb", "29 Feb 1980", "2月29日"; empty if unknown."""
    from core.formatting import day_month_text

    return day_month_text(month=month, day=day, year=year)


@register.filter
def is_rows(value) -> bool:
    """A nested list of rows in a privacy export (a ticket's timeline)."""
    return isinstance(value, list) and all(isinstance(row, dict) for row in value)
