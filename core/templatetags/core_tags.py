from django import template

register = template.Library()


@register.filter
def day(value) -> str:
    """A date (or an ISO string from a message's details) as the reader writes dates."""
    from core.formatting import day_text

    return day_text(value)


@register.filter
def instant(value) -> str:
    """A date and time in the hotel's zone as the reader writes them."""
    from core.formatting import instant_text

    return instant_text(value)


@register.filter
def number(value) -> str:
    """A number grouped by thousands (5,830)."""
    from core.formatting import number_text

    return number_text(value)


@register.filter
def get(mapping, key):
    """mapping[key] in a template (a report's counts by code), or None."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
