"""The guest value pages as staff use them: lists, export, hand-outs, win-backs, the report."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse

from guests.models import CareTask
from retention.models import GuestValue, WinBack
from retention.services.radar import radar_run
from retention.services.valuation import values_refresh
from tests.factories import make_company, make_guest, make_stay
from tests.retention.conftest import TODAY


def nightly():
    values_refresh(today=TODAY)
    radar_run(today=TODAY)


def valued(n, **fields):
    for i in range(n):
        guest = make_guest(family_name=f"V{i:02d}", **fields)
        make_stay(guest, arrival=TODAY - timedelta(days=10 + i), nights=1, spend_room=100 * i)
    values_refresh(today=TODAY)


@pytest.mark.django_db
def test_the_value_list_filters_by_segment_in_constant_queries(
    client, manager, django_assert_max_num_queries
):
    valued(30, company=make_company(name="Acme"))
    client.force_login(manager)
    with django_assert_max_num_queries(9):
        html = client.get(reverse("retention:list")).content.decode()
    assert html.count('href="/guests/') >= 25
    best = GuestValue.objects.order_by("-spend_total").first()
    html = client.get(reverse("retention:list"), {"segment": best.segment}).content.decode()
    assert best.guest.display_name in html


@pytest.mark.django_db
def test_a_mistyped_filter_says_so_and_keeps_the_list(client, manager):
    valued(2)
    client.force_login(manager)
    response = client.get(reverse("retention:list"), {"segment": "nonsense", "vip": "x"})
    assert response.status_code == 422
    assert "V00" in response.content.decode()


@pytest.mark.django_db
def test_the_export_is_the_filtered_list_as_csv(client, manager):
    valued(3)
    client.force_login(manager)
    response = client.get(reverse("retention:export"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode()[1:])))
    assert rows[0][:2] == ["Guest number", "Guest"]
    assert [r[1] for r in rows[1:]] == ["Wei V02", "Wei V01", "Wei V00"]


@pytest.mark.django_db
def test_a_segment_becomes_keep_in_touch_tasks_once_a_day(client, manager, account_manager):
    valued(3, account_manager=account_manager)
    client.force_login(manager)
    url = reverse("retention:keep_in_touch") + "?value_band=5"
    client.post(url)
    client.post(url)
    tasks = CareTask.objects.filter(kind=CareTask.Kind.KEEP_IN_TOUCH)
    top = GuestValue.objects.filter(m_score=5).count()
    assert tasks.count() == top >= 1
    assert set(tasks.values_list("assigned_to", flat=True)) == {account_manager.pk}


@pytest.mark.django_db
def test_the_card_shows_value_segment_and_suggestions(client, officer):
    guest = make_guest()
    for year in (2024, 2025):
        make_stay(
            guest,
            arrival=TODAY.replace(year=year, month=5, day=1),
            nights=3,
            spend_room=1000,
            spend_fb=800,
            rate_plan="Food week",
        )
    values_refresh(today=TODAY)
    client.force_login(officer)
    html = client.get(reverse("guests:detail", args=[guest.pk])).content.decode()
    assert 'data-testid="segment"' in html
    assert "Invite them for May" in html
    assert "Offer the next package like “Food week”" in html
    assert "Offer a dining package" in html


@pytest.mark.django_db
def test_the_front_desk_does_not_see_guest_value(client, front_desk):
    guest = make_guest()
    make_stay(guest, arrival=TODAY - timedelta(days=10), nights=1, spend_room=500)
    values_refresh(today=TODAY)
    client.force_login(front_desk)
    html = client.get(reverse("guests:detail", args=[guest.pk])).content.decode()
    assert 'data-card-panel="retention"' not in html


@pytest.mark.django_db
def test_recompute_values_one_guest_now(client, officer):
    guest = make_guest()
    make_stay(guest, arrival=TODAY - timedelta(days=10), nights=1, spend_room=500)
    client.force_login(officer)
    response = client.post(reverse("retention:recompute", args=[guest.pk]))
    assert response.status_code == 302
    assert GuestValue.objects.get(guest=guest).spend_total == 500


@pytest.mark.django_db
def test_the_company_page_shows_the_accounts_value(client, manager):
    company = make_company(name="Acme")
    guest = make_guest(company=company)
    make_stay(guest, arrival=TODAY - timedelta(days=10), nights=2, spend_room=700)
    values_refresh(today=TODAY)
    client.force_login(manager)
    html = client.get(reverse("guests:company", args=[company.pk])).content.decode()
    assert "Account value" in html and "700" in html


@pytest.mark.django_db
def test_the_distribution_is_previewed_then_applied_and_logged(client, manager, account_manager):
    for i in range(3):
        make_guest(family_name=f"U{i}", account_manager=None)
    client.force_login(manager)
    html = client.get(reverse("retention:distribute"), {"segment": ""}).content.decode()
    assert "The plan" in html and "Apply this plan" in html
    response = client.post(reverse("retention:distribute"), {"segment": ""})
    assert response.status_code == 302
    html = client.get(reverse("retention:distribute")).content.decode()
    assert "3 guests" in html


@pytest.mark.django_db
def test_the_win_back_task_opens_its_page_and_lost_reaches_the_report(
    client, account_manager, manager, regular
):
    regular.account_manager = account_manager
    regular.save()
    nightly()
    task = CareTask.objects.get(kind=CareTask.Kind.WIN_BACK)
    client.force_login(account_manager)
    response = client.get(reverse("caretask_detail", args=[task.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("retention:win_back", args=[task.pk])
    html = client.get(response["Location"]).content.decode()
    assert "Usually back within 28 days (4 stays so far)." in html
    response = client.post(response["Location"], {"outcome": "lost", "lost_reason": ""})
    assert response.status_code == 422
    assert "Choose why they were lost." in response.content.decode()
    client.post(
        reverse("retention:win_back", args=[task.pk]),
        {"outcome": "lost", "lost_reason": "competitor", "text": "Moved to the Hilton"},
    )
    assert WinBack.objects.get(task=task).lost_reason == "competitor"
    client.force_login(manager)
    html = client.get(reverse("retention:lost_report")).content.decode()
    assert 'data-reason="competitor">1<' in html


@pytest.mark.django_db
def test_another_managers_win_back_is_not_found(client, regular, account_manager):
    from accounts import roles
    from tests.factories import UserFactory

    regular.account_manager = UserFactory(role=roles.ACCOUNT_MANAGER)
    regular.save()
    nightly()
    task = CareTask.objects.get(kind=CareTask.Kind.WIN_BACK)
    client.force_login(account_manager)
    assert client.get(reverse("retention:win_back", args=[task.pk])).status_code == 404


@pytest.mark.django_db
def test_the_pages_read_in_chinese(client, manager, regular):
    manager.language = "zh-hans"
    manager.save()
    nightly()
    client.force_login(manager)
    html = client.get(reverse("retention:segments")).content.decode()
    assert "冠军" in html
    task = CareTask.objects.get(kind=CareTask.Kind.WIN_BACK)
    html = client.get(reverse("retention:win_back", args=[task.pk])).content.decode()
    assert "通常" in html
