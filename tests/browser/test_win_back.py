"""An account manager works a win-back task on a tablet; a manager sees why the guest left."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from retention.services.radar import radar_run
from retention.services.valuation import values_refresh
from tests.factories import make_guest
from tests.retention.conftest import history


@pytest.mark.django_db(transaction=True)
def test_an_account_manager_records_a_lost_guest_and_the_report_counts_it(
    page, login, account_manager, manager
):
    today = timezone.localdate()
    guest = make_guest(family_name="Lin", given_name="Hao", salutation="Mr. Lin")
    guest.account_manager = account_manager
    guest.save()
    history(guest, last_departure=today - timedelta(days=62), gap_days=28, stays=4, spend=1000)
    values_refresh(today=today)
    radar_run(today=today)

    page.set_viewport_size({"width": 768, "height": 1024})
    login(account_manager)
    page.goto("/follow-ups/")
    page.get_by_role("link", name=re.compile("Win back Mr. Lin")).click()
    reasons = page.get_by_test_id("reasons")
    expect(reasons).to_contain_text("62 days ago")
    expect(reasons).to_contain_text("Usually back within 28 days (4 stays so far).")

    page.get_by_label("Lost", exact=True).check()
    page.get_by_label("Why they were lost").select_option(label="Went to a competitor")
    page.get_by_label("Notes (what they said)").fill("Their company moved to the Hilton.")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_text("Outcome recorded. Thank you.")).to_be_visible()

    page.context.clear_cookies()
    login(manager)
    page.goto("/guest-value/lost/")
    expect(page.get_by_role("heading", name="Why guests left")).to_be_visible()
    header = page.get_by_role("columnheader", name="Went to a competitor")
    expect(header).to_be_visible()
    expect(page.locator('tfoot [data-reason="competitor"]')).to_have_text("1")
