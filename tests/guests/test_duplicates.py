"""Likely duplicates: each rule, the reasons, the stored list, dismissal for good."""

from __future__ import annotations

import pytest

from guests.duplicates import (
    duplicate_dismiss,
    duplicate_pairs_open,
    duplicates_for_guest,
    duplicates_refresh,
)
from guests.models import DuplicatePair
from tests.factories import make_company, make_document, make_guest

pytestmark = pytest.mark.django_db


def reasons_between(one, two) -> list[str]:
    found = {s.guest.pk: s.reasons for s in duplicates_for_guest(guest=one)}
    return found.get(two.pk, [])


def test_the_same_phone_typed_two_ways_is_a_duplicate():
    one = make_guest(family="Chen", given="Wei", email="", phone="138 0013 8000")
    two = make_guest(family="Li", given="Na", email="", phone="+86 13800138000")
    assert reasons_between(one, two) == ["phone"]


def test_the_same_email_in_other_case_is_a_duplicate():
    one = make_guest(family="Chen", given="Wei", email="Wei@Example.com")
    two = make_guest(family="Li", given="Na", email="wei@example.com")
    assert reasons_between(two, one) == ["email"]


def test_the_same_identity_document_typed_with_spaces_is_a_duplicate():
    one = make_guest(family="Chen", given="Wei", email="")
    two = make_guest(family="Li", given="Na", email="")
    make_document(one, "110105 19491231 002x")
    make_document(two, "11010519491231002X")
    assert reasons_between(one, two) == ["document"]


def test_a_name_in_either_order_with_the_same_birthday_is_a_duplicate():
    one = make_guest(family="Chen", given="Wei", email="", birthday=(5, 20))
    two = make_guest(family="WEI", given="chen", email="", birthday=(5, 20))
    three = make_guest(family="Chen", given="Wei", email="", birthday=(5, 21))
    assert reasons_between(one, two) == ["name_birthday"]
    assert reasons_between(one, three) == []


def test_birth_years_that_differ_are_two_people():
    one = make_guest(family="Chen", given="Wei", email="", birthday=(5, 20), birth_year=1970)
    two = make_guest(family="Chen", given="Wei", email="", birthday=(5, 20), birth_year=1990)
    assert reasons_between(one, two) == []


def test_the_same_name_at_the_same_company_is_a_duplicate():
    acme = make_company(name="Acme")
    other = make_company(name="Other")
    one = make_guest(family="Chen", given="Wei", email="", company=acme)
    two = make_guest(family="Chen", given="Wei", email="", company=acme)
    three = make_guest(family="Chen", given="Wei", email="", company=other)
    assert reasons_between(one, two) == ["name_company"]
    assert reasons_between(one, three) == []


def test_several_reasons_are_all_given():
    one = make_guest(family="Chen", given="Wei", email="w@x.test", phone="13800138000")
    two = make_guest(family="Chen", given="Wei", email="w@x.test", phone="13800138000")
    assert reasons_between(one, two) == ["email", "phone"]


def test_erased_guests_are_never_suggested():
    from django.utils import timezone

    one = make_guest(family="Chen", given="Wei", email="w@x.test")
    make_guest(family="Chen", given="Wei", email="w@x.test", erased_at=timezone.now())
    assert duplicates_for_guest(guest=one) == []
    duplicates_refresh()
    assert not DuplicatePair.objects.exists()


def test_the_refresh_stores_each_pair_once_and_running_it_twice_changes_nothing():
    one = make_guest(family="Chen", given="Wei", email="w@x.test", phone="13800138000")
    two = make_guest(family="Li", given="Na", email="w@x.test", phone="13800138000")
    make_guest(family="Zhang", given="San", email="")
    assert duplicates_refresh() == {"removed": 0, "saved": 1}
    pair = DuplicatePair.objects.get()
    assert (pair.guest_a, pair.guest_b, pair.reasons) == (one, two, ["email", "phone"])
    assert duplicates_refresh() == {"removed": 0, "saved": 0}


def test_a_pair_no_longer_alike_leaves_the_list():
    one = make_guest(family="Chen", given="Wei", email="w@x.test")
    two = make_guest(family="Li", given="Na", email="w@x.test")
    duplicates_refresh()
    two.email = "other@x.test"
    two.save()
    assert duplicates_refresh()["removed"] == 1
    assert not duplicate_pairs_open().exists()
    assert one.pk  # still there


def test_a_dismissed_pair_is_never_suggested_again(manager):
    one = make_guest(family="Chen", given="Wei", email="w@x.test")
    two = make_guest(family="Li", given="Na", email="w@x.test")
    duplicates_refresh()
    duplicate_dismiss(guest=two, other=one, by=manager)
    duplicates_refresh()
    assert not duplicate_pairs_open().exists()
    assert duplicates_for_guest(guest=one) == []
    pair = DuplicatePair.objects.get()
    assert pair.dismissed_by == manager and pair.dismissed_at is not None


def test_the_list_reads_both_profiles_in_one_query(django_assert_max_num_queries):
    for n in range(5):
        make_guest(family="Chen", given=f"Wei{n}", email=f"same{n}@x.test")
        make_guest(family="Li", given=f"Na{n}", email=f"same{n}@x.test")
    duplicates_refresh()
    with django_assert_max_num_queries(1):
        rows = [(p.guest_a.display_name, p.guest_b.display_name) for p in duplicate_pairs_open()]
    assert len(rows) == 5
