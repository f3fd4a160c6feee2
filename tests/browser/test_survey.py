"""A guest answers the survey on a phone, in 简体中文, with the keyboard only; a duty manager
then finds the recovery ticket their low score opened (a real Celery worker opens it)."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from surveys.links import survey_token_make
from surveys.models import SurveyResponse
from tests.factories import make_guest, make_stay
from tests.support.waiting import wait_for

PHONE = {"width": 390, "height": 844}


def tab_to(page, describe: str, predicate: str, limit: int = 40) -> None:
    """Press Tab until the focused element matches `predicate` (a JS expression on `el`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {predicate}; }})()"):
            return
    pytest.fail(f"Tab never reached {describe}")


def focused(page, expression: str):
    return page.evaluate(f"(() => {{ const el = document.activeElement; return {expression}; }})()")


@pytest.mark.django_db(transaction=True)
def test_a_guest_answers_in_chinese_by_keyboard_and_a_duty_manager_sees_the_ticket(
    browser, live_server, page, login, officer, celery_workers
):
    celery_workers.start()
    guest = make_guest(
        family="陈",
        given="伟",
        salutation="陈先生",
        name_order="family_first",
        language="zh-hans",
        email="chen.wei@example.com",
    )
    stay = make_stay(guest, arrival=date(2026, 5, 1), nights=3, room_number="1208")
    url = f"/surveys/answer/{survey_token_make(stay=stay)}/"

    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, locale="en-US", has_touch=True
    )
    phone = context.new_page()
    phone.set_default_timeout(10_000)
    loaded: list[tuple[str, int]] = []
    phone.on("requestfinished", lambda request: loaded.append((request.url, request)))
    phone.goto(url)

    # The guest's language, the hotel's name, a visible switch, nothing from elsewhere.
    expect(phone.get_by_role("heading", name="您的入住体验如何？")).to_be_visible()
    expect(phone.get_by_text("尊敬的陈先生：")).to_be_visible()
    switch = phone.get_by_test_id("guest-language-switch")
    expect(switch.get_by_role("link", name="English")).to_be_visible()
    expect(switch.get_by_role("link", name="简体中文")).to_have_attribute("aria-current", "page")
    phone.wait_for_load_state("networkidle")
    origin = urlsplit(live_server.url).netloc
    assert all(urlsplit(u).netloc == origin for u, _r in loaded), loaded
    sizes = [len(request.response().body()) for _u, request in loaded]
    assert sum(sizes) < 150 * 1024, sizes
    # one column that fits the phone: nothing wider than the screen
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.set_viewport_size({"width": 360, "height": 740})
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.set_viewport_size(PHONE)

    # Every control is labelled (a legend for each group of scores, a label for each box).
    expect(phone.get_by_role("group", name="您对这次入住的总体满意度如何？")).to_be_visible()
    expect(phone.get_by_label("我们哪些地方应该做得更好？")).to_be_visible()

    # Keyboard only: overall 2, recommend 3, cleanliness 1, a comment, send.
    tab_to(phone, "overall", "el.name === 'overall'")
    phone.keyboard.press("Space")  # 1
    phone.keyboard.press("ArrowRight")  # 2
    assert focused(phone, "el.value") == "2"
    tab_to(phone, "recommend", "el.name === 'recommend'")
    phone.keyboard.press("Space")  # 0
    for _ in range(3):
        phone.keyboard.press("ArrowRight")
    assert focused(phone, "el.value") == "3"
    tab_to(phone, "room", "el.name === 'room'")  # left at "Skip": Tab on
    tab_to(phone, "cleanliness", "el.name === 'cleanliness'")
    assert focused(phone, "el.value + el.checked") == "true"  # "Skip" is chosen to start with
    phone.keyboard.press("ArrowRight")  # 1
    tab_to(phone, "the comment", "el.name === 'improve'")
    phone.keyboard.type("浴室很脏，毛巾也没有换。")
    tab_to(phone, "the send button", "el.type === 'submit'")
    phone.keyboard.press("Enter")

    expect(phone.get_by_test_id("survey-thanks")).to_contain_text("谢谢！我们已收到您的答卷。")
    expect(phone.get_by_test_id("survey-answers")).to_contain_text("浴室很脏")
    response = SurveyResponse.objects.get(stay=stay)
    assert (response.overall, response.recommend, response.cleanliness, response.room) == (
        2,
        3,
        1,
        None,
    )
    assert response.language == "zh-hans"
    context.close()

    # The worker opens the recovery ticket; the duty manager finds it.
    assert wait_for(lambda: SurveyResponse.objects.get(pk=response.pk).ticket_id, timeout=60)
    ticket = SurveyResponse.objects.get(pk=response.pk).ticket
    login(officer)
    page.goto("/complaints/?queue=open")
    row = page.locator(f'[data-ticket="{ticket.number}"]')
    expect(row).to_contain_text("陈伟")
    row.get_by_role("link", name=ticket.number).click()
    expect(page.get_by_test_id("ticket-number")).to_have_text(ticket.number)
    expect(page.get_by_text("浴室很脏，毛巾也没有换。").first).to_be_visible()
    expect(page.get_by_text("Survey", exact=True).first).to_be_visible()
    # … and the answers on the stay, linked to the ticket
    page.goto(f"/surveys/stays/{stay.pk}/")
    expect(page.get_by_test_id("survey-ticket")).to_have_text(ticket.number)
