"""Fewer taps at the desk: a saved ticket in at most three fields and one submit (issue 15)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from complaints.models import Ticket


@pytest.fixture
def in_house_guest(transactional_db):
    from guests.models import Guest, Stay

    guest = Guest.objects.create(
        family_name="Chen", given_name="Wei", salutation="Mr. Chen", search_text="wei chen chen wei"
    )
    today = timezone.localdate()
    Stay.objects.create(
        guest=guest,
        arrival=today - timedelta(days=1),
        departure=today + timedelta(days=2),
        room_number="302",
    )
    return guest


def _no_dashes(page) -> None:
    """Every select on the page starts with a prompt, not Django's '---------'."""
    options = page.locator("select option").all_inner_texts()
    assert options and not [o for o in options if o.strip() == "---------"]


@pytest.mark.django_db(transaction=True)
def test_the_quick_log_takes_three_fields_and_fills_the_in_house_room(
    page, login, front_desk, in_house_guest
):
    login(front_desk)
    page.get_by_role("link", name="Log complaint").click()
    guest_box = page.get_by_label("Find the guest")
    expect(guest_box).to_be_focused()  # the desk types the name at once
    _no_dashes(page)
    expect(page.get_by_label("Category").locator("option").first).to_have_text("Choose a category")

    guest_box.fill("chen")  # field 1: the guest (search, then pick from the results)
    page.get_by_role("radio", name=re.compile("In-house · room 302")).check()
    expect(page.get_by_role("textbox", name="Room")).to_have_value("302")
    page.get_by_label("Category").select_option(label="Noise")  # field 2
    page.get_by_label("What happened").fill("Party next door.")  # field 3
    page.get_by_role("button", name="Log complaint").click()  # the one submit

    expect(page.get_by_text(re.compile(r"Complaint C-\d{4}-\d{6} logged"))).to_be_visible()
    ticket = Ticket.objects.get()
    assert (ticket.guest, ticket.room_number) == (in_house_guest, "302")


@pytest.mark.django_db(transaction=True)
def test_the_guest_card_logs_a_complaint_for_its_guest_already_chosen(
    page, login, front_desk, in_house_guest
):
    login(front_desk)
    page.goto(f"/guests/{in_house_guest.pk}/")
    page.get_by_role("link", name="Log a complaint for this guest").click()
    expect(page.get_by_role("radio", name=re.compile("Wei Chen"))).to_be_checked()
    expect(page.get_by_role("textbox", name="Room")).to_have_value("302")
    page.get_by_label("Category").select_option(label="Noise")
    page.get_by_label("What happened").fill("Air conditioning rattles.")
    page.get_by_role("button", name="Log complaint").click()

    expect(page.get_by_text(re.compile(r"Complaint C-\d{4}-\d{6} logged"))).to_be_visible()
    ticket = Ticket.objects.get()
    assert (ticket.guest, ticket.room_number) == (in_house_guest, "302")
