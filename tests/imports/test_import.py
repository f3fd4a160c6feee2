"""Importing checked rows: guests and stays written, found again, never twice."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from guests.models import Guest, GuestChange, GuestPhone, Stay
from imports.models import GuestRef, ImportRun
from tests.factories import make_guest, make_import_run, make_stay, pms_file


def stay_row(n: int, **extra) -> dict:
    row = {
        "guest_ref": f"P-{n}",
        "name": f"Guest{n} Test",
        "phone": f"+86 138 {n:08d}"[:17],
        "email": f"g{n}@hotel.test",
        "stay_ref": f"R-{n}",
        "arrival": "2026-03-01",
        "departure": "2026-03-04",
        "room_number": "1208",
        "room_type": "Deluxe King",
        "spend_room": "2400.00",
    }
    row.update(extra)
    return row


def test_a_file_creates_guests_and_stays_and_counts_them(manager, import_now):
    rows = [stay_row(n) for n in range(1, 4)]
    run = import_now(make_import_run(by=manager, content=pms_file(rows)))

    assert run.status == ImportRun.Status.DONE
    assert (run.created_count, run.updated_count, run.unchanged_count, run.refused_count) == (
        3,
        0,
        0,
        0,
    )
    assert run.rows_done == run.total_rows == 3
    guest = Guest.objects.get(email="g1@hotel.test")
    assert (guest.given_name, guest.family_name) == ("Guest1", "Test")
    assert guest.phones.get().number == "+8613800000001"
    stay = Stay.objects.get(pms_reference="R-1")
    assert stay.guest == guest and stay.room_type == "Deluxe King" and stay.nights == 3
    assert guest.stage == Guest.Stage.PAST and guest.completed_stays == 1
    assert GuestRef.objects.get(kind="profile", value="P-1").guest == guest


def test_every_guest_and_stay_written_is_recorded_with_who_and_when(manager, import_now):
    import_now(make_import_run(by=manager, content=pms_file([stay_row(1)])))
    guest = Guest.objects.get()
    log = GuestChange.objects.filter(guest=guest)
    assert {(c.subject, c.action) for c in log} == {
        ("guest", "created"),
        ("phone", "created"),
        ("stay", "created"),
    }
    assert all(c.by == manager and c.at for c in log)


def test_importing_the_same_file_again_changes_nothing(manager, import_now):
    content = pms_file([stay_row(n) for n in range(1, 6)])
    import_now(make_import_run(by=manager, content=content))
    changes_before = GuestChange.objects.count()
    updated_before = list(Guest.objects.order_by("pk").values_list("updated_at", flat=True))

    again = import_now(make_import_run(by=manager, content=content))

    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 5)
    assert Guest.objects.count() == 5 and Stay.objects.count() == 5
    assert GuestPhone.objects.count() == 5
    assert GuestChange.objects.count() == changes_before
    assert list(Guest.objects.order_by("pk").values_list("updated_at", flat=True)) == (
        updated_before
    )


def test_an_updated_file_updates_what_changed_and_says_so(manager, import_now):
    import_now(make_import_run(by=manager, content=pms_file([stay_row(n) for n in (1, 2, 3)])))
    rows = [
        stay_row(1),
        stay_row(2, room_number="0906", spend_room="2600.00"),  # the stay changed
        stay_row(3, email="new3@hotel.test"),  # the guest changed
        stay_row(4),  # a new one
    ]
    run = import_now(make_import_run(by=manager, content=pms_file(rows)))

    assert (run.created_count, run.updated_count, run.unchanged_count) == (1, 2, 1)
    stay = Stay.objects.get(pms_reference="R-2")
    assert stay.room_number == "0906" and str(stay.spend_room) == "2600.00"
    assert Guest.objects.filter(email="new3@hotel.test").count() == 1
    change = GuestChange.objects.get(subject="stay", action="changed")
    assert change.changes["room_number"] == ["1208", "0906"] and change.by == manager
    assert GuestChange.objects.get(subject="guest", action="changed").changes["email"] == [
        "g3@hotel.test",
        "new3@hotel.test",
    ]


def test_a_guest_at_the_desk_is_found_by_phone_or_email_and_gets_the_stay(manager, import_now):
    by_phone = make_guest(given="Wei", family="Chen", phone="138 0013 8000", email="")
    by_email = make_guest(given="Anna", family="Smith", email="anna@example.com")
    rows = [
        {
            "name": "陈伟",
            "phone": "13800138000",
            "stay_ref": "R-1",
            "arrival": "2026-01-02",
            "departure": "2026-01-03",
        },
        {
            "name": "Anna Smith",
            "email": "ANNA@example.com",
            "stay_ref": "R-2",
            "arrival": "2026-01-02",
            "departure": "2026-01-05",
        },
    ]
    run = import_now(make_import_run(by=manager, content=pms_file(rows)))

    assert Guest.objects.count() == 2
    assert Stay.objects.get(pms_reference="R-1").guest == by_phone
    assert Stay.objects.get(pms_reference="R-2").guest == by_email
    assert run.created_count == 2  # each row brought a new stay


def test_several_stays_of_one_guest_in_a_file_make_one_guest(manager, import_now):
    rows = [
        stay_row(1, stay_ref="R-1", arrival="2025-01-01", departure="2025-01-03"),
        stay_row(1, stay_ref="R-2", arrival="2025-06-01", departure="2025-06-03"),
        {
            "document": "110101199003074477",
            "name": "陈伟",
            "stay_ref": "R-3",
            "arrival": "2025-07-01",
            "departure": "2025-07-02",
        },
        {
            "document": "1101 0119 9003 0744 77",
            "name": "陈伟",
            "stay_ref": "R-4",
            "arrival": "2025-08-01",
            "departure": "2025-08-02",
        },
    ]
    import_now(make_import_run(by=manager, content=pms_file(rows)), chunk_rows=3)

    assert Guest.objects.count() == 2
    chen = Guest.objects.get(family_name="陈")
    assert chen.given_name == "伟" and chen.name_order == Guest.NameOrder.FAMILY_FIRST
    assert chen.stays.count() == 2  # the same document, across two chunks
    assert GuestRef.objects.filter(kind="document").count() == 1


def test_an_erased_guest_is_never_matched_and_the_person_gets_a_new_profile(manager, import_now):
    import_now(make_import_run(by=manager, content=pms_file([stay_row(1)])))
    old = Guest.objects.get()
    Guest.objects.filter(pk=old.pk).update(erased_at=timezone.now())

    rows = [stay_row(1), stay_row(1, stay_ref="R-9", arrival="2026-05-01", departure="2026-05-02")]
    run = import_now(make_import_run(by=manager, content=pms_file(rows)))

    new = Guest.objects.exclude(pk=old.pk).get()
    assert new.email == "g1@hotel.test"
    assert Stay.objects.get(pms_reference="R-1").guest == old  # stays an anonymous statistic
    assert Stay.objects.get(pms_reference="R-9").guest == new
    assert GuestRef.objects.get(kind="profile", value="P-1").guest == new
    assert run.created_count == 2


def test_a_guest_only_file_without_stays_is_imported(manager, import_now):
    rows = [
        {
            "姓名": "王芳",
            "手机": "139 1234 5678",
            "生日": "1990-03-07",
            "公司": "Acme",
            "性别": "女",
        }
    ]
    run = import_now(make_import_run(by=manager, content=pms_file(rows)))

    guest = Guest.objects.get()
    assert (guest.family_name, guest.given_name, guest.gender) == ("王", "芳", "female")
    assert (guest.birth_year, guest.birth_month, guest.birth_day) == (1990, 3, 7)
    assert guest.company.name == "Acme" and not guest.stays.exists()
    assert run.created_count == 1


def test_a_stay_without_a_reservation_number_is_matched_by_its_dates(manager, import_now):
    guest = make_guest(phone="138 0013 8000")
    make_stay(guest, arrival=date(2026, 1, 2), nights=1, pms_reference=None)
    rows = [
        {
            "name": "Wei Chen",
            "phone": "13800138000",
            "arrival": "2026-01-02",
            "departure": "2026-01-03",
        }
    ]
    run = import_now(make_import_run(by=manager, content=pms_file(rows)))

    assert guest.stays.count() == 1 and run.unchanged_count == 1
