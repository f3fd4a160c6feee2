"""A real Celery worker: the recovery task delivered twice (a redelivery after a lost ack, or
two workers) opens one ticket and alerts each duty manager once."""

from __future__ import annotations

import pytest

from complaints.models import Ticket
from notifications.models import Notification
from surveys.models import SurveyResponse
from tests.factories import make_guest, make_stay, make_survey_response
from tests.support.waiting import wait_for, workers_idle


@pytest.mark.django_db(transaction=True)
def test_the_recovery_task_delivered_twice_opens_one_ticket(celery_workers, manager, officer):
    celery_workers.start(concurrency=2)
    stay = make_stay(make_guest(), room_number="0808")
    # recorded (and committed): the answer queues the task once by itself …
    response = make_survey_response(stay, overall=1, recommend=2, improve="Broken shower")
    from surveys.tasks import survey_recovery_task

    # … and it is delivered twice more, at once, to two worker processes
    survey_recovery_task.delay(response.pk)
    survey_recovery_task.delay(response.pk)

    def ticket_id():
        return SurveyResponse.objects.get(pk=response.pk).ticket_id

    assert wait_for(ticket_id, timeout=60)
    assert workers_idle(timeout=60)
    tickets = Ticket.objects.filter(channel=Ticket.Channel.SURVEY)
    assert tickets.count() == 1
    assert tickets.get().description.startswith("Broken shower")
    alerts = Notification.objects.filter(kind=Notification.Kind.SURVEY_RECOVERY)
    assert sorted(alerts.values_list("recipient_user_id", flat=True)) == sorted(
        [manager.pk, officer.pk]
    )
