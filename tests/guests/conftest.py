"""Fixtures for the guests tests: today, a preference category and a returning guest."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from core import seams
from guests.models import Guest, PreferenceCategory
from tests.factories import make_guest, make_stay


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def pillow(db) -> PreferenceCategory:
    return PreferenceCategory.objects.create(name="Pillow", name_zh="枕头", sort_order=10)


@pytest.fixture
def chen(db, today, pillow) -> Guest:
    """A returning guest: 陈伟明, 陈生, three past stays, a birthday in three days."""
    birthday = today + timedelta(days=3)
    guest = make_guest(
        family_name="陈",
        given_name="伟明",
        name_order=Guest.NameOrder.FAMILY_FIRST,
        salutation="陈生",
        email="weiming.chen@example.com",
        birth_month=birthday.month,
        birth_day=birthday.day,
        birth_year=1975 if (birthday.month, birthday.day) != (2, 29) else 1976,
        phones=["138 0013 8000"],
        preferences=[{"category": pillow, "value": "buckwheat"}],
    )
    for days_ago in (400, 200, 30):
        make_stay(guest, arrival=today - timedelta(days=days_ago), room_number="1208")
    return guest


@pytest.fixture
def clean_seams():
    """No card panels, lookup providers or stay hooks but the test's own (the autouse
    seams_restored fixture puts the apps' registrations back afterwards)."""
    for seam in (seams.card_panels, seams.lookup_providers, seams.stay_hooks):
        seam.restore({})
    return seams
