"""Template helpers for guest pages: masked contact details, birthdays, VIP badges."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from guests.selectors import contact_mask

register = template.Library()


@register.filter
def contact(value: str, show: bool) -> str:
    """The phone number or e-mail in full for those allowed, else all but the last four hidden."""
    return value if show else contact_mask(value)


@register.simple_tag
def day_month(month: int | None, day: int | None, year: int | None = None) -> str:
    """A birthday as staff read it: "29/2" or "29/2/1980"; empty if not known."""
    if not month or not day:
        return ""
    if year:
        return _("%(day)s/%(month)s/%(year)s") % {"day": day, "month": month, "year": year}
    return _("%(day)s/%(month)s") % {"day": day, "month": month}
