import pytest
from django.urls import reverse
from django.utils import timezone

from grc.models import CareTask
from tests.support.guests import make_guest


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
