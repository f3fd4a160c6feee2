"""Writing the ticket's permanent timeline."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from complaints.models import Ticket, TimelineEvent

# Two identical entries by the same person this close together are one double click.
DUPLICATE_WINDOW = timedelta(seconds=30)


def timeline_add(
    *,
    ticket: Ticket,
    by,
    kind: str,
    text: str = "",
    data: dict | None = None,
    at: datetime | None = None,
) -> TimelineEvent:
    """Append one entry to a ticket's story."""
    return TimelineEvent.objects.create(
        ticket=ticket, by=by, kind=kind, text=text, data=data or {}, at=at or timezone.now()
    )


def timeline_recent_duplicate(*, ticket: Ticket, by, kind: str, text: str) -> TimelineEvent | None:
    """The same entry by the same person within the last few seconds, if there is one."""
    return (
        TimelineEvent.objects.filter(
            ticket=ticket,
            by=by,
            kind=kind,
            text=text,
            at__gte=timezone.now() - DUPLICATE_WINDOW,
        )
        .order_by("-at")
        .first()
    )
