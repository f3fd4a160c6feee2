"""A complaint logged for an in-house guest is saved with their room (issue 15, point 5)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.models import Ticket


@pytest.fixture
def in_house(returning_guest):
    from guests.models import Stay

    today = timezone.localdate()
    Stay.objects.create(
        guest=returning_guest,
        arrival=today - timedelta(days=1),
        departure=today + timedelta(days=1),
        room_number="302",
    )
    return returning_guest


@pytest.mark.django_db
def test_a_ticket_for_an_in_house_guest_without_a_room_gets_their_room(
    make_ticket, front_desk, in_house
):
    ticket = make_ticket(by=front_desk, guest=in_house, room_number="")
    assert ticket.room_number == "302"


@pytest.mark.django_db
def test_a_room_typed_by_the_desk_wins_over_the_stay(make_ticket, front_desk, in_house):
    assert make_ticket(by=front_desk, guest=in_house, room_number="1208").room_number == "1208"


@pytest.mark.django_db
def test_a_guest_not_in_house_leaves_the_room_empty(make_ticket, front_desk, returning_guest):
    assert make_ticket(by=front_desk, guest=returning_guest, room_number="").room_number == ""


@pytest.mark.django_db
def test_the_link_from_the_guest_card_opens_the_log_with_the_guest_and_room(
    client, front_desk, in_house
):
    client.force_login(front_desk)
    html = client.get(reverse("complaints:log") + f"?guest={in_house.pk}").content.decode()
    assert f'value="{in_house.pk}" data-room="302" checked' in html
    assert 'name="room_number" value="302"' in html
    assert "---------" not in html and "Choose a category" in html


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["x", "999999", ""])
def test_an_unknown_guest_in_the_link_opens_an_empty_log(client, front_desk, value):
    client.force_login(front_desk)
    response = client.get(reverse("complaints:log") + f"?guest={value}")
    assert response.status_code == 200 and 'name="guest" value=' not in response.content.decode()
    assert Ticket.objects.count() == 0


@pytest.mark.django_db
def test_the_guest_card_offers_to_log_a_complaint_only_to_who_may(
    client, front_desk, account_manager, in_house
):
    url = reverse("guests:detail", args=[in_house.pk])
    client.force_login(front_desk)
    assert "Log a complaint for this guest" in client.get(url).content.decode()
    client.force_login(account_manager)
    assert "Log a complaint for this guest" not in client.get(url).content.decode()
