"""What staff read and do: the stay's survey, a paper or phone survey, the link again, the
guest card panel, the Surveys list with its filters and export."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.test import Client

from accounts import roles
from notifications.models import Notification
from surveys.models import SurveyResponse
from tests.factories import (
    UserFactory,
    department,
    make_guest,
    make_stay,
    make_survey_response,
)

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def stay():
    guest = make_guest(family="Chen", email="wei@guest.test")
    return make_stay(guest, arrival=date(2026, 5, 1), nights=3, room_number="1208")


PAPER = {"channel": "paper", "overall": "4", "recommend": "8", "service": "5", "improve": ""}


def test_an_officer_records_a_paper_survey_for_a_stay(stay, officer):
    client = client_for(officer)
    page = client.get(f"/surveys/stays/{stay.pk}/")
    assert page.status_code == 200 and "Record a survey taken on paper or by phone" in page.text
    response = client.post(f"/surveys/stays/{stay.pk}/record/", PAPER)
    assert response.status_code == 302
    answer = SurveyResponse.objects.get(stay=stay)
    assert answer.channel == "paper" and answer.recorded_by == officer and answer.service == 5
    page = client.get(f"/surveys/stays/{stay.pk}/")
    assert "Paper form" in page.text and "recorded by" in page.text


def test_a_paper_survey_with_a_mistake_keeps_what_was_typed(stay, officer):
    response = client_for(officer).post(
        f"/surveys/stays/{stay.pk}/record/",
        {"channel": "phone", "recommend": "4", "improve": "Noisy corridor"},
    )
    assert response.status_code == 422
    assert "Noisy corridor" in response.text and not SurveyResponse.objects.exists()


def test_a_phone_survey_that_scores_low_is_queued_for_recovery(stay, officer):
    from unittest import mock

    with mock.patch("surveys.tasks.survey_recovery_task.delay"):
        client_for(officer).post(
            f"/surveys/stays/{stay.pk}/record/", {**PAPER, "channel": "phone", "overall": "2"}
        )
    answer = SurveyResponse.objects.get()
    assert answer.channel == "phone" and answer.needs_recovery


def test_the_link_is_sent_again_through_the_outbox(stay, officer):
    client = client_for(officer)
    assert client.post(f"/surveys/stays/{stay.pk}/send/").status_code == 302
    assert client.post(f"/surveys/stays/{stay.pk}/send/").status_code == 302
    sent = Notification.objects.filter(kind=Notification.Kind.SURVEY_REQUEST).order_by("key")
    assert [n.to for n in sent] == ["wei@guest.test", "wei@guest.test"]
    assert "/surveys/answer/" in sent[0].context["survey_url"]
    assert stay.survey_link.times_sent == 2


def test_no_link_is_sent_once_the_guest_has_answered(stay, officer):
    make_survey_response(stay)
    client_for(officer).post(f"/surveys/stays/{stay.pk}/send/")
    assert not Notification.objects.filter(kind=Notification.Kind.SURVEY_REQUEST).exists()


def test_no_link_is_sent_to_a_guest_without_consent(officer):
    stay = make_stay(make_guest(consent=False))
    client_for(officer).post(f"/surveys/stays/{stay.pk}/send/")
    assert not Notification.objects.filter(kind=Notification.Kind.SURVEY_REQUEST).exists()


@pytest.mark.parametrize("who", ["front_desk", "department_head"])
def test_roles_that_do_not_take_surveys_cannot_record_or_send(stay, who, request):
    client = client_for(request.getfixturevalue(who))
    assert client.post(f"/surveys/stays/{stay.pk}/record/", PAPER).status_code == 403
    assert client.post(f"/surveys/stays/{stay.pk}/send/").status_code == 403
    assert not SurveyResponse.objects.exists()


def test_the_guest_card_shows_the_answers(stay, officer, front_desk):
    make_survey_response(stay, overall=2, recommend=3, improve="Cold room")
    card = client_for(officer).get(f"/guests/{stay.guest_id}/")
    assert 'data-testid="surveys-panel"' in card.text and "Overall 2/5" in card.text
    assert "Cold room" in card.text
    desk = client_for(front_desk).get(f"/guests/{stay.guest_id}/")
    assert 'data-testid="surveys-panel"' not in desk.text


def test_a_department_head_reads_only_their_departments_answers(stay, department_head):
    make_survey_response(stay, overall=3, cleanliness=2)  # housekeeping
    other = make_survey_response(make_stay(make_guest(family="Li")), overall=3, food=2)
    client = client_for(department_head)
    listed = client.get("/surveys/")
    assert listed.status_code == 200
    assert f'data-response="{stay.survey_response.pk}"' in listed.text
    assert f'data-response="{other.pk}"' not in listed.text
    assert client.get(f"/surveys/stays/{other.stay_id}/").status_code == 404


def many_responses(n: int) -> None:
    for i in range(n):
        guest = make_guest(family=f"G{i}", email=f"g{i}@guest.test")
        make_survey_response(
            make_stay(guest, arrival=date(2026, 1, 1 + i)),
            overall=1 + i % 5,
            recommend=i % 11,
            room=None if i % 2 else 1 + i % 5,
            improve="Too hot" if i % 3 == 0 else "",
            praise="Lily was lovely" if i % 4 == 0 else "",
        )


def test_the_list_runs_the_same_queries_for_5_or_30_answers(manager, django_assert_max_num_queries):
    client = client_for(manager)
    many_responses(5)
    with django_assert_max_num_queries(12) as few:
        client.get("/surveys/")
    many_responses_count = len(few.captured_queries)
    many_responses(25)
    with django_assert_max_num_queries(many_responses_count):
        response = client.get("/surveys/")
    assert response.status_code == 200 and response.text.count("data-response=") == 25


@pytest.mark.parametrize(
    "query, expected",
    [
        ("band=low", lambda r: r.overall <= 2),
        ("band=high", lambda r: r.overall >= 4),
        ("area=room", lambda r: r.room is not None),
        ("area=room&band=low", lambda r: r.room is not None and r.room <= 2),
        ("has_comment=on", lambda r: r.has_comment),
        ("date_from=2026-01-01&date_to=2099-01-01", lambda r: True),
    ],
)
def test_the_list_filters(manager, query, expected):
    many_responses(12)
    response = client_for(manager).get(f"/surveys/?{query}")
    shown = {int(x.split('"')[0]) for x in response.text.split('data-response="')[1:]}
    wanted = {r.pk for r in SurveyResponse.objects.all() if expected(r)}
    assert shown == wanted


def test_the_list_filters_by_department(manager):
    many_responses(6)
    housekeeping = department("housekeeping")
    response = client_for(manager).get(f"/surveys/?department={housekeeping.pk}")
    shown = {int(x.split('"')[0]) for x in response.text.split('data-response="')[1:]}
    assert shown == set(
        SurveyResponse.objects.filter(department=housekeeping).values_list("pk", flat=True)
    )
    assert shown


def test_a_mistyped_filter_is_said_and_the_list_still_shows(manager):
    many_responses(3)
    response = client_for(manager).get("/surveys/?date_from=yesterday&band=low")
    assert response.status_code == 422 and "Enter a valid date." in response.text


def test_the_export_is_for_permitted_roles_and_neutralises_formulas(manager, department_head):
    make_survey_response(make_stay(make_guest()), overall=2, improve="=HYPERLINK(1)")
    response = client_for(manager).get("/surveys/export.csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == "Answered at" and len(rows) == 2
    assert "'=HYPERLINK(1)" in rows[1]
    assert client_for(department_head).get("/surveys/export.csv").status_code == 403


def test_a_praised_colleague_is_matched_by_name(stay):
    lily = UserFactory(
        first_name="Lily",
        last_name="Wang",
        role=roles.FRONT_DESK,
        department=department("front-office"),
    )
    response = make_survey_response(stay, praise="Lily at the front desk was wonderful")
    assert response.praised == lily and response.praised_department.code == "front-office"
