from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command

from core import seams
from guests import greetings
from guests.models import CareTask, FamilyMember, SpecialDate
from guests.tasks import hotel_day
from notifications.models import Notification
from notifications.services import notification_send
from tests.factories import make_guest


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def run_day(day: date, chunk_size: int = greetings.CHUNK_SIZE) -> dict:
    return greetings.greetings_fan_out(
        day=day,
        enqueue=lambda kind, ids, on: greetings.greetings_send_chunk(kind=kind, ids=ids, day=on),
        chunk_size=chunk_size,
    )


def send_all() -> None:
    for pk in Notification.objects.filter(status="pending").values_list("pk", flat=True):
        notification_send(notification_id=pk)


@pytest.mark.django_db
def test_a_guest_is_greeted_on_their_birthday_and_not_the_day_before():
    guest = make_guest(birthday=(5, 20))
    assert run_day(date(2026, 5, 19))["birthday"] == 0
    run_day(date(2026, 5, 20))
    note = Notification.objects.get()
    assert (note.kind, note.guest_link.guest, note.occasion_date) == (
        "birthday",
        guest,
        date(2026, 5, 20),
    )


@pytest.mark.django_db
def test_only_guests_who_agreed_are_greeted():
    make_guest(family="Yes", birthday=(5, 20))
    make_guest(family="No", birthday=(5, 20), consent=False)
    run_day(date(2026, 5, 20))
    assert list(Notification.objects.values_list("guest_link__guest__family_name", flat=True)) == [
        "Yes"
    ]


@pytest.mark.django_db
def test_an_erased_guest_is_not_greeted():
    from django.utils import timezone

    make_guest(birthday=(5, 20), erased_at=timezone.now())
    assert run_day(date(2026, 5, 20))["birthday"] == 0


@pytest.mark.django_db
def test_a_29_february_birthday_is_greeted_on_28_february_in_other_years():
    leapling = make_guest(birthday=(2, 29))
    run_day(date(2027, 2, 28))
    assert Notification.objects.get().guest_link.guest == leapling


@pytest.mark.django_db
def test_in_a_leap_year_a_29_february_birthday_waits_for_its_own_day():
    make_guest(birthday=(2, 29))
    assert run_day(date(2028, 2, 28))["birthday"] == 0
    assert run_day(date(2028, 2, 29))["birthday"] == 1


@pytest.mark.django_db
def test_running_the_day_twice_greets_once():
    make_guest(birthday=(5, 20))
    run_day(date(2026, 5, 20))
    run_day(date(2026, 5, 20))
    send_all()
    send_all()
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_daughters_birthday_is_addressed_to_the_guest():
    guest = make_guest(family="Smith", given="Anna", salutation="Mrs. Smith")
    FamilyMember.objects.create(
        guest=guest, relation="daughter", name="Lily", birth_month=7, birth_day=3
    )
    run_day(date(2026, 7, 3))
    send_all()
    [message] = mail.outbox
    assert message.to == [guest.email]
    assert message.subject == "Happy birthday to your daughter Lily!"
    assert message.body.startswith("Dear Mrs. Smith,")


@pytest.mark.django_db
def test_a_wedding_anniversary_counts_the_years_in_the_guests_language():
    guest = make_guest(family="王", given="芳", salutation="王女士", language="zh-hans")
    SpecialDate.objects.create(guest=guest, kind="wedding", date=date(2016, 10, 1), month=10, day=1)
    run_day(date(2026, 10, 1))
    send_all()
    [message] = mail.outbox
    assert message.subject == "王女士，纪念日快乐！"
    assert "携手走过 10 年" in message.body


@pytest.mark.django_db
def test_a_special_date_in_its_own_year_is_not_an_anniversary():
    guest = make_guest()
    SpecialDate.objects.create(
        guest=guest, kind="child_born", date=date(2026, 4, 2), month=4, day=2
    )
    assert run_day(date(2026, 4, 2))["special_date"] == 0


@pytest.mark.django_db
def test_a_guest_who_prefers_a_call_gets_a_person_not_an_email(account_manager):
    guest = make_guest(birthday=(5, 20), channel="phone", account_manager=account_manager)
    run_day(date(2026, 5, 20))
    assert not Notification.objects.exists()
    task = CareTask.objects.get()
    assert (task.guest, task.assigned_to, task.kind) == (guest, account_manager, "greeting_call")
    assert task.title == "Wish Mr. Chen a happy birthday"


@pytest.mark.django_db
def test_a_guest_who_prefers_sms_gets_an_sms(settings, tmp_path):
    settings.SMS_FILE_PATH = str(tmp_path / "sms.jsonl")
    make_guest(birthday=(5, 20), channel="sms", phone="+8613912345678")
    run_day(date(2026, 5, 20))
    send_all()
    note = Notification.objects.get()
    assert (note.channel, note.to, note.status) == ("sms", "+8613912345678", "sent")
    assert "+8613912345678" in (tmp_path / "sms.jsonl").read_text()


@pytest.mark.django_db
def test_the_account_manager_gets_one_list_of_todays_vip_birthdays(account_manager):
    make_guest(family="Li", birthday=(5, 20), vip_level=2, account_manager=account_manager)
    make_guest(family="Wu", birthday=(5, 20), vip_level=1, account_manager=account_manager)
    make_guest(family="Plain", birthday=(5, 20), vip_level=0, account_manager=account_manager)
    run_day(date(2026, 5, 20))
    send_all()
    digest = Notification.objects.get(kind="vip_birthdays")
    assert digest.recipient_user == account_manager
    [message] = [m for m in mail.outbox if m.to == [account_manager.email]]
    assert message.subject == "2 VIP birthdays today (20 May 2026)"
    assert "Mr. Li" in message.body and "Mr. Wu" in message.body and "Plain" not in message.body
    assert "http://127.0.0.1:8000/guests/" in message.body


@pytest.mark.django_db
def test_the_day_is_handed_on_in_chunks_of_ids():
    for i in range(5):
        make_guest(family=f"G{i}", birthday=(5, 20))
    chunks = {}
    greetings.greetings_fan_out(
        day=date(2026, 5, 20),
        enqueue=lambda kind, ids, on: chunks.setdefault(kind, []).append(ids),
        chunk_size=2,
    )
    # The birthday hooks (loyalty's bonus) get the same guests in chunks of their own.
    assert [len(chunk) for chunk in chunks[greetings.BIRTHDAY]] == [2, 2, 1]
    assert [len(chunk) for chunk in chunks[greetings.BIRTHDAY_HOOKS]] == [2, 2, 1]


@pytest.mark.django_db
def test_the_days_guests_are_found_through_the_birthday_index():
    from django.db import connection

    from guests.models import Guest

    # Enough guests, with their birthdays spread over the year, for the planner to weigh the
    # indexes as it would in a hotel (on an empty table every plan costs the same). Rows for a
    # plan only: made in bulk, not through the services.
    Guest.objects.bulk_create(
        Guest(
            family_name=f"Plan{i}",
            given_name="Guest",
            birth_month=i % 12 + 1,
            birth_day=i % 28 + 1,
            greetings_consent=True,
        )
        for i in range(3000)
    )
    sql, params = greetings.guests_with_birthday(day=date(2026, 5, 20)).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE guests_guest")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "guest_birthday" in plan


def test_today_is_the_hotels_date_whatever_the_workers_clock():
    # 17:30 UTC on 1 March is already 2 March in Shanghai
    assert hotel_day("2026-03-01T17:30:00Z") == date(2026, 3, 2)
    assert hotel_day("2026-03-01") == date(2026, 3, 1)


@pytest.mark.django_db
def test_the_command_counts_without_sending_on_a_dry_run(capsys):
    make_guest(birthday=(2, 28))
    call_command("send_greetings", "--date", "2026-02-28", "--dry-run")
    assert "2026-02-28 birthday: would greet 1" in capsys.readouterr().out
    assert not Notification.objects.exists()
    call_command("send_greetings", "--date", "2026-02-28")
    assert Notification.objects.count() == 1


@pytest.mark.django_db
def test_greeting_jobs_are_in_the_database_schedule_in_hotel_time():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="guests.greetings_daily")
    assert task.crontab.hour == "9" and str(task.crontab.timezone) == "Asia/Shanghai"
    assert PeriodicTask.objects.filter(task="guests.post_stay_followups").exists()


@pytest.mark.django_db
def test_birthday_hooks_run_for_every_guest_born_today_even_without_consent():
    calls = []
    seams.birthday_hooks.restore({})  # loyalty's own hook is put back after the test
    seams.birthday_hooks.register("test", lambda ids, day: calls.append((sorted(ids), day)))
    a = make_guest(family="A", birthday=(5, 20))
    b = make_guest(family="B", birthday=(5, 20), consent=False)
    make_guest(family="C", birthday=(5, 21))
    counts = run_day(date(2026, 5, 20))
    assert calls == [(sorted([a.pk, b.pk]), date(2026, 5, 20))]
    assert counts["birthday_hooks"] == 2


def test_an_instant_without_an_offset_is_the_hotels_local_time():
    # read as UTC, 20:00 on 1 March would already be 2 March in Shanghai
    assert hotel_day("2026-03-01T20:00:00") == date(2026, 3, 1)
    assert hotel_day("2026-03-01T17:30:00") == date(2026, 3, 1)
    assert hotel_day("2026-03-02T00:30:00") == date(2026, 3, 2)


# --- a passing outage of the database or the broker ----------------------------------------


@pytest.mark.django_db
def test_the_daily_greeting_job_rides_out_a_broker_that_drops_once(monkeypatch):
    import kombu.exceptions

    from guests.tasks import greetings_chunk_task, greetings_daily_task
    from tests.support.faults import fail_once

    make_guest(birthday=(5, 20))
    enqueue = fail_once(
        lambda *args: greetings_chunk_task.apply(args=args),
        kombu.exceptions.OperationalError("Connection reset by peer"),
    )
    monkeypatch.setattr(greetings_chunk_task, "delay", enqueue)
    result = greetings_daily_task.apply(args=["2026-05-20"])
    assert result.successful(), result.traceback
    counts = result.get()
    assert counts["birthday"] == 1
    assert enqueue.calls == 1 + sum(1 for n in counts.values() if n)  # the drop, then each chunk
    assert Notification.objects.count() == 1


@pytest.mark.django_db
def test_a_greeting_chunk_rides_out_a_dropped_database_connection(monkeypatch):
    from django.db import OperationalError

    from guests.tasks import greetings_chunk_task
    from tests.support.faults import fail_once

    guest = make_guest(birthday=(5, 20))
    chunk = fail_once(
        greetings.greetings_send_chunk, OperationalError("server closed the connection")
    )
    monkeypatch.setattr("guests.greetings.greetings_send_chunk", chunk)
    result = greetings_chunk_task.apply(args=["birthday", [guest.pk], "2026-05-20"])
    assert result.successful(), result.traceback
    assert result.get() == 1 and chunk.calls == 2
    assert Notification.objects.get().guest_link.guest == guest


@pytest.mark.django_db
def test_a_greeting_chunk_gives_up_after_five_retries(monkeypatch):
    from django.db import InterfaceError

    from guests.tasks import greetings_chunk_task
    from tests.support.faults import fail_always

    broken = fail_always(InterfaceError("connection already closed"))
    monkeypatch.setattr("guests.greetings.greetings_send_chunk", broken)
    result = greetings_chunk_task.apply(args=["birthday", [1], "2026-05-20"])
    assert result.failed() and isinstance(result.result, InterfaceError)
    assert broken.calls == 6  # the first run and five retries


# --- greetings that read well ---------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "subject", "sentence"),
    [
        ("en", "Happy birthday to Lily!", "Happy birthday to Lily! Everyone at"),
        ("zh-hans", "祝Lily生日快乐！", "祝Lily生日快乐！"),
    ],
)
def test_a_family_member_of_another_relation_is_greeted_by_name_alone(language, subject, sentence):
    guest = make_guest(family="Smith", salutation="Mrs. Smith", language=language)
    FamilyMember.objects.create(
        guest=guest, relation="other", name="Lily", birth_month=7, birth_day=3
    )
    run_day(date(2026, 7, 3))
    send_all()
    [message] = mail.outbox
    assert message.subject == subject
    assert sentence in message.body and sentence in message.alternatives[0][0]
    for word in ("other", "其他"):
        assert word not in message.subject and word not in message.body


@pytest.mark.django_db
def test_a_special_day_of_another_kind_is_told_by_its_note():
    guest = make_guest()
    SpecialDate.objects.create(
        guest=guest,
        kind="other",
        note="the day you opened your first restaurant",
        date=date(2016, 9, 9),
        month=9,
        day=9,
    )
    run_day(date(2026, 9, 9))
    send_all()
    [message] = mail.outbox
    assert message.subject == "Congratulations, Mr. Chen: the day you opened your first restaurant"
    assert (
        "Today we remember a special day with you: the day you opened your first restaurant."
        in message.body
    )
    assert "Other" not in message.body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "subject", "sentence"),
    [
        (
            "en",
            "Congratulations on your special day, Mr. Chen!",
            "Today we remember a special day with you. Our warmest congratulations.",
        ),
        ("zh-hans", "Mr. Chen，恭喜您迎来特别的日子！", "今天是您的特别日子。谨致以最诚挚的祝贺。"),
    ],
)
def test_a_special_day_of_another_kind_without_a_note_reads_neutrally(language, subject, sentence):
    guest = make_guest(language=language)
    SpecialDate.objects.create(guest=guest, kind="other", date=date(2016, 9, 9), month=9, day=9)
    run_day(date(2026, 9, 9))
    send_all()
    [message] = mail.outbox
    assert message.subject == subject
    assert sentence in message.body and sentence in message.alternatives[0][0]
    for word in ("Other", "其他"):
        assert word not in message.subject and word not in message.body


# --- tasks and lists in the language of the person who reads them ---------------------------


@pytest.mark.django_db
def test_a_greeting_task_is_titled_in_the_account_managers_language(account_manager):
    account_manager.language = "zh-hans"
    account_manager.save()
    make_guest(family="Chen", birthday=(5, 20), channel="phone", account_manager=account_manager)
    make_guest(
        family="陈",
        salutation="陈生",
        birthday=(5, 20),
        channel="phone",
        language="zh-hans",
        account_manager=manager_reading("en"),
    )
    run_day(date(2026, 5, 20))
    titles = sorted(CareTask.objects.values_list("title", flat=True))
    assert titles == ["Wish 陈生 a happy birthday", "祝 Mr. Chen 生日快乐"]


@pytest.mark.django_db
def test_a_greeting_task_without_an_account_manager_is_in_the_hotels_language(settings):
    settings.LANGUAGE_CODE = "en"
    make_guest(salutation="陈生", birthday=(5, 20), channel="phone", language="zh-hans")
    run_day(date(2026, 5, 20))
    assert CareTask.objects.get().title == "Wish 陈生 a happy birthday"


@pytest.mark.django_db
def test_family_and_special_day_tasks_read_well_in_the_account_managers_language(
    account_manager,
):
    account_manager.language = "zh-hans"
    account_manager.save()
    guest = make_guest(
        family="Smith", salutation="Mrs. Smith", channel="visit", account_manager=account_manager
    )
    FamilyMember.objects.create(
        guest=guest, relation="daughter", name="Lily", birth_month=9, birth_day=9
    )
    FamilyMember.objects.create(
        guest=guest, relation="other", name="Tom", birth_month=9, birth_day=9
    )
    SpecialDate.objects.create(guest=guest, kind="other", date=date(2016, 9, 9), month=9, day=9)
    SpecialDate.objects.create(
        guest=guest, kind="other", note="开业十周年", date=date(2016, 9, 9), month=9, day=9
    )
    run_day(date(2026, 9, 9))
    titles = set(CareTask.objects.values_list("title", flat=True))
    assert titles == {
        "祝 Mrs. Smith 的女儿Lily生日快乐",
        "祝 Mrs. Smith 的家人Tom生日快乐",
        "在特别的日子问候 Mrs. Smith",
        "问候 Mrs. Smith：开业十周年",
    }


@pytest.mark.django_db
def test_greeting_tasks_cost_the_same_queries_however_many_guests(account_manager):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(count: int, month: int) -> int:
        ids = [
            make_guest(
                family=f"M{month}G{i}",
                birthday=(month, 1),
                channel="phone",
                account_manager=manager_reading("zh-hans"),
            ).pk
            for i in range(count)
        ]
        with CaptureQueriesContext(connection) as ctx:
            greetings.greetings_send_chunk(kind="birthday", ids=ids, day=date(2026, month, 1))
        return len(ctx.captured_queries)

    assert queries(2, 3) == queries(12, 4)
    assert CareTask.objects.count() == 14


@pytest.mark.django_db
def test_the_vip_list_reads_in_the_account_managers_language(account_manager):
    account_manager.language = "zh-hans"
    account_manager.save()
    make_guest(family="Li", birthday=(5, 20), vip_level=2, account_manager=account_manager)
    run_day(date(2026, 5, 20))
    digest = Notification.objects.get(kind="vip_birthdays")
    assert digest.language == "zh-hans"
    assert digest.context["guests"][0]["vip"] == "贵宾 2"
    send_all()
    [message] = [m for m in mail.outbox if m.to == [account_manager.email]]
    assert "贵宾 2" in message.body and "VIP 2" not in message.body


def manager_reading(language: str):
    """Another account manager, who reads `language`."""
    from accounts import roles
    from tests.factories import UserFactory

    return UserFactory(role=roles.ACCOUNT_MANAGER, language=language)
