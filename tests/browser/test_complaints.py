import re

import pytest
from playwright.sync_api import expect

from complaints.models import Ticket


@pytest.fixture
def returning_guest_live(transactional_db):
    from datetime import date

    from guests.models import Guest, Stay

    guest = Guest.objects.create(
        family_name="Chen",
        given_name="Wei",
        salutation="Mr. Chen",
        search_text="wei chen chen wei",
        preferred_language="en",  # the feedback page opens in the guest's language
    )
    for year in (2024, 2025):
        Stay.objects.create(
            guest=guest, arrival=date(year, 5, 1), departure=date(year, 5, 4), room_number="1208"
        )
    return guest


@pytest.mark.django_db(transaction=True)
def test_a_complaint_from_the_desk_to_the_guests_unhappy_feedback(
    page, login, browser, live_server, front_desk, officer, returning_guest_live
):
    # The front desk logs a complaint for a returning guest, from the button on every page.
    login(front_desk)
    page.get_by_role("link", name="Log complaint").click()
    page.get_by_label("Find the guest").fill("chen")
    page.get_by_role("radio", name=re.compile("Wei Chen")).check()
    expect(page.get_by_text(re.compile("Returning guest · 2 stays"))).to_be_visible()
    page.get_by_label("Room").fill("1208")
    page.get_by_label("Department").select_option(label="Housekeeping")
    page.get_by_label("Category").select_option(label="Cleanliness")
    page.get_by_label("Severity").select_option(label="High")
    page.get_by_label("What happened").fill("Bathroom not cleaned; towels dirty.")
    page.get_by_role("button", name="Log complaint").click()
    expect(page.get_by_text(re.compile(r"Complaint C-\d{4}-\d{6} logged"))).to_be_visible()
    ticket = Ticket.objects.get()
    assert ticket.guest == returning_guest_live
    expect(page.get_by_test_id("ticket-number")).to_have_text(ticket.number)

    # An officer acknowledges it, records the apology and the solution, and resolves it.
    officer_context = browser.new_context(base_url=live_server.url, locale="en-US")
    officer_page = officer_context.new_page()
    officer_page.set_default_timeout(10_000)
    officer_page.goto("/accounts/login/")
    officer_page.get_by_label("Username").fill(officer.username)
    officer_page.get_by_label("Password").fill("correct-horse-battery-staple")
    officer_page.get_by_role("button", name="Sign in").click()
    officer_page.wait_for_url("**/")
    officer_page.goto(ticket.get_absolute_url())
    officer_page.get_by_role("button", name="Acknowledge").click()
    expect(officer_page.get_by_test_id("ticket-status")).to_have_text("Acknowledged")

    timeline = officer_page.get_by_test_id("timeline")
    officer_page.get_by_label("Step").select_option(label="Apologised")
    officer_page.get_by_label("Details").fill("Apologised in person at the desk.")
    officer_page.get_by_role("button", name="Add to timeline").click()
    expect(timeline).to_contain_text("Apologised in person at the desk.")
    officer_page.get_by_label("Step").select_option(label="Solution offered")
    officer_page.get_by_label("Details").fill("Moved to a cleaned room; dinner on the house.")
    officer_page.get_by_role("button", name="Add to timeline").click()
    expect(timeline).to_contain_text("Moved to a cleaned room")

    officer_page.reload()
    officer_page.get_by_role("button", name="Start work").click()
    expect(officer_page.get_by_test_id("ticket-status")).to_have_text("In progress")
    officer_page.get_by_text("Resolve", exact=True).click()
    officer_page.get_by_label("How it was resolved").fill("Guest moved and satisfied at the time.")
    officer_page.get_by_role("button", name="Mark resolved").click()
    expect(officer_page.get_by_test_id("ticket-status")).to_have_text("Resolved")
    link = officer_page.get_by_test_id("feedback-link").input_value()
    assert "/complaints/feedback/" in link

    # The guest opens the link (no login), scores 2, and the ticket is reopened.
    guest_context = browser.new_context(base_url=live_server.url, locale="en-US")
    guest_page = guest_context.new_page()
    guest_page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    expect(guest_page.get_by_role("heading", name="How did we do?")).to_be_visible()
    guest_page.get_by_label("2 — Dissatisfied").check()
    guest_page.get_by_label("Anything you would like to tell us").fill("The new room was noisy.")
    guest_page.get_by_role("button", name="Send").click()
    expect(guest_page.get_by_test_id("feedback-thanks")).to_contain_text("contact you again")

    officer_page.reload()
    expect(officer_page.get_by_test_id("ticket-status")).to_have_text("Reopened")
    expect(officer_page.get_by_test_id("timeline")).to_contain_text("scored the resolution 2")
    guest_context.close()
    officer_context.close()
