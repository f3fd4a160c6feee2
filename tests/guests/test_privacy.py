"""Privacy requests: everything held on a guest, and erasure that keeps the statistics."""

from __future__ import annotations

import json

import pytest
from django.db.models import Sum
from django.urls import reverse

from accounts import roles
from complaints.models import Ticket
from core import seams
from guests import selectors
from guests.duplicates import duplicates_for_guest
from guests.models import (
    Guest,
    GuestAccessLog,
    GuestChange,
    GuestDocument,
    GuestNotification,
    GuestPhone,
    Stay,
)
from guests.privacy import guest_erase, privacy_export
from loyalty.models import Member, PointsTransaction
from notifications.models import Notification
from tests.factories import make_guest
from tests.guests.one_of_everything import make_everything

pytestmark = pytest.mark.django_db


@pytest.fixture
def chen(manager):
    elder = make_guest(family="Elder", given="One", email="")
    guest = make_guest(
        family="Chen",
        given="Wei",
        email="wei.chen@example.com",
        phone="13800138000",
        birthday=(5, 20),
        notes="Allergic to feathers.",
    )
    make_everything(guest, by=manager, elder=elder)
    return Guest.objects.get(pk=guest.pk)


def test_the_export_holds_every_section_with_rows(chen, manager):
    sections = privacy_export(guest=chen, by=manager)
    for title in (
        "Profile",
        "Phone numbers",
        "Identity documents",
        "Family",
        "Special dates",
        "Preferences",
        "Stays",
        "Messages sent",
        "Follow-up tasks",
        "Who viewed or exported the profile",
        "Complaints",
        "Loyalty account",
        "Loyalty statement",
    ):
        assert sections[title], title
    assert sections["Profile"][0]["e-mail"] == "wei.chen@example.com"
    assert sections["Complaints"][0]["Timeline"], "each complaint carries its timeline"
    assert {row["Number"] for row in sections["Phone numbers"]} >= {"+8613800138000"}


def test_the_export_takes_each_apps_part_through_the_seam(chen, manager):
    seams.privacy_export_contributors.register(
        "surveys_test", lambda guest: {"Survey answers": [{"Score": 5, "guest": guest.pk}]}
    )
    sections = privacy_export(guest=chen, by=manager)
    assert sections["Survey answers"] == [{"Score": 5, "guest": chen.pk}]


def test_each_export_is_logged(chen, manager):
    privacy_export(guest=chen, by=manager)
    assert GuestAccessLog.objects.filter(
        guest=chen, user=manager, action=GuestAccessLog.Action.EXPORT
    ).exists()


def test_the_json_download_and_the_page_are_for_managers_only(client, user_for_role, chen):
    url = reverse("guests:privacy_export", args=[chen.pk])
    for role in (roles.FRONT_DESK, roles.GUEST_RELATIONS, roles.ACCOUNT_MANAGER):
        client.force_login(user_for_role(role))
        assert client.get(url).status_code == 403, role.name
    client.force_login(user_for_role(roles.MANAGER))
    page = client.get(url)
    assert page.status_code == 200 and "Allergic to feathers." in page.content.decode()
    download = client.get(url + "?format=json")
    assert download["Content-Disposition"].startswith("attachment;")
    document = json.loads(download.content)
    assert document["guest_id"] == chen.pk
    assert document["sections"]["Stays"]


def test_erasure_anonymises_the_profile_and_keeps_the_statistics(chen, manager):
    stays = Stay.objects.filter(guest=chen).count()
    spend = Stay.objects.filter(guest=chen).aggregate(s=Sum("spend_room"))["s"]
    tickets = Ticket.objects.filter(guest=chen).count()
    points = Member.objects.get(guest=chen).balance
    lines = PointsTransaction.objects.count()

    guest_erase(guest=chen, by=manager)

    chen.refresh_from_db()
    assert chen.erased_at is not None
    assert (chen.family_name, chen.given_name, chen.email, chen.notes) == ("", "", "", "")
    assert chen.birth_month is None and chen.search_text == "" and not chen.greetings_consent
    for model in (GuestPhone, GuestDocument):
        assert not model.objects.filter(guest=chen).exists()
    assert not chen.family.exists() and not chen.preferences.exists()
    assert not chen.special_dates.exists()
    # The statistics still add up.
    assert Stay.objects.filter(guest=chen).count() == stays
    assert Stay.objects.filter(guest=chen).aggregate(s=Sum("spend_room"))["s"] == spend
    assert Ticket.objects.filter(guest=chen).count() == tickets
    assert Member.objects.get(guest=chen).balance == points
    assert PointsTransaction.objects.count() == lines
    # No copy of what was erased is left behind.
    assert not Ticket.objects.filter(guest=chen).exclude(guest_name="").exists()
    assert all(
        not c.changes or "erased_at" in c.changes for c in GuestChange.objects.filter(guest=chen)
    )
    keys = GuestNotification.objects.filter(guest=chen).values("notification_id")
    assert not Notification.objects.filter(key__in=keys).exclude(to="").exists()
    assert GuestAccessLog.objects.filter(guest=chen, action=GuestAccessLog.Action.ERASE).exists()


def test_an_erased_guest_is_never_contacted_found_or_suggested(chen, manager):
    keys = GuestNotification.objects.filter(guest=chen).values("notification_id")
    guest_erase(guest=chen, by=manager)
    assert not Notification.objects.filter(key__in=keys, status="pending").exists()
    assert not Guest.objects.contactable().filter(pk=chen.pk).exists()
    for query in ("Chen", "Wei Chen", "13800138000", "wei.chen@example.com"):
        assert chen.pk not in [g.pk for g in selectors.guest_search(query=query)], query
    again = make_guest(family="Chen", given="Wei", email="wei.chen@example.com", birthday=(5, 20))
    assert again.pk != chen.pk
    assert duplicates_for_guest(guest=again) == []


def test_erasing_twice_is_refused(chen, manager):
    from guests.privacy import PrivacyError

    guest_erase(guest=chen, by=manager)
    with pytest.raises(PrivacyError):
        guest_erase(guest=chen, by=manager)


def test_the_erase_page_asks_for_the_profile_number(client, manager, officer, chen):
    url = reverse("guests:privacy_erase", args=[chen.pk])
    client.force_login(officer)
    assert client.get(url).status_code == 403
    assert client.post(url, {"confirm": str(chen.pk)}).status_code == 403
    client.force_login(manager)
    assert client.get(url).status_code == 200
    wrong = client.post(url, {"confirm": "12"})
    assert wrong.status_code == 422
    assert 'value="12"' in wrong.content.decode()
    assert Guest.objects.shown().filter(pk=chen.pk).exists()
    done = client.post(url, {"confirm": f"#{chen.pk}"})
    assert done.status_code == 302
    assert not Guest.objects.shown().filter(pk=chen.pk).exists()
    assert client.get(reverse("guests:detail", args=[chen.pk])).status_code == 404
