"""The Duplicates list, the card's suggestions and the merge page, for each role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts import roles
from guests.duplicates import duplicates_refresh
from guests.merge import guest_version
from guests.models import DuplicatePair, Guest, GuestMerge
from tests.factories import make_guest, make_stay

pytestmark = pytest.mark.django_db

MAY_MERGE = (roles.GUEST_RELATIONS, roles.ACCOUNT_MANAGER, roles.MANAGER, roles.ADMINISTRATOR)
MAY_NOT = (roles.FRONT_DESK, roles.DEPARTMENT_HEAD)


@pytest.fixture
def twins():
    one = make_guest(family="Chen", given="Wei", email="wei@x.test", phone="13800138000")
    two = make_guest(family="Wei", given="Chen", email="", phone="138 0013 8000", notes="VIP")
    make_stay(two)
    return one, two


def test_the_duplicates_list_is_for_roles_that_keep_in_touch(client, user_for_role, twins):
    duplicates_refresh()
    url = reverse("guests:duplicates")
    assert client.get(url).status_code == 302
    for role in MAY_MERGE:
        client.force_login(user_for_role(role))
        response = client.get(url)
        assert response.status_code == 200, role.name
        assert "Same phone number" in response.content.decode()
    for role in MAY_NOT:
        client.force_login(user_for_role(role))
        assert client.get(url).status_code == 403, role.name


def test_the_duplicates_list_pages_in_a_fixed_number_of_queries(
    client, officer, django_assert_max_num_queries
):
    for n in range(60):
        make_guest(family="Chen", given=f"Wei{n}", email=f"same{n}@x.test")
        make_guest(family="Li", given=f"Na{n}", email=f"same{n}@x.test")
    duplicates_refresh()
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        first = client.get(reverse("guests:duplicates"))
    assert first.content.decode().count('data-testid="duplicate-pair"') == 50
    second = client.get(reverse("guests:duplicates") + "?page=2")
    assert second.content.decode().count('data-testid="duplicate-pair"') == 10


def test_the_card_suggests_duplicates_with_the_reason(client, officer, front_desk, twins):
    one, two = twins
    client.force_login(officer)
    page = client.get(reverse("guests:detail", args=[one.pk])).content.decode()
    assert 'data-testid="duplicates"' in page and "Same phone number" in page
    assert reverse("guests:merge", args=[one.pk, two.pk]) in page
    client.force_login(front_desk)
    page = client.get(reverse("guests:detail", args=[one.pk])).content.decode()
    assert 'data-testid="duplicates"' not in page


def test_dismissing_from_the_card_hides_the_suggestion_for_good(client, officer, twins):
    one, two = twins
    client.force_login(officer)
    url = reverse("guests:duplicate_dismiss", args=[one.pk, two.pk])
    assert client.post(url, {"back": "card"}).url == reverse("guests:detail", args=[one.pk])
    assert DuplicatePair.objects.get().dismissed_by == officer
    page = client.get(reverse("guests:detail", args=[one.pk])).content.decode()
    assert 'data-testid="duplicates"' not in page


def test_the_merge_page_shows_both_profiles_side_by_side(client, officer, twins):
    one, two = twins
    client.force_login(officer)
    page = client.get(reverse("guests:merge", args=[one.pk, two.pk])).content.decode()
    assert "wei@x.test" in page and "VIP" in page
    assert f"(#{one.pk})" in page and f"(#{two.pk})" in page


def test_merging_takes_the_chosen_values_and_the_old_address_redirects(client, officer, twins):
    one, two = twins
    client.force_login(officer)
    data = {
        "kept_version": guest_version(one),
        "merged_version": guest_version(two),
        "family_name": "merged",
        "given_name": "merged",
    }
    response = client.post(reverse("guests:merge", args=[one.pk, two.pk]), data)
    assert response.status_code == 302
    assert response.url == reverse("guests:detail", args=[one.pk])
    one.refresh_from_db()
    assert (one.family_name, one.given_name, one.notes) == ("Wei", "Chen", "VIP")
    assert one.stays.count() == 1
    assert GuestMerge.objects.get().by == officer
    old = client.get(reverse("guests:detail", args=[two.pk]))
    assert old.status_code == 302 and old.url == reverse("guests:detail", args=[one.pk])


def test_a_merge_of_a_profile_changed_meanwhile_is_refused_with_the_choices_kept(
    client, officer, twins
):
    one, two = twins
    client.force_login(officer)
    data = {"kept_version": "stale", "merged_version": guest_version(two), "email": "merged"}
    response = client.post(reverse("guests:merge", args=[one.pk, two.pk]), data)
    assert response.status_code == 409
    assert "was changed while you were comparing" in response.content.decode()
    assert Guest.objects.filter(pk=two.pk).exists()


def test_an_empty_merge_form_merges_nothing(client, officer, twins):
    one, two = twins
    client.force_login(officer)
    response = client.post(reverse("guests:merge", args=[one.pk, two.pk]), {})
    assert response.status_code == 422
    assert Guest.objects.filter(pk=two.pk).exists()


def test_roles_that_may_not_merge_are_refused(client, user_for_role, twins):
    one, two = twins
    url = reverse("guests:merge", args=[one.pk, two.pk])
    for role in MAY_NOT:
        client.force_login(user_for_role(role))
        assert client.get(url).status_code == 403
        assert client.post(url, {}).status_code == 403
    assert Guest.objects.filter(pk=two.pk).exists()


def test_an_erased_guest_cannot_be_merged_or_dismissed(client, officer):
    from django.utils import timezone

    one = make_guest(family="Chen", given="Wei")
    gone = make_guest(family="Chen", given="Wei", email="", erased_at=timezone.now())
    client.force_login(officer)
    assert client.get(reverse("guests:merge", args=[one.pk, gone.pk])).status_code == 404
    dismiss = reverse("guests:duplicate_dismiss", args=[one.pk, gone.pk])
    assert client.post(dismiss).status_code == 404


def test_the_card_shows_what_was_merged_in_and_what_came_from_where(client, officer, twins):
    one, two = twins
    client.force_login(officer)
    data = {
        "kept_version": guest_version(one),
        "merged_version": guest_version(two),
        "salutation": "merged",
    }
    client.post(reverse("guests:merge", args=[one.pk, two.pk]), data)
    page = client.get(reverse("guests:detail", args=[one.pk])).content.decode()
    assert 'data-testid="merge-record"' in page
    assert f"(#{two.pk}), by {officer.get_full_name()}" in page
    assert "Notes: VIP" in page  # the kept profile had none: taken by default
