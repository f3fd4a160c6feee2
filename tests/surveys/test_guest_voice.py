"""The Guest voice figures (one selector for every page) and who reads guests' thanks."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from accounts import roles
from surveys.models import SurveyLink, SurveyResponse
from surveys.selectors import guest_voice
from tests.factories import UserFactory, department, make_guest, make_stay, make_survey_response

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def answered(day: date, *, link: bool = True, **answers) -> SurveyResponse:
    stay = make_stay(make_guest(family=f"F{day}{len(answers)}"), arrival=date(2025, 1, 1))
    at = datetime.combine(day, time(10), tzinfo=SHANGHAI)
    if link:
        SurveyLink.objects.create(stay=stay, guest=stay.guest, sent_at=at, last_sent_at=at)
    response = make_survey_response(stay, **answers)
    SurveyResponse.objects.filter(pk=response.pk).update(submitted_at=at)
    return response


def unanswered_link(day: date) -> None:
    stay = make_stay(make_guest(family=f"U{day}"), arrival=date(2025, 1, 1))
    at = datetime.combine(day, time(10), tzinfo=SHANGHAI)
    SurveyLink.objects.create(stay=stay, guest=stay.guest, sent_at=at, last_sent_at=at)


def test_the_figures_by_week_with_the_counts_behind_them(django_assert_max_num_queries):
    # week of Monday 2 March 2026
    answered(date(2026, 3, 2), overall=5, recommend=10, room=4)
    answered(date(2026, 3, 4), overall=4, recommend=9, room=2, food=5)
    answered(date(2026, 3, 8), overall=2, recommend=3)
    answered(date(2026, 3, 8), overall=3, recommend=7, link=False)  # paper: no link
    unanswered_link(date(2026, 3, 5))
    # the next week
    answered(date(2026, 3, 9), overall=1, recommend=0, room=1)
    with django_assert_max_num_queries(2):
        voice = guest_voice(start=date(2026, 3, 1), end=date(2026, 3, 15), period="week")
    assert [p.start for p in voice.periods] == [
        date(2026, 2, 23),
        date(2026, 3, 2),
        date(2026, 3, 9),
    ]
    week = voice.periods[1]
    assert (week.links_sent, week.links_answered) == (4, 3) and week.response_rate == 75
    assert week.responses == 4 and week.satisfied == 2 and week.csat == 50
    assert (week.promoters, week.detractors) == (2, 1) and week.nps == 25
    areas = {area: (avg, n) for area, avg, n in week.areas}
    assert areas["room"] == (3, 2) and areas["food"] == (5, 1) and areas["value"] == (None, 0)
    assert voice.periods[0].responses == 0 and voice.periods[0].csat is None
    total = voice.total
    assert total.responses == 5 and total.nps == 100 * (2 - 2) / 5
    assert {a: n for a, _avg, n in total.areas}["room"] == 3


def test_the_figures_by_month_and_the_hotels_day_boundary():
    # 23:30 on 31 March in Shanghai is still March, though it is 15:30 UTC
    late = answered(date(2026, 3, 31), overall=5, recommend=9)
    SurveyResponse.objects.filter(pk=late.pk).update(
        submitted_at=datetime(2026, 3, 31, 23, 30, tzinfo=SHANGHAI)
    )
    answered(date(2026, 4, 1), overall=1, recommend=2)
    voice = guest_voice(start=date(2026, 3, 1), end=date(2026, 4, 30), period="month")
    assert [(p.start, p.responses) for p in voice.periods] == [
        (date(2026, 3, 1), 1),
        (date(2026, 4, 1), 1),
    ]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_guest_voice_page_is_for_managers(manager, officer, django_assert_max_num_queries):
    answered(timezone.localdate(), overall=4, recommend=9, praise="Thanks to everyone")
    client = client_for(manager)
    with django_assert_max_num_queries(12):
        page = client.get("/surveys/voice/")
    assert page.status_code == 200
    assert "Response rate" in page.text and "CSAT" in page.text and "NPS" in page.text
    assert "Thanks to everyone" in page.text
    month = client.get("/surveys/voice/?period=month&date_from=2025-01-01&date_to=2026-12-31")
    assert month.status_code == 200 and month.text.count("<tr>") >= 24
    assert client_for(officer).get("/surveys/voice/").status_code == 403


def test_a_too_long_range_is_refused_with_a_message(manager):
    page = client_for(manager).get("/surveys/voice/?date_from=2010-01-01&date_to=2026-01-01")
    assert page.status_code == 422 and "Choose at most three years." in page.text


def test_thanks_reach_the_colleagues_department_head_and_managers(manager, department_head):
    UserFactory(
        first_name="Mei",
        last_name="Zhou",
        role=roles.FRONT_DESK,
        department=department("housekeeping"),
    )
    UserFactory(
        first_name="Tom",
        last_name="Baker",
        role=roles.FRONT_DESK,
        department=department("food-beverage"),
    )
    answered(timezone.localdate(), overall=5, recommend=10, praise="Mei Zhou made our room perfect")
    answered(timezone.localdate(), overall=5, recommend=10, praise="Tom at breakfast, thank you")
    head = client_for(department_head).get("/surveys/thanks/")
    assert "Mei Zhou made our room perfect" in head.text
    assert "Tom at breakfast" not in head.text
    everyone = client_for(manager).get("/surveys/thanks/")
    assert "Mei Zhou made our room perfect" in everyone.text and "Tom at breakfast" in everyone.text


def test_the_dashboard_block_shows_managers_the_same_figures(manager, officer):
    from django.template.loader import render_to_string

    from core import seams

    answered(timezone.localdate(), overall=5, recommend=10)
    answered(timezone.localdate(), overall=2, recommend=3)
    block = seams.dashboard_blocks.get("surveys.guest_voice")
    assert block.context(user=officer) is None
    context = block.context(user=manager)
    figures = context["figures"]
    assert (figures.responses, figures.csat, figures.nps) == (2, 50, 0)
    html = render_to_string(block.template, context)
    assert "Guest voice, last 30 days" in html and "(2/2)" in html


def test_the_thanks_page_runs_the_same_queries_for_3_or_20_thanks(
    manager, django_assert_max_num_queries
):
    client = client_for(manager)
    for _ in range(3):
        answered(timezone.localdate(), overall=5, recommend=10, praise="Thank you all")
    with django_assert_max_num_queries(12) as few:
        client.get("/surveys/thanks/")
    for _ in range(17):
        answered(timezone.localdate(), overall=5, recommend=10, praise="Thank you all")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/surveys/thanks/")
    assert page.text.count('data-testid="praise-item"') == 20
