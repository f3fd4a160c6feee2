from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.factories import make_guest, make_stay

TODAY = date(2026, 6, 1)


def history(guest, *, last_departure: date, gap_days: int, stays: int, nights: int = 2, spend=0):
    """`stays` stays of `nights` nights, `gap_days` apart (departure to next arrival), the
    last ending on `last_departure`."""
    made = []
    departure = last_departure
    for _ in range(stays):
        arrival = departure - timedelta(days=nights)
        made.append(make_stay(guest, arrival=arrival, departure=departure, spend_room=spend))
        departure = arrival - timedelta(days=gap_days)
    return made


@pytest.fixture
def regular(db):
    """A monthly regular: four stays 28 days apart, the last ended 62 days before TODAY."""
    guest = make_guest(family_name="Lin", given_name="Hao", salutation="Mr. Lin")
    history(guest, last_departure=TODAY - timedelta(days=62), gap_days=28, stays=4, spend=1000)
    return guest
