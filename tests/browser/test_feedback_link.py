"""The feedback link reaches the guest, opens in their language, and the ticket reads in yours."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from complaints import services
from notifications.models import Notification
from tests.factories import PASSWORD

REQUEST = Notification.Kind.COMPLAINT_FEEDBACK_REQUEST


@pytest.fixture
def resolved_for_chinese_guest(transactional_db, officer, settings):
    from guests.models import Guest
    from tests.factories import department

    settings.HOTEL_NAME = "Lotus Garden Hotel"
    guest = Guest.objects.create(
        family_name="陈",
        given_name="伟",
        salutation="陈先生",
        email="chen.wei@example.com",
        preferred_language="zh-hans",
        preferred_channel=Guest.Channel.EMAIL,
        greetings_consent=True,
    )
    from complaints.models import Category

    ticket = services.ticket_log(
        by=officer,
        guest=guest,
        department=department("housekeeping"),
        category=Category.objects.get(code="cleanliness"),
        description="Towels not changed.",
        room_number="1208",
    )
    services.ticket_acknowledge(ticket=ticket, by=officer)
    services.ticket_start(ticket=ticket, by=officer)
    services.ticket_resolve(ticket=ticket, by=officer, note="Fresh towels and an apology.")
    # what the worker does once the resolution is committed
    assert services.feedback_request_send(ticket_id=ticket.pk) == "sent"
    return ticket


def sign_in(context, user):
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    return page


@pytest.mark.django_db(transaction=True)
def test_the_guest_gets_the_link_in_their_language_and_staff_read_the_outcome_in_theirs(
    page, login, browser, live_server, officer, user_for_role, resolved_for_chinese_guest
):
    from accounts import roles

    ticket = resolved_for_chinese_guest

    # The officer sees that the link went out, and sends it again from the ticket page.
    login(officer)
    page.goto(ticket.get_absolute_url())
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("Feedback link sent to the guest by e-mail.")
    expect(page.get_by_test_id("feedback-request")).to_have_count(1)
    page.get_by_role("button", name="Send the feedback link to the guest again").click()
    expect(page.get_by_text("The feedback link is on its way to the guest.")).to_be_visible()
    expect(page.get_by_test_id("feedback-request")).to_have_count(2)
    expect(timeline).to_contain_text("Feedback link sent to the guest again by e-mail.")

    # The guest opens the link from the message, with an English browser: the page is in
    # their language, carries the hotel's name, and switches to English on request.
    message = Notification.objects.filter(kind=REQUEST).order_by("pk").first()
    link = message.context["feedback_url"].replace("http://127.0.0.1:8000", live_server.url)
    guest_context = browser.new_context(base_url=live_server.url, locale="en-US")
    guest = guest_context.new_page()
    guest.set_default_timeout(10_000)
    guest.goto(link)
    expect(guest.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(guest.get_by_role("heading", name="您对我们的处理满意吗？")).to_be_visible()
    expect(guest.get_by_test_id("hotel-name")).to_have_text("Lotus Garden Hotel")
    expect(guest.get_by_text("GRC")).to_have_count(0)
    guest.get_by_role("link", name="English").click()
    expect(guest.get_by_role("heading", name="How did we do?")).to_be_visible()
    guest.get_by_label("1 — Very dissatisfied").check()
    guest.get_by_role("button", name="Send").click()
    expect(guest.get_by_test_id("feedback-thanks")).to_contain_text("contact you again")
    guest_context.close()

    # The system's entries read in each reader's language, whoever caused them.
    page.reload()
    expect(page.get_by_test_id("ticket-status")).to_have_text("Reopened")
    expect(timeline).to_contain_text("The guest scored the resolution 1 out of 5.")
    chinese_officer = user_for_role(roles.GUEST_RELATIONS, language="zh-hans")
    staff_context = browser.new_context(base_url=live_server.url, locale="en-US")
    chinese = sign_in(staff_context, chinese_officer)
    chinese.goto(ticket.get_absolute_url())
    expect(chinese.get_by_test_id("timeline")).to_contain_text(
        re.compile("客人对处理结果的评分为 1 分")
    )
    expect(chinese.get_by_test_id("timeline")).to_contain_text("已通过电子邮件向客人发送反馈链接。")
    staff_context.close()
