"""The one root of the errors our services raise on purpose: a refusal a person can read.

A service that will not do what it was asked raises a `GrcError` (or a subclass of its app)
carrying a translated sentence for the user and the HTTP status a view answers with. Views
handle it in one way:

- around a service call that answers a form, ``with refusal_on(form): …`` turns the refusal
  into an error on the form (what was typed is kept) and ``refusal_status(form)`` is the status
  to render it with;
- a refusal that escapes a view anyway reaches `core.middleware.RefusalMiddleware`, which shows
  the message with the error's status (as a page, or as an alert fragment for htmx).

Field-level validation of typed values stays Django's `ValidationError` (forms show it by field).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class GrcError(Exception):
    """A refused action: `message` is a translated sentence for the user, `status` the HTTP
    status a view answers with, `field` the form field it is about (None: the whole form)."""

    status: int = 422
    default_message: str | Promise = _("This cannot be done.")

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        status: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message if message is not None else self.default_message
        super().__init__(self.message)
        if status is not None:
            self.status = status
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


@contextmanager
def refusal_on(
    form: forms.BaseForm, *, except_for: type[GrcError] | tuple[type[GrcError], ...] = ()
) -> Iterator[None]:
    """Turn a GrcError raised inside the block into an error on `form`, keeping its input.

    `except_for` lets through the refusals the view answers in its own way (a conflict that
    shows the newer version next to what was typed).
    """
    try:
        yield
    except GrcError as exc:
        if isinstance(exc, except_for):
            raise
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, str(exc))
        form.refusal_status = exc.status  # type: ignore[attr-defined]


def refusal_status(form: Any, default: int = 422) -> int:
    """The status to answer a form that failed with: the refusal's, or `default`."""
    return getattr(form, "refusal_status", default)
