from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.seams import CardPanel, LookupProvider
from guests import selectors, services
from guests.models import Company, FamilyMember, Guest, GuestPhone
from tests.factories import make_company, make_guest, make_stay
from tests.support.seams import register_keyed


def names(results):
    return [g.display_name for g in results]


# --- Lookup -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["陈", "伟明", "陈伟", "陈伟明", "陈生", "明"])
def test_a_guest_is_found_by_any_part_of_a_chinese_name(chen, query):
    make_guest(family_name="王", given_name="芳", name_order="family_first")
    assert names(selectors.guest_search(query=query)) == ["陈伟明"]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["Smith", "smi", "anna smith", "SMITH ANNA", "ms. smith", "a"])
def test_a_guest_is_found_by_a_latin_name_in_any_order_and_case(query):
    make_guest(family_name="Smith", given_name="Anna", salutation="Ms. Smith")
    make_guest(family_name="Brown", given_name="Tom")
    assert names(selectors.guest_search(query=query)) == ["Anna Smith"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["+86 138 0013 8000", "13800138000", "138-0013-8000", "8000", "38000", "0086138"]
)
def test_a_guest_is_found_by_a_phone_number_in_any_format_or_its_last_digits(chen, query):
    make_guest(family_name="Lin", phones=["13900139001"])
    found = selectors.guest_search(query=query)
    if query == "0086138":  # the start of a number is not its tail
        assert chen not in found
    else:
        assert names(found) == ["陈伟明"]


@pytest.mark.django_db
def test_a_guest_is_found_by_the_whole_e_mail_but_never_by_part_of_it(chen):
    # Staff who see contact details masked must not be able to probe addresses piece by piece.
    assert names(selectors.guest_search(query="WeiMing.Chen@example.com")) == ["陈伟明"]
    assert selectors.guest_search(query="weiming.chen") == []
    assert selectors.guest_search(query="@example.com") == []
    assert selectors.guest_search(query="example") == []


@pytest.mark.django_db
def test_an_in_house_room_finds_the_guest_staying_there_today_only(chen, today):
    now_in_1208 = make_guest(family_name="Zhou", given_name="Jie")
    make_stay(now_in_1208, arrival=today - timedelta(days=1), nights=2, room_number="1208")
    leaving_today = make_guest(family_name="Wu", given_name="Min")
    make_stay(leaving_today, arrival=today - timedelta(days=3), nights=3, room_number="1208")
    # chen stayed in 1208 a month ago: not in-house, so not found by the room
    results = selectors.guest_search(query="1208")
    assert names(results) == ["Jie Zhou"]
    assert results[0].in_house_room == "1208"


@pytest.mark.django_db
def test_the_hotels_local_date_decides_who_is_in_house(settings, monkeypatch):
    from datetime import UTC, datetime

    settings.TIME_ZONE = "Asia/Shanghai"
    guest = make_guest(family_name="Ho", given_name="")
    make_stay(guest, arrival=date(2026, 3, 2), nights=1, room_number="808")
    # 17:30 UTC on 1 March is 01:30 on 2 March in Shanghai: the stay from the 2nd is in-house.
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 3, 1, 17, 30, tzinfo=UTC))
    assert names(selectors.guest_search(query="808")) == ["Ho"]
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 3, 1, 15, 30, tzinfo=UTC))
    assert selectors.guest_search(query="808") == []


@pytest.mark.django_db
def test_an_erased_guest_is_never_found(chen):
    Guest.objects.filter(pk=chen.pk).update(erased_at=timezone.now())
    assert selectors.guest_search(query="陈伟明") == []
    assert selectors.guest_search(query="8000") == []


@pytest.mark.django_db
def test_results_show_what_is_needed_to_pick_the_right_person(chen, today):
    company = make_company(name="Pearl River Holdings")
    services.guest_update(guest=chen, by=None, data={"vip_level": 2, "company": company})
    (result,) = selectors.guest_search(query="陈伟明")
    assert result.address_as == "陈生"
    assert result.company.name == "Pearl River Holdings"
    assert result.stay_count == 3
    assert result.last_stay_departure == today - timedelta(days=28)
    assert result.vip_level == 2
    assert result.phone_list[0].number == "+8613800138000"


@pytest.mark.django_db
def test_a_first_time_guest_in_house_now_is_in_house_not_returning(today):
    guest = make_guest(family_name="Zhou", given_name="Jie")
    make_stay(guest, arrival=today - timedelta(days=1), nights=3, room_number="1203")
    (result,) = selectors.guest_search(query="zhou")
    assert (result.stay_count, result.last_stay_departure) == (0, None)
    assert result.in_house_room == "1203"
    (row,) = selectors.guest_summaries(guests=[guest])
    assert (row.stay_count, row.in_house_room) == (0, "1203")


@pytest.mark.django_db
def test_a_returning_guest_in_house_again_counts_only_the_stays_that_ended(today):
    guest = make_guest(family_name="Zhou", given_name="Jie")
    make_stay(guest, arrival=today - timedelta(days=60), nights=2)
    make_stay(guest, arrival=today - timedelta(days=2), nights=2)  # left this morning
    make_stay(guest, arrival=today, nights=4, room_number="1805")  # arrived today
    make_stay(guest, arrival=today + timedelta(days=30))  # booked
    (result,) = selectors.guest_search(query="zhou")
    assert result.stay_count == 2 and result.last_stay_departure == today
    assert result.in_house_room == "1805"


@pytest.mark.django_db
def test_a_lookup_provider_finds_guests_by_its_code_and_adds_badges(chen, clean_seams):
    calls = []

    def annotate(ids):
        calls.append(list(ids))
        return {chen.pk: ["Gold", "12,400 points"]}

    register_keyed(
        clean_seams.lookup_providers,
        LookupProvider(
            key="loyalty",
            match=lambda q: [chen.pk] if q == "M-000123" else [],
            annotate=annotate,
        ),
    )
    (result,) = selectors.guest_search(query="M-000123")
    assert result == chen
    assert result.lookup_badges == ["Gold", "12,400 points"]
    assert calls == [[chen.pk]]  # one call for all rows


@pytest.mark.django_db
def test_the_limit_is_respected():
    for i in range(5):
        make_guest(family_name="Chen", given_name=f"Wei{i}")
    assert len(selectors.guest_search(query="chen", limit=3)) == 3
    assert selectors.guest_search(query="   ") == []


def _search_queries(query: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        results = selectors.guest_search(query=query, limit=20)
        for guest in results:
            _ = (guest.company, guest.phone_list, guest.stay_count, guest.lookup_badges)
    return len(ctx.captured_queries), len(results)


@pytest.mark.django_db
def test_the_lookup_runs_the_same_queries_for_3_results_as_for_20(clean_seams, today):
    register_keyed(
        clean_seams.lookup_providers,
        LookupProvider(key="badges", annotate=lambda ids: dict.fromkeys(ids, ["Gold"])),
    )
    company = make_company()
    for i in range(3):
        make_guest(family_name="Liang", given_name=f"A{i}", company=company, phones=["13800138000"])
    for i in range(25):
        guest = make_guest(
            family_name="Zheng", given_name=f"B{i}", company=company, phones=[f"1390013{i:04d}"]
        )
        for n in range(3):
            make_stay(guest, arrival=today - timedelta(days=100 + 10 * n))
    few = _search_queries("liang")
    many = _search_queries("zheng")
    assert few[1] == 3 and many[1] == 20
    assert few[0] == many[0] == 4  # name ids, guests with company and counts, phones, badges


@pytest.mark.django_db
def test_the_searches_can_be_answered_from_their_indexes(chen):
    """With sequential scans switched off, each kind of search must find an index to use."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    cases = {
        "guest_search_trgm": Guest.objects.filter(search_text__contains="伟明x"),
        "guest_name_grams": Guest.objects.filter(name_grams__contains=["伟明"]),
        "guestphone_tail": GuestPhone.objects.filter(digits_reversed__startswith="0008"),
        "guest_email": Guest.objects.filter(email="weiming.chen@example.com"),
        "stay_room_dates": selectors.in_house_stays(date(2026, 1, 1)).filter(room_number="1208"),
    }
    for index, queryset in cases.items():
        assert index in queryset.order_by().explain(), index


# --- Lists --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_guest_list_filters_by_vip_stage_company_manager_and_in_house(today, account_manager):
    company = make_company()
    vip = make_guest(family_name="Vip", vip_level=2, company=company)
    managed = make_guest(family_name="Managed", account_manager=account_manager)
    staying = make_guest(family_name="Staying")
    make_stay(staying, arrival=today, nights=2)
    make_guest(family_name="Other")

    def listed(**filters):
        return [g.family_name for g in selectors.guest_list(**filters)]

    assert listed(vip=2) == ["Vip"]
    assert listed(company=company) == ["Vip"]
    assert listed(account_manager=account_manager) == ["Managed"]
    assert listed(in_house=True) == ["Staying"]
    assert listed(stage=Guest.Stage.IN_HOUSE) == ["Staying"]
    assert len(listed()) == 4
    assert vip and managed


# --- Occasions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "month", "day", "expected"),
    [
        (date(2026, 12, 28), 1, 2, date(2027, 1, 2)),  # over the new year
        (date(2026, 5, 10), 5, 10, date(2026, 5, 10)),  # today
        (date(2026, 5, 10), 5, 9, date(2027, 5, 9)),  # just passed
        (date(2027, 2, 25), 2, 29, date(2027, 2, 28)),  # no 29 February this year
        (date(2028, 2, 25), 2, 29, date(2028, 2, 29)),  # a leap year
        (date(2027, 3, 1), 2, 29, date(2028, 2, 29)),  # passed: next leap year's own day
    ],
)
def test_a_yearly_date_comes_round_on_the_right_day(today, month, day, expected):
    assert selectors.occasion_next(month=month, day=day, today=today) == expected


@pytest.mark.django_db
def test_birthdays_and_anniversaries_in_the_next_7_days_are_found_across_the_year_end():
    today = date(2026, 12, 28)
    guest = make_guest(
        birth_month=1,
        birth_day=3,
        birth_year=1980,
        relatives=[
            {"relation": FamilyMember.Relation.DAUGHTER, "name": "乐乐", "birth_month": 12,
             "birth_day": 28},
            {"relation": FamilyMember.Relation.SON, "name": "Tom", "birth_month": 1,
             "birth_day": 5},  # 8 days away: not this week
        ],
        special_dates=[{"kind": "wedding", "date": date(2001, 12, 31), "note": "Paris"}],
    )  # fmt: skip
    guest = Guest.objects.prefetch_related("family", "special_dates").get(pk=guest.pk)
    found = selectors.occasions_upcoming(guest=guest, today=today)
    assert [(o.who, o.days_away, o.years) for o in found] == [
        ("乐乐 (Daughter)", 0, None),
        ("Paris", 3, 25),
        ("Wei Chen", 6, 47),
    ]


@pytest.mark.django_db
def test_a_29_february_birthday_is_remembered_on_28_february_in_other_years():
    guest = make_guest(birth_month=2, birth_day=29)
    guest = Guest.objects.prefetch_related("family", "special_dates").get(pk=guest.pk)
    (occasion,) = selectors.occasions_upcoming(guest=guest, today=date(2027, 2, 26))
    assert occasion.on == date(2027, 2, 28) and occasion.days_away == 2


# --- The guest card -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_card_shows_how_to_address_the_guest_their_stays_and_birthday(chen, front_desk, today):
    card = selectors.guest_get_card(guest_id=chen.pk, user=front_desk)
    assert card.guest.address_as == "陈生"
    assert card.is_returning and card.stay_count == 3
    assert card.last_stay_departure == today - timedelta(days=28)
    assert [o.label for o in card.occasions] == ["Birthday"]
    assert card.show_contact is False
    assert [str(p) for p in card.guest.preferences.all()] == ["Pillow: buckwheat"]


@pytest.mark.django_db
def test_a_first_time_guest_in_house_is_shown_in_house_not_as_returning(front_desk, today):
    guest = make_guest()
    make_stay(guest, arrival=today - timedelta(days=1), nights=3, room_number="1203")
    card = selectors.guest_get_card(guest_id=guest.pk, user=front_desk)
    assert card.stay_count == 0 and not card.is_returning and card.last_stay_departure is None
    assert card.current_stay.room_number == "1203"


@pytest.mark.django_db
def test_a_booked_future_stay_does_not_count_as_a_stay_yet(front_desk, today):
    guest = make_guest()
    make_stay(guest, arrival=today + timedelta(days=10))
    card = selectors.guest_get_card(guest_id=guest.pk, user=front_desk)
    assert card.stay_count == 0 and not card.is_returning and card.last_stay_departure is None


@pytest.mark.django_db
def test_card_panels_are_given_in_order_and_left_out_when_they_return_none(
    chen, front_desk, clean_seams
):
    register_keyed(
        clean_seams.card_panels,
        CardPanel(key="loyalty", template="x.html", context=lambda **kw: None, order=20),
    )
    register_keyed(
        clean_seams.card_panels,
        CardPanel(
            key="complaints",
            template="y.html",
            context=lambda *, guest, user: {"guest_id": guest.pk, "user": user},
            order=10,
        ),
    )
    card = selectors.guest_get_card(guest_id=chen.pk, user=front_desk)
    assert [(p.key, ctx["guest_id"]) for p, ctx in card.panels] == [("complaints", chen.pk)]
    assert card.loyalty_registered  # registered but hidden for this user: no placeholder either


@pytest.mark.django_db
def test_the_corporate_cue_is_set_when_the_companys_privilege_is_paused(chen, front_desk, manager):
    company = make_company(charge_privilege=Company.ChargePrivilege.ACTIVE)
    services.guest_update(guest=chen, by=None, data={"company": company})
    assert not selectors.guest_get_card(guest_id=chen.pk, user=front_desk).charge_paused
    services.company_charge_pause(company=company, by=manager, reason="Overdue")
    assert selectors.guest_get_card(guest_id=chen.pk, user=front_desk).charge_paused


def _card_queries(guest, user) -> int:
    with CaptureQueriesContext(connection) as ctx:
        card = selectors.guest_get_card(guest_id=guest.pk, user=user)
        _ = [
            card.guest.company,
            card.guest.account_manager,
            card.guest.referred_by,
            list(card.guest.phones.all()),
            list(card.guest.preferences.all()),
            [p.category.name for p in card.guest.preferences.all()],
            card.recent_stays,
            card.occasions,
        ]
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_the_card_runs_the_same_queries_for_1_stay_as_for_30_stays_and_5_family(
    front_desk, today, pillow
):
    company = make_company()
    one = make_guest(family_name="One", company=company, phones=["13800138000"])
    make_stay(one, arrival=today - timedelta(days=50))
    many = make_guest(
        family_name="Many",
        company=company,
        referred_by=one,
        phones=["13900139000", "13700137000"],
        relatives=[{"relation": "other", "name": f"F{i}", "birth_month": 1, "birth_day": i + 1}
                for i in range(5)],
        special_dates=[{"kind": "wedding", "date": date(2000, 1, 1)}],
        preferences=[{"category": pillow, "value": "feather"}],
    )  # fmt: skip
    for n in range(30):
        make_stay(many, arrival=today - timedelta(days=20 * (n + 1)))
    front_desk.has_perm("guests.view_guest")  # load the permission cache before counting
    # 6 for the card itself, 1 for the loyalty panel, 2 for the complaints panel (its third,
    # for departments brought in, runs only when the guest has tickets)
    assert _card_queries(one, front_desk) == _card_queries(many, front_desk) == 9
