import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect


def choose(page, toggle: str, item: str) -> None:
    """Open a menu of the top bar and choose an item; a click that lands while the folded bar
    is still opening does not open the dropdown, so it is tried again."""
    choice = page.get_by_role("button", name=item)
    for _ in range(3):
        page.get_by_role("button", name=toggle).click()
        try:
            choice.wait_for(state="visible", timeout=3000)
            break
        except PlaywrightTimeout:
            continue
    choice.click()


@pytest.mark.django_db(transaction=True)
def test_front_desk_signs_in_switches_to_chinese_and_back(page, login, front_desk):
    login(front_desk)
    expect(page.get_by_role("heading", name=re.compile("Good to see you"))).to_be_visible()
    expect(page.locator("[data-nav=home]")).to_have_text(re.compile("Home"))

    page.get_by_role("button", name="Menu").click()  # 1280 px: the bar folds into a menu
    choose(page, "Language: English", "简体中文")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("[data-nav=home]")).to_have_text(re.compile("首页"))

    page.get_by_role("button", name="菜单").click()
    choose(page, "语言: 简体中文", "English")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name=re.compile("Good to see you"))).to_be_visible()
