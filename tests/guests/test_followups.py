from datetime import date, timedelta

import pytest
from django.core import mail

from core import seams
from guests import followups
from guests.models import CareTask, Stay
from notifications.models import Notification
from notifications.services import notification_send
from tests.factories import make_guest

TODAY = date(2026, 6, 11)


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def stay_for(guest, departure=date(2026, 6, 10), pms="P1") -> Stay:
    return Stay.objects.create(
        guest=guest, arrival=date(2026, 6, 7), departure=departure, pms_reference=pms
    )


@pytest.mark.django_db
def test_the_day_after_departure_the_guest_gets_a_thank_you():
    guest = make_guest()
    stay_for(guest)
    stay_for(make_guest(family="Still"), departure=date(2026, 6, 11), pms="P2")
    assert followups.post_stay_followups_create(day=TODAY) == {"messages": 1, "tasks": 0}
    note = Notification.objects.get()
    notification_send(notification_id=note.pk)
    [message] = mail.outbox
    assert message.to == [guest.email]
    assert "from 7 Jun 2026 to 10 Jun 2026" in message.body  # the reader's date format
    assert "how we did" in message.body and "/surveys/answer/" in message.body  # surveys' link


@pytest.mark.django_db
def test_the_survey_link_appears_once_surveys_plug_in():
    stay = stay_for(make_guest())
    seams.survey_links.register("surveys", lambda s: f"https://hotel.example/s/{s.pk}")
    followups.post_stay_followups_create(day=TODAY)
    notification_send(notification_id=Notification.objects.get().pk)
    assert f"https://hotel.example/s/{stay.pk}" in mail.outbox[0].body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("channel", "kind"),
    [("phone", "post_stay_call"), ("visit", "post_stay_visit"), ("letter", "post_stay_letter")],
)
def test_guests_who_prefer_a_person_get_a_task_for_their_account_manager(
    account_manager, channel, kind
):
    guest = make_guest(channel=channel, account_manager=account_manager)
    stay_for(guest)
    followups.post_stay_followups_create(day=TODAY)
    assert not Notification.objects.exists()
    task = CareTask.objects.get()
    assert (task.kind, task.assigned_to, task.due_on) == (kind, account_manager, TODAY)
    assert "Mr. Chen" in task.title and "7 Jun 2026" in task.title


@pytest.mark.django_db
def test_follow_ups_are_created_once_however_often_the_job_runs(account_manager):
    stay_for(make_guest(channel="phone", account_manager=account_manager))
    stay_for(make_guest(family="Mail"), pms="P2")
    followups.post_stay_followups_create(day=TODAY)
    followups.post_stay_followups_create(day=TODAY)
    assert CareTask.objects.count() == 1 and Notification.objects.count() == 1


@pytest.mark.django_db
def test_no_follow_up_without_consent():
    stay_for(make_guest(consent=False))
    assert followups.post_stay_followups_create(day=TODAY) == {"messages": 0, "tasks": 0}


@pytest.mark.django_db
def test_the_nightly_sweep_moves_guests_between_in_house_and_past():
    from guests.models import Guest
    from guests.services import guest_stages_refresh

    left = make_guest(family="Left", stage=Guest.Stage.IN_HOUSE)
    stay_for(left, departure=date(2026, 6, 11), pms="L")
    arriving = make_guest(family="Arriving", stage=Guest.Stage.PAST)
    Stay.objects.create(
        guest=arriving, arrival=date(2026, 6, 11), departure=date(2026, 6, 13), pms_reference="A"
    )
    prospect = make_guest(family="Prospect", stage=Guest.Stage.PROSPECT)

    assert guest_stages_refresh(today=date(2026, 6, 11)) == {
        "in_house": 1,
        "past": 1,
        "recounted": 1,
    }
    assert guest_stages_refresh(today=date(2026, 6, 11)) == {
        "in_house": 0,
        "past": 0,
        "recounted": 0,
    }
    stages = dict(Guest.objects.values_list("family_name", "stage"))
    assert stages == {"Left": "past", "Arriving": "in_house", "Prospect": "prospect"}
    assert prospect.stage == "prospect"


@pytest.mark.django_db
def test_the_post_stay_job_rides_out_a_dropped_database_connection(monkeypatch):
    from django.db import InterfaceError

    from guests.tasks import post_stay_followups_task
    from tests.support.faults import fail_once

    stay_for(make_guest())
    create = fail_once(
        followups.post_stay_followups_create, InterfaceError("connection already closed")
    )
    monkeypatch.setattr("guests.followups.post_stay_followups_create", create)
    result = post_stay_followups_task.apply(args=[TODAY.isoformat()])
    assert result.successful(), result.traceback
    assert result.get() == {"messages": 1, "tasks": 0} and create.calls == 2
    assert Notification.objects.get().kind == "post_stay"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("manager_language", "title"),
    [
        ("zh-hans", "离店关怀电话：陈生（入住 2026年6月7日–2026年6月10日）"),
        ("en", "Caring call after a stay: 陈生 (stay 7 Jun 2026–10 Jun 2026)"),
    ],
)
def test_a_follow_up_task_is_titled_in_the_account_managers_language(
    account_manager, manager_language, title
):
    account_manager.language = manager_language
    account_manager.save()
    guest = make_guest(
        salutation="陈生",
        channel="phone",
        language="en" if manager_language == "zh-hans" else "zh-hans",
        account_manager=account_manager,
    )
    stay_for(guest)
    followups.post_stay_followups_create(day=TODAY)
    assert CareTask.objects.get().title == title


@pytest.mark.django_db
def test_follow_up_tasks_cost_the_same_queries_however_many_stays(account_manager):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts import roles
    from tests.factories import UserFactory

    def queries(count: int, departure: date) -> int:
        for i in range(count):
            manager = UserFactory(role=roles.ACCOUNT_MANAGER, language="zh-hans")
            guest = make_guest(family=f"{departure}{i}", channel="phone", account_manager=manager)
            stay_for(guest, departure=departure, pms=f"{departure}{i}")
        with CaptureQueriesContext(connection) as ctx:
            followups.post_stay_followups_create(day=departure + timedelta(days=1))
        return len(ctx.captured_queries)

    assert queries(2, date(2026, 6, 10)) == queries(12, date(2026, 6, 20))
    assert CareTask.objects.count() == 14
