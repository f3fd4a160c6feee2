"""Who changed what on a guest's record: recorded by the services, shown on the card."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from guests import selectors, services
from guests.models import Guest, GuestChange
from tests.factories import make_company, make_guest, make_stay


def test_an_edit_records_who_changed_which_fields(chen, officer):
    services.guest_update(guest=chen, by=officer, data={"salutation": "陈先生", "vip_level": 2})

    change = GuestChange.objects.filter(guest=chen, action=GuestChange.Action.CHANGED).get()
    assert change.by == officer
    assert change.subject == GuestChange.Subject.GUEST
    assert change.changes == {"salutation": ["陈生", "陈先生"], "vip_level": ["0", "2"]}


def test_saving_without_a_change_records_nothing(chen, officer):
    before = GuestChange.objects.count()
    services.guest_update(guest=chen, by=officer, data={"salutation": "陈生"})
    assert GuestChange.objects.count() == before


def test_preferences_and_family_record_each_addition_change_and_removal(chen, officer, pillow):
    [pref] = chen.preferences.all()
    services.guest_update(
        guest=chen,
        by=officer,
        data={},
        preferences=[{"id": pref.pk, "category": pillow, "value": "feather"}],
        family=[{"relation": "spouse", "name": "李娜"}],
    )
    services.guest_update(guest=chen, by=officer, data={}, family=[])

    log = {
        (c.subject, c.action): c.changes for c in GuestChange.objects.filter(guest=chen, by=officer)
    }
    assert log[GuestChange.Subject.PREFERENCE, GuestChange.Action.CHANGED] == {
        "value": ["buckwheat", "feather"]
    }
    assert log[GuestChange.Subject.FAMILY, GuestChange.Action.CREATED]["name"] == [None, "李娜"]
    assert log[GuestChange.Subject.FAMILY, GuestChange.Action.DELETED]["name"] == ["李娜", None]


def test_stays_and_companies_record_who_changed_them(officer, manager, today):
    guest = make_guest()
    stay = make_stay(guest, arrival=today - timedelta(days=10))
    services.stay_update(stay=stay, by=officer, data={"room_number": "1508"})
    company = make_company()
    services.company_save(company=company, by=manager, data={"credit_limit": 50000})
    services.company_charge_pause(company=company, by=manager, reason="Invoices overdue")

    stay_change = GuestChange.objects.get(subject="stay", action="changed")
    assert (stay_change.by, stay_change.guest, stay_change.changes["room_number"][1]) == (
        officer,
        guest,
        "1508",
    )
    company_changes = GuestChange.objects.filter(company=company, action="changed")
    assert [c.by for c in company_changes] == [manager, manager]
    assert {"credit_limit", "charge_privilege"} <= {k for c in company_changes for k in c.changes}


def test_the_card_shows_the_history_to_guest_relations_in_full(client, chen, officer):
    services.guest_update(guest=chen, by=officer, data={"email": "wm.chen@example.org"})
    client.force_login(officer)
    html = client.get(reverse("guests:detail", args=[chen.pk])).content.decode()
    assert "Changes to this record" in html
    assert "weiming.chen@example.com → wm.chen@example.org" in html


def test_the_front_desk_sees_contact_details_in_the_history_masked(
    client, chen, officer, front_desk
):
    services.guest_update(guest=chen, by=officer, data={"email": "wm.chen@example.org"})
    client.force_login(front_desk)
    html = client.get(reverse("guests:detail", args=[chen.pk])).content.decode()
    assert "Changes to this record" in html
    assert "wm.chen@example.org" not in html and "weiming.chen@example.com" not in html
    assert "•.org" in html.replace("•" * 15, "•")


def test_a_role_without_the_permission_does_not_see_the_history(client, chen, department_head):
    client.force_login(department_head)
    response = client.get(reverse("guests:detail", args=[chen.pk]))
    assert response.status_code == 200
    assert "Changes to this record" not in response.content.decode()


def test_the_history_is_read_in_the_readers_language(chen, officer):
    services.guest_update(guest=chen, by=officer, data={"preferred_channel": Guest.Channel.SMS})
    from django.utils import translation

    with translation.override("zh-hans"):
        [entry] = [
            e for e in selectors.guest_history(guest=chen, user=officer) if e.action == "更改"
        ] or [None]
    assert entry is not None, "the action label is translated"
    assert any(f.new == "短信" for f in entry.fields)


@pytest.mark.django_db
def test_the_card_history_is_one_query(chen, officer, django_assert_num_queries):
    for n in range(5):
        services.guest_update(guest=chen, by=officer, data={"notes": f"note {n}"})
    with django_assert_num_queries(3):  # the changes with their authors; two for the permissions
        selectors.guest_history(guest=chen, user=officer)
