"""Helpers for the complaints tests: guests and tickets made through the real services."""

from __future__ import annotations

from datetime import date

import pytest

from complaints import services
from tests import factories
from tests.factories import make_guest, make_stay


@pytest.fixture
def returning_guest(db):
    guest = make_guest(email="wei.chen@example.com", phone="+8613800138000", consent=False)
    for year in (2024, 2025):
        make_stay(guest, arrival=date(year, 5, 1), nights=3, room_number="1208")
    return guest


@pytest.fixture
def make_ticket(db):
    """make_ticket(by=user, **overrides) logs a ticket through the service (tests.factories)."""
    return factories.make_ticket


@pytest.fixture
def resolved_ticket(make_ticket, officer):
    ticket = make_ticket(by=officer)
    services.ticket_acknowledge(ticket=ticket, by=officer)
    services.ticket_start(ticket=ticket, by=officer)
    return services.ticket_resolve(ticket=ticket, by=officer, note="Room deep-cleaned.")
