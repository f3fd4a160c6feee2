"""A low score opens exactly one recovery ticket (or joins the stay's open one) and alerts the
duty managers through the outbox."""

from __future__ import annotations

from datetime import date

import pytest

from complaints.models import Ticket, TimelineEvent
from notifications.models import Notification
from surveys.models import SurveyResponse
from surveys.recovery import survey_recovery
from surveys.services import Answers, recovery_needed
from tests.factories import make_guest, make_stay, make_survey_response, make_ticket

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "answers, needed",
    [
        (Answers(overall=2, recommend=9), True),
        (Answers(overall=3, recommend=9), False),
        (Answers(overall=3, recommend=6, improve="Slow check-in"), True),
        (Answers(overall=3, recommend=6), False),
        (Answers(overall=3, recommend=7, improve="Slow check-in"), False),
        (Answers(overall=3, recommend=6, improve="   "), False),
        (Answers(overall=4, recommend=8, food=2), True),
        (Answers(overall=4, recommend=8, food=3), False),
        (Answers(overall=1, recommend=0), True),
    ],
)
def test_the_recovery_rule_at_its_edges(answers, needed):
    assert recovery_needed(answers) is needed


@pytest.fixture
def stay():
    return make_stay(make_guest(), arrival=date(2026, 5, 1), nights=3, room_number="1208")


@pytest.fixture
def duty(manager, officer):
    return [manager, officer]


def test_a_low_area_opens_a_survey_ticket_in_its_category_with_the_comment(stay, duty):
    response = make_survey_response(
        stay, overall=3, recommend=7, cleanliness=1, improve="Hair in the shower."
    )
    assert response.needs_recovery
    assert survey_recovery(response_id=response.pk) == "opened"
    response.refresh_from_db()
    ticket = response.ticket
    assert response.ticket_opened
    assert ticket.channel == Ticket.Channel.SURVEY
    assert ticket.category.code == "cleanliness" and ticket.department.code == "housekeeping"
    assert ticket.description.startswith("Hair in the shower.")
    assert ticket.guest_id == stay.guest_id and ticket.room_number == "1208"
    alerts = Notification.objects.filter(kind=Notification.Kind.SURVEY_RECOVERY)
    assert sorted(alerts.values_list("to", flat=True)) == sorted(u.email for u in duty)
    assert ticket.number in alerts.first().context["number"]


def test_an_overall_score_without_a_low_area_opens_an_other_ticket(stay, duty):
    response = make_survey_response(stay, overall=1, recommend=2)
    survey_recovery(response_id=response.pk)
    ticket = SurveyResponse.objects.get(pk=response.pk).ticket
    assert ticket.category.code == "other" and ticket.severity == 3
    assert "Overall 1/5, would recommend 2/10." in ticket.description


def test_running_the_recovery_twice_opens_one_ticket_and_alerts_once(stay, duty):
    response = make_survey_response(stay, overall=2, recommend=3)
    assert survey_recovery(response_id=response.pk) == "opened"
    assert survey_recovery(response_id=response.pk) == "already"
    assert Ticket.objects.filter(channel=Ticket.Channel.SURVEY).count() == 1
    assert Notification.objects.filter(kind=Notification.Kind.SURVEY_RECOVERY).count() == 2


def test_a_happy_response_opens_nothing(stay, duty):
    response = make_survey_response(stay, overall=5, recommend=10)
    assert survey_recovery(response_id=response.pk) == "not_needed"
    assert not Ticket.objects.exists()


def test_an_open_ticket_from_the_same_stay_gets_the_response_instead(stay, duty, officer):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    ticket = make_ticket(by=officer, guest=stay.guest)
    during = datetime(2026, 5, 2, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    Ticket.objects.filter(pk=ticket.pk).update(created_at=during)
    response = make_survey_response(stay, overall=2, recommend=4, improve="Still dusty.")
    assert survey_recovery(response_id=response.pk) == "attached"
    response.refresh_from_db()
    assert response.ticket_id == ticket.pk and not response.ticket_opened
    assert Ticket.objects.count() == 1
    note = TimelineEvent.objects.filter(ticket=ticket, kind=TimelineEvent.Kind.NOTE).get()
    assert note.text.startswith("Still dusty.") and note.data["survey_response"] == response.pk


def test_a_ticket_from_another_stay_does_not_absorb_the_response(stay, duty, officer):
    make_ticket(by=officer, guest=stay.guest)  # logged today, long after this stay
    response = make_survey_response(stay, overall=2, recommend=4)
    assert survey_recovery(response_id=response.pk) == "opened"
    assert Ticket.objects.count() == 2


def test_the_response_is_queued_for_recovery_on_commit(
    stay, duty, django_capture_on_commit_callbacks
):
    from unittest import mock

    with (
        mock.patch("surveys.tasks.survey_recovery_task.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = make_survey_response(stay, overall=2, recommend=9)
    delay.assert_called_once_with(response.pk)
