from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core import seams
from guests import services
from guests.models import Company, FamilyMember, Guest, GuestPhone, SpecialDate
from tests.factories import make_company, make_guest, make_stay


@pytest.mark.parametrize(
    "typed",
    [
        "13800138000",
        "138 0013 8000",
        "138-0013-8000",
        "+86 138 0013 8000",
        "0086 13800138000",
        "(+86) 138.0013.8000",
    ],
)
def test_a_chinese_mobile_is_normalised_whatever_way_it_was_typed(typed):
    assert services.phone_normalise(typed) == "+8613800138000"


def test_a_foreign_number_keeps_its_country():
    assert services.phone_normalise("+852 9123 4567") == "+85291234567"
    assert services.phone_normalise("+1 (646) 234-5678") == "+16462345678"


@pytest.mark.parametrize("typed", ["12345", "hello", "", "+86 138"])
def test_something_that_is_not_a_phone_number_is_refused(typed):
    with pytest.raises(ValidationError):
        services.phone_normalise(typed)


@pytest.mark.django_db
def test_creating_a_guest_fills_the_search_fields_and_reversed_phone_digits():
    guest = make_guest(
        family_name="陈",
        given_name="伟明",
        name_order=Guest.NameOrder.FAMILY_FIRST,
        salutation="陈生",
        email=" Wei.Chen@Example.COM ",
        phones=["138 0013 8000", "+86 13800138000", "+852 9123 4567"],
    )
    assert guest.email == "wei.chen@example.com"
    assert "陈伟明" in guest.search_text and "陈生" in guest.search_text
    assert "wei.chen" not in guest.search_text and "example" not in guest.search_text
    assert {"陈", "伟", "明", "陈伟", "伟明", "陈生"} <= set(guest.name_grams)
    phones = list(guest.phones.order_by("pk"))
    assert [p.number for p in phones] == ["+8613800138000", "+85291234567"]  # one number, once
    assert phones[0].is_primary and phones[0].digits_reversed == "0008310083168"


@pytest.mark.django_db
def test_latin_names_are_searchable_in_both_orders_and_by_their_first_letters():
    guest = make_guest(family_name="Smith", given_name="Anna", salutation="Ms. Smith")
    assert "anna smith" in guest.search_text and "smith anna" in guest.search_text
    assert {"a", "an", "s", "sm", "ms"} <= set(guest.name_grams)


@pytest.mark.django_db
def test_giving_and_withdrawing_consent_is_time_stamped():
    guest = make_guest(greetings_consent=True)
    assert guest.greetings_consent_at is not None
    assert guest.marketing_consent_at is None  # never asked, nothing to stamp
    given_at = guest.greetings_consent_at

    guest = services.guest_update(guest=guest, by=None, data={"notes": "likes tea"})
    assert guest.greetings_consent_at == given_at  # unchanged consent keeps its stamp

    guest = services.guest_update(
        guest=guest, by=None, data={"greetings_consent": False, "marketing_consent": True}
    )
    assert guest.greetings_consent is False and guest.greetings_consent_at > given_at
    assert guest.marketing_consent_at is not None


@pytest.mark.django_db
def test_updating_a_guest_updates_kept_rows_adds_new_ones_and_removes_the_rest(pillow):
    guest = make_guest(
        phones=["13800138000", "13900139000"],
        relatives=[
            {"relation": FamilyMember.Relation.SPOUSE, "name": "王芳"},
            {"relation": FamilyMember.Relation.SON, "name": "小宝"},
        ],
        special_dates=[{"kind": SpecialDate.Kind.WEDDING, "date": date(2010, 5, 20)}],
    )
    spouse = guest.family.get(name="王芳")
    kept_phone = guest.phones.get(number="+8613800138000")
    services.guest_update(
        guest=guest,
        by=None,
        data={},
        phones=[{"id": kept_phone.pk, "number": "13800138000"}, {"number": "13900139000"}],
        family=[{"id": spouse.pk, "relation": "spouse", "name": "王芳", "birth_month": 3}],
        special_dates=[],
        preferences=[{"category": pillow, "value": "feather"}],
    )
    assert GuestPhone.objects.filter(guest=guest).count() == 2
    assert list(guest.family.values_list("pk", "birth_month")) == [(spouse.pk, 3)]
    assert not guest.special_dates.exists()
    assert [str(p) for p in guest.preferences.all()] == ["Pillow: feather"]


@pytest.mark.django_db
def test_a_special_date_remembers_its_month_and_day_for_the_greeting_jobs():
    guest = make_guest(special_dates=[{"kind": "wedding", "date": date(2012, 2, 29)}])
    occasion = guest.special_dates.get()
    assert (occasion.month, occasion.day) == (2, 29)


@pytest.mark.parametrize(
    ("year", "month", "day"),
    [(None, 2, 29), (2000, 2, 29), (1980, 12, 31), (None, None, None), (1975, 4, 30)],
)
def test_real_birth_dates_are_accepted(year, month, day):
    services.birth_date_check(year=year, month=month, day=day, today=date(2026, 6, 1))


@pytest.mark.parametrize(
    ("year", "month", "day", "code"),
    [
        (2023, 2, 29, "day"),
        (None, 4, 31, "day"),
        (None, 2, 30, "day"),
        (None, None, 5, "partial_date"),
        (None, 5, None, "partial_date"),
        (2026, 6, 2, "future"),
        (2030, 1, 1, "future"),
        (1800, 1, 1, "year"),
    ],
)
def test_impossible_or_future_birth_dates_are_refused(year, month, day, code):
    with pytest.raises(ValidationError) as error:
        services.birth_date_check(year=year, month=month, day=day, today=date(2026, 6, 1))
    assert error.value.code == code


@pytest.mark.django_db
def test_a_stay_must_leave_after_it_arrives():
    guest = make_guest()
    with pytest.raises(ValidationError) as error:
        make_stay(guest, arrival=date(2026, 1, 5), nights=0)
    assert "departure" in error.value.message_dict


@pytest.mark.django_db
def test_a_pms_reference_belongs_to_one_stay_only():
    guest = make_guest()
    make_stay(guest, arrival=date(2026, 1, 5), pms_reference="PMS-1")
    with pytest.raises(ValidationError) as error:
        make_stay(guest, arrival=date(2026, 2, 5), pms_reference=" PMS-1 ")
    assert "pms_reference" in error.value.message_dict
    # Stays without a reference do not collide with each other.
    make_stay(guest, arrival=date(2026, 3, 5), pms_reference="")
    make_stay(guest, arrival=date(2026, 4, 5), pms_reference="")


@pytest.mark.django_db
def test_a_stay_covering_today_makes_the_guest_in_house_and_editing_it_makes_them_past(today):
    guest = make_guest()
    stay = make_stay(guest, arrival=today - timedelta(days=1), nights=3, room_number=" 1208 ")
    guest.refresh_from_db()
    assert guest.stage == Guest.Stage.IN_HOUSE and stay.room_number == "1208"
    services.stay_update(
        stay=stay,
        by=None,
        data={"arrival": today - timedelta(days=5), "departure": today - timedelta(days=2)},
    )
    guest.refresh_from_db()
    assert guest.stage == Guest.Stage.PAST


@pytest.mark.django_db
def test_pausing_charge_to_account_records_who_when_and_why_and_resuming_keeps_it(manager):
    company = make_company(charge_privilege=Company.ChargePrivilege.ACTIVE)
    company = services.company_charge_pause(company=company, by=manager, reason="Unpaid invoices")
    assert company.charge_privilege == Company.ChargePrivilege.PAUSED
    assert company.charge_paused_by == manager and company.charge_paused_at <= timezone.now()

    company = services.company_charge_resume(company=company, by=manager)
    assert company.charge_privilege == Company.ChargePrivilege.ACTIVE
    assert company.charge_resumed_by == manager and company.charge_resumed_at
    assert company.charge_paused_reason == "Unpaid invoices"  # the last pause stays on record

    resumed_at = company.charge_resumed_at
    company = services.company_charge_resume(company=company, by=manager)
    assert company.charge_resumed_at == resumed_at  # resuming twice changes nothing


@pytest.mark.django_db
def test_a_pause_needs_a_reason(manager):
    company = make_company(charge_privilege=Company.ChargePrivilege.ACTIVE)
    with pytest.raises(ValidationError):
        services.company_charge_pause(company=company, by=manager, reason="  ")
    company.refresh_from_db()
    assert company.charge_privilege == Company.ChargePrivilege.ACTIVE


@pytest.mark.django_db
def test_the_company_form_path_cannot_pause_without_a_reason():
    with pytest.raises(ValidationError):
        make_company(charge_privilege=Company.ChargePrivilege.PAUSED)


@pytest.mark.django_db
def test_company_contacts_get_normalised_phones():
    company = services.company_save(
        company=None,
        by=None,
        data={"name": "Orient Logistics"},
        contacts=[{"name": "Ms. Li", "phone": "139 0013 9000", "email": "li@example.com"}],
    )
    assert company.contacts.get().phone == "+8613900139000"


@pytest.mark.django_db
def test_stay_hooks_hear_of_a_new_or_changed_stay_only_once_it_is_committed(
    clean_seams, django_capture_on_commit_callbacks, today
):
    heard: list[int] = []
    clean_seams.stay_hooks.register("test", heard.append)
    guest = make_guest()
    with django_capture_on_commit_callbacks() as callbacks:
        stay = make_stay(guest, arrival=today - timedelta(days=3))
        assert heard == []  # nothing before the commit
    for callback in callbacks:
        callback()
    with django_capture_on_commit_callbacks(execute=True):
        services.stay_update(stay=stay, by=None, data={"room_number": "1805"})
    assert heard == [stay.pk, stay.pk]


@pytest.mark.django_db
def test_a_failing_stay_hook_does_not_undo_the_stay_or_stop_the_others(
    clean_seams, django_capture_on_commit_callbacks, today
):
    heard: list[int] = []

    def broken(stay_id: int) -> None:
        raise RuntimeError("loyalty is down")

    clean_seams.stay_hooks.register("a_broken", broken)
    clean_seams.stay_hooks.register("b_listening", heard.append)
    assert seams.stay_hooks.all() == [broken, heard.append]
    with django_capture_on_commit_callbacks(execute=True):
        stay = make_stay(make_guest(), arrival=today - timedelta(days=3))
    assert heard == [stay.pk]


@pytest.mark.django_db
def test_the_migration_takes_the_e_mail_out_of_existing_search_text():
    import importlib

    from django.apps import apps

    guest = make_guest(
        family_name="Smith", given_name="Anna", email="anna@example.com", salutation=""
    )
    other = make_guest(family_name="Lee", given_name="Kim", salutation="")
    Guest.objects.filter(pk=guest.pk).update(
        search_text="anna smith | smith anna | smithanna | anna@example.com"
    )
    migration = importlib.import_module("guests.migrations.0004_search_text_without_email")
    migration.forwards(apps, None)
    guest.refresh_from_db()
    assert guest.search_text == "anna smith | smith anna | smithanna"
    assert Guest.objects.get(pk=other.pk).search_text == "kim lee | lee kim | leekim"
