"""Handing guests out: loads within one counting what each has, value spread, logged."""

from __future__ import annotations

from datetime import timedelta

import pytest

from accounts import roles
from guests.models import Guest, GuestChange
from retention.models import DistributionRun
from retention.services.distribution import distribution_apply, distribution_plan
from retention.services.valuation import values_refresh
from tests.factories import UserFactory, make_guest, make_stay
from tests.retention.conftest import TODAY


def managers(n):
    return [UserFactory(role=roles.ACCOUNT_MANAGER, username=f"am{i}") for i in range(n)]


def loads(users):
    return [Guest.objects.filter(account_manager=u).count() for u in users]


@pytest.mark.django_db
def test_loads_end_within_one_counting_what_each_already_has():
    a, b, c = managers(3)
    for i in range(5):
        make_guest(family_name=f"Old{i}", account_manager=a)  # a already has 5
    for i in range(8):
        make_guest(family_name=f"New{i}", account_manager=None)
    plan = distribution_plan()
    assert [(s.user, s.before, len(s.given)) for s in plan] == [(a, 5, 0), (b, 0, 4), (c, 0, 4)]
    admin = UserFactory(role=roles.MANAGER)
    run = distribution_apply(by=admin)
    assert run.total == 8
    final = loads([a, b, c])
    assert max(final) - min(final) <= 1
    assert sum(final) == 13
    assert [row["given"] for row in run.shares] == [4, 4]  # a got none: not listed
    assert GuestChange.objects.filter(by=admin, changes__has_key="account_manager").count() == 8


@pytest.mark.django_db
def test_too_few_guests_go_to_those_with_fewest():
    a, b = managers(2)
    for i in range(6):
        make_guest(family_name=f"Old{i}", account_manager=a)
    make_guest(family_name="New", account_manager=None)
    plan = distribution_plan()
    assert [len(s.given) for s in plan] == [0, 1]


@pytest.mark.django_db
def test_spread_by_value_does_not_give_one_manager_all_the_best():
    a, b = managers(2)
    for i, spend in enumerate([9000, 100, 8000, 90]):
        guest = make_guest(family_name=f"G{i}", account_manager=None)
        make_stay(guest, arrival=TODAY - timedelta(days=10), nights=1, spend_room=spend)
    values_refresh(today=TODAY)
    plain = distribution_plan()
    weighted = distribution_plan(weighted=True)
    assert [len(s.given) for s in weighted] == [2, 2]
    assert sorted(s.value for s in weighted) == [8100, 9090]
    # dealt by id without weighting, the first manager would take both big spenders
    assert sorted(s.value for s in plain) == [190, 17000]


@pytest.mark.django_db
def test_a_segment_only_and_no_managers_no_plan():
    make_guest(family_name="Lone", account_manager=None)
    assert distribution_plan() == []
    (a,) = managers(1)
    assert distribution_plan(segment="champions")[0].given == []


@pytest.mark.django_db
def test_a_guest_assigned_meanwhile_keeps_their_manager(monkeypatch):
    a, b = managers(2)
    g1 = make_guest(family_name="One", account_manager=None)
    make_guest(family_name="Two", account_manager=None)
    import retention.services.distribution as distribution

    real = distribution.distribution_plan

    def plan_then_someone_assigns(**kwargs):
        shares = real(**kwargs)
        Guest.objects.filter(pk=g1.pk).update(account_manager=b)
        return shares

    monkeypatch.setattr(distribution, "distribution_plan", plan_then_someone_assigns)
    run = distribution_apply(by=UserFactory(role=roles.MANAGER))
    assert run.total == 1
    assert Guest.objects.get(pk=g1.pk).account_manager == b
    assert DistributionRun.objects.count() == 1
