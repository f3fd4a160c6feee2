"""Fixtures for the loyalty tests: members, tiers, rewards, and ledger rows on past days."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.utils import timezone

from guests.models import Guest
from loyalty.models import Member, PointsTransaction, Reward, Tier
from loyalty.selectors import months_after
from tests.factories import make_guest, make_member

_counter = itertools.count(1)


def credit(
    member: Member,
    points: int,
    *,
    on: datetime.date,
    kind: str = PointsTransaction.Kind.EARN,
    nights: int = 0,
    months: int = 24,
) -> PointsTransaction:
    """A credit posted on a past day, as the services would have posted it then."""
    at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
    return PointsTransaction.objects.create(
        member=member,
        kind=kind,
        points=points,
        idempotency_key=f"test-credit:{next(_counter)}",
        created_at=at,
        expires_on=months_after(on, months),
        qualifying_nights=nights,
    )


def debit(member: Member, points: int, *, on: datetime.date, kind="redeem") -> PointsTransaction:
    at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
    return PointsTransaction.objects.create(
        member=member,
        kind=kind,
        points=-points,
        idempotency_key=f"test-debit:{next(_counter)}",
        created_at=at,
    )


def balance_of(member: Member) -> int:
    return Member.objects.values_list("balance", flat=True).get(pk=member.pk)


def loyalty_defaults_install() -> None:
    """The default tiers, earn rules and rewards of migration 0003 (get-or-create).

    A transactional test earlier in the run flushes the migrated rows, and once the browser
    tests have started Playwright's loop, Django's serialized copy is out of reach; so the tests
    that need the defaults install them."""
    import importlib

    from django.apps import apps

    importlib.import_module("loyalty.migrations.0003_default_tiers_rules_rewards").forwards(
        apps, None
    )


@pytest.fixture
def loyalty_defaults(db) -> None:
    loyalty_defaults_install()


@pytest.fixture
def guest(loyalty_defaults) -> Guest:
    return make_guest(salutation="Mr. Chen")


@pytest.fixture
def member(guest, front_desk) -> Member:
    return make_member(guest, by=front_desk)


@pytest.fixture
def tiers(loyalty_defaults) -> dict[str, Tier]:
    return {tier.code: tier for tier in Tier.objects.all()}


@pytest.fixture
def reward(loyalty_defaults) -> Reward:
    return Reward.objects.get(code="room-upgrade")  # 3,000 points
