"""Helpers for the complaints tests: guests and tickets made through the real services."""

from __future__ import annotations

from datetime import date

import pytest

from complaints import services
from complaints.models import Category, Ticket
from tests.factories import department


@pytest.fixture
def returning_guest(db):
    from guests.models import Guest, GuestPhone, Stay

    guest = Guest.objects.create(
        family_name="Chen",
        given_name="Wei",
        salutation="Mr. Chen",
        search_text="wei chen chen wei wei.chen@example.com",
        email="wei.chen@example.com",
    )
    GuestPhone.objects.create(
        guest=guest, number="+8613800138000", digits_reversed="8613800138000"[::-1]
    )
    for year in (2024, 2025):
        Stay.objects.create(
            guest=guest, arrival=date(year, 5, 1), departure=date(year, 5, 4), room_number="1208"
        )
    return guest


@pytest.fixture
def make_ticket(db):
    """make_ticket(by=user, **overrides) logs a ticket through the service."""

    def make(*, by, **kwargs) -> Ticket:
        kwargs.setdefault("department", department("housekeeping"))
        kwargs.setdefault("category", Category.objects.get(code="cleanliness"))
        kwargs.setdefault("description", "Hair in the bathtub.")
        if "guest" not in kwargs:
            kwargs.setdefault("guest_name", "Mr. Smith")
        kwargs.setdefault("room_number", "1208")
        return services.ticket_log(by=by, **kwargs)

    return make


@pytest.fixture
def resolved_ticket(make_ticket, officer):
    ticket = make_ticket(by=officer)
    services.ticket_acknowledge(ticket=ticket, by=officer)
    services.ticket_start(ticket=ticket, by=officer)
    return services.ticket_resolve(ticket=ticket, by=officer, note="Room deep-cleaned.")
