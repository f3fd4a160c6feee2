import pytest
from django.urls import reverse
from django.utils import timezone

from guests.models import CareTask
from tests.factories import make_guest


def task_for(guest, user, key="t1", **fields) -> CareTask:
    return CareTask.objects.create(
        key=key,
        kind=CareTask.Kind.POST_STAY_CALL,
        guest=guest,
        assigned_to=user,
        title=f"Call {guest.address_as}",
        due_on=timezone.localdate(),
        **fields,
    )


@pytest.mark.django_db
def test_an_account_manager_sees_only_their_own_follow_ups(client, account_manager, officer):
    guest = make_guest()
    mine = task_for(guest, account_manager, key="a")
    task_for(guest, officer, key="b")
    client.force_login(account_manager)
    html = client.get(reverse("caretasks")).content.decode()
    assert f'data-task="{mine.pk}"' in html and html.count("data-task=") == 1


@pytest.mark.django_db
def test_an_officer_sees_everyones_follow_ups_in_constant_queries(
    client, officer, account_manager, django_assert_max_num_queries
):
    for i in range(25):
        task_for(make_guest(family=f"F{i}"), account_manager, key=f"k{i}")
    client.force_login(officer)
    with django_assert_max_num_queries(7):
        html = client.get(reverse("caretasks")).content.decode()
    assert html.count("data-task=") == 25


@pytest.mark.django_db
def test_a_follow_up_is_done_with_a_short_report(client, account_manager):
    task = task_for(make_guest(), account_manager)
    client.force_login(account_manager)
    response = client.post(
        reverse("caretask_detail", args=[task.pk]), {"report": "Reached him; loved the stay."}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "done" and task.done_by == account_manager and task.done_at


@pytest.mark.django_db
def test_an_empty_report_is_refused_and_the_page_explains(client, account_manager):
    task = task_for(make_guest(), account_manager)
    client.force_login(account_manager)
    response = client.post(reverse("caretask_detail", args=[task.pk]), {"report": "   "})
    assert response.status_code == 422
    assert CareTask.objects.get(pk=task.pk).status == "open"


@pytest.mark.django_db
def test_someone_elses_follow_up_is_not_found(client, account_manager, officer):
    task = task_for(make_guest(), officer)
    client.force_login(account_manager)
    assert client.get(reverse("caretask_detail", args=[task.pk])).status_code == 404


@pytest.mark.django_db
def test_front_desk_has_no_follow_ups_page(client, front_desk):
    client.force_login(front_desk)
    assert client.get(reverse("caretasks")).status_code == 403


@pytest.mark.django_db
def test_the_database_refuses_a_done_task_without_a_report(account_manager):
    from django.db import IntegrityError

    task = task_for(make_guest(), account_manager)
    with pytest.raises(IntegrityError):
        CareTask.objects.filter(pk=task.pk).update(status="done", report="")


# --- an opt-out or an erasure stops the follow-ups already planned ---------------------------


def withdrawn_and_erased_tasks(user):
    withdrew = make_guest(family="Withdrew")
    erased = make_guest(family="Erased")
    tasks = (
        task_for(withdrew, user, key="withdrew"),
        task_for(erased, user, key="erased"),
    )
    withdrew.greetings_consent = False
    withdrew.save()
    erased.erased_at = timezone.now()
    erased.save()
    return tasks


@pytest.mark.django_db
def test_open_follow_ups_of_a_guest_who_withdrew_consent_or_was_erased_leave_the_list(
    client, account_manager
):
    from guests.care_tasks import caretask_list_for_user

    kept = task_for(make_guest(family="Kept"), account_manager, key="kept")
    withdrawn_and_erased_tasks(account_manager)
    assert list(caretask_list_for_user(user=account_manager)) == [kept]
    client.force_login(account_manager)
    response = client.get(reverse("caretasks"))
    html = response.content.decode()
    assert f'data-task="{kept.pk}"' in html and html.count("data-task=") == 1
    assert response.context["page"].paginator.count == 1


@pytest.mark.django_db
def test_everyones_list_leaves_out_the_withdrawn_guests_open_follow_ups_too(client, officer):
    from guests.care_tasks import caretask_list_for_user

    withdrawn_and_erased_tasks(None)
    assert not caretask_list_for_user(user=officer).exists()
    assert caretask_list_for_user(user=officer, status=None).count() == 0


@pytest.mark.django_db
def test_an_open_follow_up_of_a_guest_who_withdrew_is_not_found(client, account_manager):
    withdrew, erased = withdrawn_and_erased_tasks(account_manager)
    client.force_login(account_manager)
    for task in (withdrew, erased):
        assert client.get(reverse("caretask_detail", args=[task.pk])).status_code == 404
        response = client.post(reverse("caretask_detail", args=[task.pk]), {"report": "Called."})
        assert response.status_code == 404
        assert CareTask.objects.get(pk=task.pk).status == "open"


@pytest.mark.django_db
def test_follow_ups_done_before_the_opt_out_stay_in_the_history(client, account_manager):
    withdrew, erased = withdrawn_and_erased_tasks(account_manager)
    CareTask.objects.filter(pk=withdrew.pk).update(
        status="done", report="Reached her.", done_at=timezone.now()
    )
    client.force_login(account_manager)
    html = client.get(reverse("caretasks"), {"status": "done"}).content.decode()
    assert f'data-task="{withdrew.pk}"' in html and f'data-task="{erased.pk}"' not in html
    assert client.get(reverse("caretask_detail", args=[withdrew.pk])).status_code == 200


@pytest.mark.django_db
def test_a_follow_up_comes_back_when_the_guest_agrees_again(account_manager):
    from guests.care_tasks import caretask_list_for_user

    withdrew, _erased = withdrawn_and_erased_tasks(account_manager)
    withdrew.guest.greetings_consent = True
    withdrew.guest.save()
    assert list(caretask_list_for_user(user=account_manager)) == [withdrew]


@pytest.mark.django_db
def test_the_to_do_list_costs_the_same_queries_with_hidden_follow_ups(
    client, account_manager, django_assert_num_queries
):
    def page_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("caretasks")).status_code == 200
        return len(ctx.captured_queries)

    client.force_login(account_manager)
    task_for(make_guest(family="A"), account_manager, key="a")
    few = page_queries()
    for i in range(15):
        task_for(make_guest(family=f"K{i}"), account_manager, key=f"k{i}")
        task_for(make_guest(family=f"H{i}", consent=False), account_manager, key=f"h{i}")
    assert page_queries() == few


@pytest.mark.django_db
def test_the_to_do_list_and_its_consent_check_need_no_table_scan(account_manager):
    from django.db import connection

    from guests.care_tasks import caretask_list_for_user

    sql, params = caretask_list_for_user(user=account_manager).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    # with sequential scans priced out, any left would mean a filter no index serves
    assert "Seq Scan" not in plan, plan
    assert "Index Scan using guests_guest_pkey" in plan
