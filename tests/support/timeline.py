"""Reading a ticket's timeline in tests."""

from __future__ import annotations


def kinds(ticket) -> list[str]:
    """The kinds of the ticket's timeline entries, oldest first."""
    return list(ticket.events.order_by("at", "pk").values_list("kind", flat=True))
