import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import make_guest, make_stay


@pytest.mark.django_db(transaction=True)
def test_front_desk_recognises_a_returning_guest_from_part_of_a_chinese_name(
    page, login, front_desk
):
    today = timezone.localdate()
    birthday = today + timedelta(days=2)
    guest = make_guest(
        family_name="陈",
        given_name="伟明",
        name_order="family_first",
        salutation="陈生",
        birth_month=birthday.month,
        birth_day=birthday.day,
        phones=["138 0013 8000"],
    )
    for days_ago in (300, 120, 20):
        make_stay(guest, arrival=today - timedelta(days=days_ago))
    make_guest(family_name="王", given_name="芳", name_order="family_first", salutation="王女士")

    login(front_desk)
    page.keyboard.press("/")  # the search box is reachable from every page
    search = page.get_by_role("combobox", name="Find a guest")
    expect(search).to_be_focused()
    search.press_sequentially("伟明", delay=50)
    option = page.get_by_role("option", name=re.compile("陈生"))
    expect(option).to_be_visible()
    expect(page.get_by_role("option")).to_have_count(1)
    expect(option).to_contain_text("3 stays")
    search.press("Enter")  # the first result is chosen; Enter opens it

    page.wait_for_url(f"**/guests/{guest.pk}/")
    expect(page.get_by_test_id("salutation")).to_have_text("陈生")
    expect(page.get_by_test_id("returning")).to_contain_text("3 stays")
    expect(page.get_by_test_id("occasion")).to_contain_text("Birthday")
    expect(page.get_by_test_id("occasion")).to_contain_text("in 2 days")
    expect(page.get_by_test_id("phones")).to_have_text(re.compile(r"^•+8000$"))
    expect(page.locator("body")).not_to_contain_text("13800138000")


@pytest.mark.django_db(transaction=True)
def test_the_search_box_works_without_waiting_for_suggestions(page, login, front_desk):
    make_guest(family_name="Smith", given_name="Anna", salutation="Ms. Smith")
    login(front_desk)
    search = page.get_by_role("combobox", name="Find a guest")
    search.fill("smith")
    search.press("Enter")
    page.wait_for_url("**/guests/search/?q=smith")
    expect(page.get_by_test_id("search-results")).to_contain_text("Ms. Smith")
