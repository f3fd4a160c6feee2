"""The one-place helpers: 29 February, job dates, staff language, localised names, formats."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.test import RequestFactory, override_settings
from django.utils import translation

from core.dates import day_exists, hotel_day, hotel_instant, occasion_days, occasion_next
from core.formatting import day_month_text, day_text, instant_text, number_text
from core.guest_pages import guest_page_context, guest_page_language
from core.i18n import localised, staff_language, supported_language
from notifications.render import readable_context


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 2, 28), [(2, 28), (2, 29)]),  # no 29 Feb in 2026: greeted on the 28th
        (date(2028, 2, 28), [(2, 28)]),
        (date(2028, 2, 29), [(2, 29)]),
        (date(2026, 3, 1), [(3, 1)]),
    ],
)
def test_29_february_is_kept_on_28_february_in_other_years(day, expected):
    assert occasion_days(day) == expected


def test_the_next_29_february_occasion_falls_on_the_28th_in_a_common_year():
    assert occasion_next(month=2, day=29, today=date(2026, 1, 10)) == date(2026, 2, 28)
    assert occasion_next(month=2, day=29, today=date(2027, 3, 1)) == date(2028, 2, 29)


def test_a_day_exists_without_a_year_for_29_february_but_not_in_a_common_year():
    assert day_exists(month=2, day=29)
    assert not day_exists(month=2, day=29, year=2026)
    assert not day_exists(month=4, day=31)
    assert not day_exists(month=13, day=1)


@override_settings(TIME_ZONE="Asia/Shanghai")
def test_jobs_read_dates_and_instants_in_the_hotels_zone():
    assert hotel_day("2026-03-01") == date(2026, 3, 1)
    assert hotel_day("2026-03-01T17:30:00Z") == date(2026, 3, 2)  # 01:30 next day in Shanghai
    assert hotel_day("2026-03-01T17:30:00") == date(2026, 3, 1)  # no offset: hotel time
    assert hotel_instant("2026-03-01T17:30:00Z") == datetime(2026, 3, 1, 17, 30, tzinfo=UTC)
    assert hotel_instant("2026-03-02").astimezone(UTC) == datetime(2026, 3, 1, 16, tzinfo=UTC)
    with pytest.raises(ValueError):
        hotel_day("next tuesday")


def test_staff_read_their_own_language_else_the_hotels(settings, django_user_model):
    settings.LANGUAGE_CODE = "en"
    assert staff_language(django_user_model(language="zh-hans")) == "zh-hans"
    assert staff_language(django_user_model(language="")) == "en"
    assert staff_language(None) == "en"
    assert supported_language("zh-CN") == "zh-hans"
    assert supported_language("fr") is None


def test_a_localised_name_follows_the_active_language():
    with translation.override("zh-hans"):
        assert localised("Pillow", "枕头") == "枕头"
        assert localised("Pillow", "") == "Pillow"
    with translation.override("en"):
        assert localised("Pillow", "枕头") == "Pillow"


@override_settings(TIME_ZONE="Asia/Shanghai")
def test_one_date_convention_per_language_in_the_hotels_zone():
    instant = datetime(2026, 12, 3, 6, 5, tzinfo=UTC)  # 14:05 in Shanghai
    with translation.override("en"):
        assert day_text(date(2026, 12, 3)) == "3 Dec 2026"
        assert instant_text(instant) == "3 Dec 2026, 14:05"
        assert day_text("2026-12-03") == "3 Dec 2026"
        assert day_month_text(month=2, day=29) == "29 Feb"
        assert day_month_text(month=10, day=25, year=1984) == "25 Oct 1984"
    with translation.override("zh-hans"):
        assert day_text(date(2026, 12, 3)) == "2026年12月3日"
        assert instant_text(instant) == "2026年12月3日 14:05"
        assert day_month_text(month=2, day=29) == "2月29日"


def test_numbers_in_messages_are_grouped_by_thousands():
    for language in ("en", "zh-hans"):
        with translation.override(language):
            assert number_text(5830) == "5,830"
            assert number_text(1234567) == "1,234,567"
            assert number_text("2500.00") == "2,500.00"
            assert number_text(12) == "12"


@override_settings(TIME_ZONE="Asia/Shanghai")
def test_a_messages_iso_details_are_written_for_the_reader():
    context = {"arrival": "2026-12-03", "due_at": "2026-12-03T14:05+08:00", "years": 5}
    with translation.override("zh-hans"):
        readable = readable_context(context)
    assert readable["arrival"] == "2026年12月3日"
    assert readable["arrival_iso"] == "2026-12-03"
    assert readable["due_at"] == "2026年12月3日 14:05"
    assert readable["years"] == 5


def test_a_guest_page_opens_in_the_guests_language_and_the_switch_wins():
    factory = RequestFactory()
    request = factory.get("/complaints/feedback/x/", HTTP_ACCEPT_LANGUAGE="en-US")
    try:
        assert guest_page_language(request, preferred="zh-hans") == "zh-hans"
        assert translation.get_language() == "zh-hans"
        switched = factory.get("/complaints/feedback/x/?lang=en", HTTP_ACCEPT_LANGUAGE="zh")
        assert guest_page_language(switched, preferred="zh-hans") == "en"
        unknown = factory.get("/complaints/feedback/x/", HTTP_ACCEPT_LANGUAGE="zh-CN")
        assert guest_page_language(unknown, preferred=None) == "zh-hans"
        page = guest_page_context(switched, language="en")
    finally:
        translation.activate("en")
    assert [(lang["name"], lang["current"]) for lang in page["guest_languages"]] == [
        ("English", True),
        ("简体中文", False),
    ]
    assert page["guest_languages"][1]["url"] == "/complaints/feedback/x/?lang=zh-hans"
