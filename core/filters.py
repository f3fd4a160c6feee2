"""The one filter layer of the list pages: a form read from the query string.

Every list with filters (the complaint queues and their export, guests, the access log, loyalty
members, follow-up tasks, notifications) declares a `ListFilter` subclass and reads it the same
way::

    filters = TicketFilter.from_request(request)
    tickets = selectors.ticket_queue(user=request.user, **filters.values)
    return render(request, "…", {"filters": filters, …}, status=filters.status)

A mistyped filter never hides the list behind an error page: the list is shown unfiltered by
the bad field, the form says what is wrong next to it, and the page answers 422. Pager and sort
links keep every filter with `{% querystring %}`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.forms import FilterChoicePrompts

# Query-string keys that choose the page or the view of a list, not what it holds.
NOT_FILTERS = frozenset({"page", "queue", "sort"})


class ListFilter(FilterChoicePrompts, forms.Form):
    """Filters of one list. Subclasses declare fields; a `date_from`/`date_to` pair is checked
    for order; an empty choice reads "Any". Widgets get Bootstrap's classes so templates can
    render fields as they are."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)

    @classmethod
    def from_request(cls, request: HttpRequest, **kwargs: Any) -> ListFilter:
        """Bound to the query string when it has one, otherwise unbound (the list's defaults)."""
        return cls(request.GET or None, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    @property
    def values(self) -> dict[str, Any]:
        """The valid filters by field name; a field with a mistake is left out."""
        if not self.is_bound:
            return {name: field.initial for name, field in self.fields.items()}
        self.is_valid()
        return {
            name: self.cleaned_data.get(name, field.initial)
            for name, field in self.fields.items()
            if name not in self.errors
        }

    @property
    def active(self) -> bool:
        """Whether anything typed narrows the list (the page then says "no match" not "none")."""
        if not self.is_bound:
            return False
        return any(value for name, value in self.data.items() if name not in NOT_FILTERS)

    @property
    def status(self) -> int:
        """422 when a filter was mistyped, so the page and a script both see the refusal."""
        return 422 if self.is_bound and not self.is_valid() else 200
