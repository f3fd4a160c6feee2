import re

import pytest
from playwright.sync_api import expect


@pytest.mark.django_db(transaction=True)
def test_front_desk_signs_in_switches_to_chinese_and_back(page, login, front_desk):
    login(front_desk)
    expect(page.get_by_role("heading", name=re.compile("Good to see you"))).to_be_visible()
    expect(page.locator("[data-nav=home]")).to_have_text(re.compile("Home"))

    page.get_by_role("button", name="Menu").click()  # 1280 px: the bar folds into a menu
    page.get_by_role("button", name="Language: English").click()
    page.get_by_role("button", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("[data-nav=home]")).to_have_text(re.compile("首页"))

    page.get_by_role("button", name="菜单").click()
    page.get_by_role("button", name="语言: 简体中文").click()
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name=re.compile("Good to see you"))).to_be_visible()
