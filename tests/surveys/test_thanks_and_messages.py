"""Managers name the colleague a guest thanked; the guest card lists the stays' surveys; the
messages surveys send render in the reader's language."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.test import Client

from accounts import roles
from notifications.models import Notification
from notifications.services import notification_send
from surveys.links import survey_link_issue
from surveys.recovery import survey_recovery
from tests.factories import UserFactory, department, make_guest, make_stay, make_survey_response

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_manager_names_the_colleague_thanked_and_the_head_then_sees_it(
    manager, department_head, officer
):
    mei = UserFactory(
        first_name="Mei",
        last_name="Zhou",
        role=roles.FRONT_DESK,
        department=department("housekeeping"),
    )
    stay = make_stay(make_guest())
    response = make_survey_response(stay, praise="The lady who cleaned our room, so kind")
    assert response.praised is None
    assert "The lady who cleaned" not in client_for(department_head).get("/surveys/thanks/").text
    page = client_for(manager).get(f"/surveys/stays/{stay.pk}/")
    assert "Colleague thanked" in page.text
    saved = client_for(manager).post(f"/surveys/stays/{stay.pk}/thanked/", {"colleague": mei.pk})
    assert saved.status_code == 302
    response.refresh_from_db()
    assert response.praised == mei and response.praised_department.code == "housekeeping"
    assert "The lady who cleaned" in client_for(department_head).get("/surveys/thanks/").text
    refused = client_for(officer).post(f"/surveys/stays/{stay.pk}/thanked/", {"colleague": mei.pk})
    assert refused.status_code == 403


def test_naming_a_colleague_for_an_answer_without_thanks_is_refused(manager):
    stay = make_stay(make_guest())
    make_survey_response(stay, praise="")
    response = client_for(manager).post(f"/surveys/stays/{stay.pk}/thanked/", {"colleague": ""})
    assert response.status_code == 422 and "The guest thanked nobody" in response.text


def test_the_card_lists_the_stays_that_ended_with_their_answers(officer):
    guest = make_guest()
    answered = make_stay(guest, arrival=date(2026, 1, 10))
    asked = make_stay(guest, arrival=date(2026, 2, 10))
    make_stay(guest, arrival=date(2026, 3, 10))  # not asked
    make_survey_response(answered, overall=5, recommend=10)
    survey_link_issue(stay=asked)
    card = client_for(officer).get(f"/guests/{guest.pk}/").text
    assert "Overall 5/5" in card and "link sent, no answer" in card and "not asked" in card
    assert f"/surveys/stays/{asked.pk}/" in card


def test_the_link_sent_again_reads_in_the_guests_language(officer):
    guest = make_guest(language="zh-hans", email="chen@guest.test")
    stay = make_stay(guest, arrival=date(2026, 5, 1))
    client_for(officer).post(f"/surveys/stays/{stay.pk}/send/")
    note = Notification.objects.get(kind=Notification.Kind.SURVEY_REQUEST)
    notification_send(notification_id=note.pk)
    [message] = mail.outbox
    assert message.to == ["chen@guest.test"]
    assert "/surveys/answer/" in message.body and "只需两分钟" in message.body


def test_the_duty_managers_alert_names_the_ticket_and_the_guests_words(manager):
    response = make_survey_response(
        make_stay(make_guest()), overall=1, recommend=1, improve="Mould in the bathroom"
    )
    survey_recovery(response_id=response.pk)
    note = Notification.objects.get(kind=Notification.Kind.SURVEY_RECOVERY)
    notification_send(notification_id=note.pk)
    [message] = mail.outbox
    response.refresh_from_db()
    assert response.ticket.number in message.subject
    assert "Mould in the bathroom" in message.body
    assert response.ticket.get_absolute_url() in message.body


def test_staff_read_the_survey_pages_in_chinese(user_for_role):
    reader = user_for_role(roles.MANAGER, language="zh-hans", department=department("management"))
    stay = make_stay(make_guest(), arrival=date(2026, 5, 1))
    make_survey_response(stay, overall=2, recommend=5, value=2, improve="太贵了")
    client = client_for(reader)
    listed = client.get("/surveys/", HTTP_ACCEPT_LANGUAGE="zh-hans").text
    assert "满意度问卷" in listed and "太贵了" in listed and "性价比 2" in listed
    voice = client.get("/surveys/voice/").text
    assert "宾客之声" in voice and "回复率" in voice and "净推荐值（NPS）" in voice
    page = client.get(f"/surveys/stays/{stay.pk}/").text
    assert "客人的答卷" in page and "总体满意度" in page
