"""The change log of guest records: what the services call to record who changed what.

Our own small table rather than django-simple-history or django-auditlog: the card needs one
indexed read of everything that changed on a guest *and its rows* (phones, family, preferences,
stays), with the acting user the services are already given — no thread-local "current user",
no history table per model, no full-row copies — and values rendered (and contact details
masked) in the reader's language when shown.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from accounts.models import User
from guests.models import Company, Guest, GuestChange

# Fields never written into the log: derived from others, or the row's owner.
DERIVED = {
    "id",
    "search_text",
    "name_grams",
    "digits_reversed",
    "month",
    "day",
    "completed_stays",  # counted from the stays, which are logged themselves
    "last_departure",
}

# (subject, field) whose values are contact details: masked for staff who see them masked.
CONTACT_FIELDS = {
    (GuestChange.Subject.GUEST, "email"),
    (GuestChange.Subject.PHONE, "number"),
    (GuestChange.Subject.COMPANY, "billing_email"),
    (GuestChange.Subject.CONTACT, "phone"),
    (GuestChange.Subject.CONTACT, "email"),
}


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or None
    return str(value)


def snapshot(obj: models.Model, *, owner: str = "") -> dict[str, str | None]:
    """The loggable values of `obj`'s own fields (foreign keys by their display name), leaving
    out derived fields, time stamps and the `owner` foreign key (a phone's guest)."""
    return {
        f.name: _text(getattr(obj, f.name))
        for f in obj._meta.concrete_fields
        if f.name not in DERIVED and f.name != owner and not f.name.endswith("_at")
    }


def diff(before: dict[str, str | None], after: dict[str, str | None]) -> dict[str, list]:
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def change_record(
    *,
    by: User | None,
    subject: str,
    subject_id: int,
    action: str,
    changes: dict[str, list] | None = None,
    guest: Guest | None = None,
    company: Company | None = None,
) -> GuestChange | None:
    """Record one change. A save that changed nothing records nothing."""
    changes = changes or {}
    if action == GuestChange.Action.CHANGED and not changes:
        return None
    return GuestChange.objects.create(
        guest=guest,
        company=company,
        by=by,
        subject=subject,
        subject_id=subject_id,
        action=action,
        changes=changes,
    )


def created(obj: models.Model, *, owner: str = "", **kwargs: Any) -> GuestChange | None:
    """Record that `obj` was added, with the values it was added with."""
    values = {k: [None, v] for k, v in snapshot(obj, owner=owner).items() if v is not None}
    return change_record(
        subject_id=obj.pk, action=GuestChange.Action.CREATED, changes=values, **kwargs
    )


def deleted(obj: models.Model, *, owner: str = "", **kwargs: Any) -> GuestChange | None:
    """Record that `obj` was removed, with the values it had."""
    values = {k: [v, None] for k, v in snapshot(obj, owner=owner).items() if v is not None}
    return change_record(
        subject_id=obj.pk, action=GuestChange.Action.DELETED, changes=values, **kwargs
    )
