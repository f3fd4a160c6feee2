import re

import pytest
from playwright.sync_api import expect

from guests.models import Guest
from loyalty import services
from loyalty.models import Member, PointsTransaction
from tests.loyalty.conftest import loyalty_defaults_install


@pytest.mark.django_db(transaction=True)
def test_the_front_desk_redeems_a_reward_after_confirming_it(page, login, front_desk):
    loyalty_defaults_install()
    guest = Guest.objects.create(family_name="Chen", given_name="Wei", search_text="wei chen")
    member = services.member_enrol(guest=guest, by=front_desk)
    PointsTransaction.objects.create(
        member=member, kind="earn", points=5000, idempotency_key="browser-seed"
    )

    login(front_desk)
    page.goto(f"/loyalty/members/{member.pk}/")
    expect(page.get_by_test_id("balance")).to_have_text("5,000")
    page.get_by_role("link", name="Redeem points").click()

    page.get_by_label(re.compile("Room upgrade for one night")).check()
    page.get_by_label("Note").fill("Room 1203")
    page.get_by_role("button", name="Review").click()

    expect(page.get_by_role("heading", name="Confirm redemption")).to_be_visible()
    expect(page.get_by_text("2,000", exact=True)).to_be_visible()  # the balance after
    member.refresh_from_db()
    assert member.balance == 5000  # nothing is taken before the guest agrees

    page.get_by_role("button", name="Confirm redemption").click()
    redeemed = "Redeemed Room upgrade for one night for 3,000 points."  # grouped by thousands
    expect(page.get_by_text(redeemed)).to_be_visible()
    expect(page.get_by_test_id("balance")).to_have_text("2,000")
    assert Member.objects.get(pk=member.pk).balance == 2000
