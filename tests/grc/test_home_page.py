"""The home page works for each role (issue 15, point 6), in a constant number of queries."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from complaints import services
from complaints.models import Category, Ticket
from tests.factories import department, make_guest


def _in_house(family: str, room: str, vip: int = 0):
    from guests.models import Stay

    guest = make_guest(family=family, vip_level=vip)
    today = timezone.localdate()
    Stay.objects.create(
        guest=guest,
        arrival=today - timedelta(days=1),
        departure=today + timedelta(days=2),
        room_number=room,
    )
    return guest


def _ticket(by, **kwargs) -> Ticket:
    kwargs.setdefault("guest_name", "Mr. Smith" if "guest" not in kwargs else "")
    return services.ticket_log(
        by=by,
        department=department("housekeeping"),
        category=Category.objects.get(code="noise"),
        description="Party next door.",
        **kwargs,
    )


def _home(client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("home")).content.decode()
    return html, len(queries)


@pytest.mark.django_db
def test_the_front_desk_sees_vips_and_in_house_guests_with_open_complaints_not_tiles(
    client, front_desk
):
    client.force_login(front_desk)
    vip = _in_house("Vip", "801", vip=2)
    unhappy = _in_house("Unhappy", "302")
    _ticket(front_desk, guest=unhappy, room_number="302")
    html, few = _home(client)
    assert 'data-testid="home-actions"' not in html  # the tiles that repeated the menu
    assert "VIPs in the house" in html and vip.address_as in html and "Room 801" in html
    assert "In-house guests with an open complaint" in html and unhappy.display_name in html
    assert "Complaints at a glance" not in html and "Your tickets that need you" not in html

    for i in range(4):
        _in_house(f"Vip{i}", f"90{i}", vip=1)
        _ticket(front_desk, guest=_in_house(f"Unhappy{i}", f"40{i}"))
    html, many = _home(client)
    assert html.count("Room 40") == 4 and many == few


@pytest.mark.django_db
def test_an_officer_sees_their_overdue_and_due_soon_tickets(client, officer):
    client.force_login(officer)
    overdue = _ticket(officer, severity=4)
    services.ticket_acknowledge(ticket=overdue, by=officer)
    Ticket.objects.filter(pk=overdue.pk).update(resolve_due_at=timezone.now() - timedelta(hours=1))
    soon = _ticket(officer, severity=4)
    services.ticket_acknowledge(ticket=soon, by=officer)
    Ticket.objects.filter(pk=soon.pk).update(
        created_at=timezone.now() - timedelta(hours=4),
        resolve_due_at=timezone.now() + timedelta(minutes=10),
    )
    calm = _ticket(officer, severity=1)
    services.ticket_acknowledge(ticket=calm, by=officer)
    html, few = _home(client)
    block = html[html.index('data-testid="home-my-due"') :]
    assert overdue.number in block and soon.number in block and calm.number not in block
    assert block.index(overdue.number) < block.index("Due soon") < block.index(soon.number)
    assert "VIPs in the house" not in html and "Complaints at a glance" not in html

    for _ in range(3):
        extra = _ticket(officer, severity=4)
        services.ticket_acknowledge(ticket=extra, by=officer)
        Ticket.objects.filter(pk=extra.pk).update(
            resolve_due_at=timezone.now() - timedelta(hours=2)
        )
    assert _home(client)[1] == few


@pytest.mark.django_db
def test_a_manager_sees_the_headline_figures_and_approvals_waiting(client, manager, officer):
    client.force_login(manager)
    ticket = _ticket(officer)
    services.recovery_propose(
        ticket=ticket, by=officer, kind="refund", value=Decimal("99999"), description="Refund"
    )
    html, few = _home(client)
    assert "Complaints at a glance" in html and 'data-figure="open">1<' in html
    assert 'data-figure="approvals">1<' in html and ticket.number in html
    assert "VIPs in the house" not in html

    for _ in range(3):
        services.recovery_propose(
            ticket=_ticket(officer), by=officer, kind="refund", value=Decimal("99999")
        )
    html, many = _home(client)
    assert 'data-figure="approvals">4<' in html and many == few


@pytest.mark.django_db
def test_an_account_manager_sees_no_complaint_or_desk_blocks(client, account_manager):
    client.force_login(account_manager)
    html, _count = _home(client)
    assert 'data-testid="home-blocks"' in html
    for title in ("VIPs in the house", "Complaints at a glance", "Your tickets that need you"):
        assert title not in html
