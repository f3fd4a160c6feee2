"""Merging two profiles of one person, as staff do it: from the card, pick, merge, land."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts import roles
from tests.factories import make_guest, make_stay


@pytest.mark.django_db(transaction=True)
def test_an_officer_merges_a_duplicate_from_the_card_choosing_its_email(page, login, officer):
    kept = make_guest(family="Chen", given="Wei", email="wei@old.test", phone="13800138000")
    other = make_guest(family="Wei", given="Chen", email="chen@new.test", phone="138 0013 8000")
    make_stay(other)

    login(officer)
    page.goto(f"/guests/{kept.pk}/")
    suggestions = page.get_by_test_id("duplicates")
    expect(suggestions).to_contain_text("Same phone number")
    suggestions.get_by_role("link", name="Compare and merge").click()

    page.wait_for_url(f"**/guests/{kept.pk}/merge/{other.pk}/")
    expect(page.get_by_role("heading", name="Merge two profiles of one person")).to_be_visible()
    expect(page.get_by_test_id("merge-table")).to_contain_text("wei@old.test")
    page.get_by_label("(E-mail, The other profile)").check()
    page.get_by_role("button", name="Merge into this profile").click()

    page.wait_for_url(f"**/guests/{kept.pk}/")
    expect(page.get_by_text("was merged into this profile; nothing was lost.")).to_be_visible()
    expect(page.get_by_test_id("email")).to_have_text("chen@new.test")
    expect(page.get_by_test_id("returning")).to_contain_text("1 stay")
    expect(page.get_by_test_id("duplicates")).to_have_count(0)

    page.goto(f"/guests/{other.pk}/")  # the absorbed profile's old address
    page.wait_for_url(f"**/guests/{kept.pk}/")


@pytest.mark.django_db(transaction=True)
def test_the_merge_page_reads_in_chinese(page, login, user_for_role):
    officer = user_for_role(roles.GUEST_RELATIONS, language="zh-hans")
    kept = make_guest(family="陈", given="伟", name_order="family_first", email="a@x.test")
    other = make_guest(family="陈", given="伟", name_order="family_first", email="A@x.test")

    login(officer)
    page.goto(f"/guests/{kept.pk}/")
    expect(page.get_by_test_id("duplicates")).to_contain_text("电子邮箱相同")
    page.get_by_role("link", name="比较并合并").click()
    page.wait_for_url(f"**/guests/{kept.pk}/merge/{other.pk}/")
    expect(page.get_by_role("heading", name="合并同一人的两个档案")).to_be_visible()
    page.get_by_role("button", name="合并到此档案").click()
    page.wait_for_url(f"**/guests/{kept.pk}/")
    expect(page.get_by_text("所有记录均已保留")).to_be_visible()
