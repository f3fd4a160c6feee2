"""A manager answers a guest's privacy request: reads everything held, then erases it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_guest, make_stay


@pytest.mark.django_db(transaction=True)
def test_a_manager_reads_everything_held_then_erases_the_guest(page, login, manager):
    guest = make_guest(family="Chen", given="Wei", email="wei@x.test", notes="Likes jasmine tea.")
    make_stay(guest, room_number="1208")

    login(manager)
    page.goto(f"/guests/{guest.pk}/")
    page.get_by_role("link", name="Privacy request").click()
    page.wait_for_url(f"**/guests/{guest.pk}/privacy/")
    expect(
        page.get_by_role("heading", name=f"Everything held on guest #{guest.pk}")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Stays")).to_be_visible()
    expect(page.locator("body")).to_contain_text("Likes jasmine tea.")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as JSON").click()
    assert download.value.suggested_filename.startswith(f"guest-{guest.pk}-")

    page.get_by_role("link", name="Erase on request…").click()
    page.get_by_label("Type the profile number to confirm").fill("1")
    page.get_by_role("button", name="Erase this guest's data").click()
    expect(page.get_by_text("That is not this profile's number.")).to_be_visible()
    page.get_by_label("Type the profile number to confirm").fill(str(guest.pk))
    page.get_by_role("button", name="Erase this guest's data").click()
    page.wait_for_url("**/guests/")
    expect(page.get_by_text(re.compile(f"Profile #{guest.pk} was erased"))).to_be_visible()

    page.goto("/guests/search/?q=chen")
    expect(page.get_by_test_id("search-results")).to_have_text("No guest matches “chen”.")
