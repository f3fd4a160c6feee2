from datetime import timedelta

import pytest
from django.urls import reverse

from guests.models import Guest, Stay

# --- Forms --------------------------------------------------------------------------------------


def _guest_post(**fields):
    data = {
        "family_name": "林",
        "given_name": "美玲",
        "name_order": "family_first",
        "salutation": "林女士",
        "preferred_language": "zh-hans",
        "preferred_channel": "sms",
        "vip_level": "0",
        "stage": "prospect",
    }
    for prefix in ("phones", "family", "special_dates", "preferences"):
        data.update({f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(fields)
    return data


@pytest.mark.django_db
def test_front_desk_creates_a_guest_with_a_phone_in_any_format(client, front_desk, pillow):
    client.force_login(front_desk)
    response = client.post(
        reverse("guests:create"),
        _guest_post(
            **{
                "phones-0-number": "139 0013 9000",
                "preferences-0-category": str(pillow.pk),
                "preferences-0-value": "feather",
                "family-0-relation": "daughter",
                "family-0-name": "乐乐",
                "family-0-birth_day": "29",
                "family-0-birth_month": "2",
                "greetings_consent": "on",
            }
        ),
    )
    guest = Guest.objects.get(family_name="林")
    assert response.status_code == 302 and response["Location"] == f"/guests/{guest.pk}/"
    assert guest.phones.get().number == "+8613900139000"
    assert guest.family.get().birth_day == 29 and guest.greetings_consent_at is not None
    assert guest.preferences.get().value == "feather"


@pytest.mark.django_db
def test_a_guest_form_with_mistakes_is_shown_again_with_what_was_typed(client, front_desk):
    client.force_login(front_desk)
    response = client.post(
        reverse("guests:create"),
        _guest_post(
            email="not-an-email",
            birth_day="31",
            birth_month="4",
            **{"phones-0-number": "12345"},
        ),
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Enter a valid e-mail address." in html
    assert "is not a valid phone number" in html or "is not a phone number" in html
    assert "Day 31 does not exist in month 4." in html
    assert 'value="林女士"' in html and 'value="12345"' in html and 'value="not-an-email"' in html
    assert not Guest.objects.exists()


@pytest.mark.django_db
def test_error_messages_are_in_chinese_for_chinese_staff(client, front_desk):
    front_desk.language = "zh-hans"
    front_desk.save()
    client.force_login(front_desk)
    response = client.post(
        reverse("guests:create"), _guest_post(birth_year="2999", birth_day="1", birth_month="1")
    )
    assert response.status_code == 422
    assert "出生日期不能晚于今天" in response.content.decode()


@pytest.mark.django_db
def test_front_desk_cannot_edit_a_guest_but_guest_relations_can(client, front_desk, officer, chen):
    url = reverse("guests:edit", args=[chen.pk])
    client.force_login(front_desk)
    assert client.post(url, _guest_post()).status_code == 403
    client.force_login(officer)
    page = client.get(url).content.decode()
    assert 'name="phones-0-number"' in page and 'value="+8613800138000"' in page
    phone = chen.phones.get()
    response = client.post(
        url,
        _guest_post(
            **{
                "phones-TOTAL_FORMS": "1",
                "phones-INITIAL_FORMS": "1",
                "phones-0-id": str(phone.pk),
                "phones-0-number": "+86 138 0013 8001",
                "phones-0-is_primary": "on",
            }
        ),
    )
    assert response.status_code == 302
    chen.refresh_from_db()
    assert chen.family_name == "林" and chen.phones.get().number == "+8613800138001"


@pytest.mark.django_db
def test_a_stay_is_entered_by_hand_and_bad_dates_or_a_duplicate_reference_are_refused(
    client, front_desk, chen, today
):
    client.force_login(front_desk)
    url = reverse("guests:stay_create", args=[chen.pk])
    data = {
        "arrival": today.isoformat(),
        "departure": today.isoformat(),
        "room_number": "2301",
        "spend_room": "0",
        "spend_fb": "0",
        "spend_other": "0",
        "currency": "CNY",
        "pms_reference": "PMS-77",
    }
    response = client.post(url, data)
    assert response.status_code == 422
    assert "Departure must be after arrival." in response.content.decode()
    assert 'value="2301"' in response.content.decode()

    data["departure"] = (today + timedelta(days=2)).isoformat()
    assert client.post(url, data).status_code == 302
    assert Stay.objects.get(pms_reference="PMS-77").room_number == "2301"

    response = client.post(url, data)
    assert response.status_code == 422
    assert "Another stay already has this PMS reference." in response.content.decode()


@pytest.mark.django_db
def test_front_desk_edits_a_stay(client, front_desk, chen):
    stay = chen.stays.first()
    client.force_login(front_desk)
    data = {
        "arrival": stay.arrival.isoformat(),
        "departure": stay.departure.isoformat(),
        "room_number": "0909",
        "spend_room": "1000",
        "spend_fb": "0",
        "spend_other": "0",
        "currency": "CNY",
        "pms_reference": stay.pms_reference,
    }
    assert client.post(reverse("guests:stay_edit", args=[stay.pk]), data).status_code == 302
    stay.refresh_from_db()
    assert stay.room_number == "0909"
