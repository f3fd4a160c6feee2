"""The nightly valuation: figures, quintile scores at their edges, and every segment rule."""

from __future__ import annotations

import itertools
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection

from retention.models import CompanyValue, GuestValue, Segment
from retention.segments import RULES, segment_case_sql, segment_of
from retention.services.valuation import guest_value_refresh, values_refresh
from tests.factories import make_company, make_guest, make_stay
from tests.retention.conftest import TODAY

ALL_SCORES = list(itertools.product(range(1, 6), repeat=3))


def test_every_score_combination_has_exactly_the_first_matching_segment():
    for r, f, m in ALL_SCORES:
        matching = [rule.segment for rule in RULES if rule.matches(r, f, m)]
        assert matching, f"R{r} F{f} M{m} has no segment"
        assert segment_of(r, f, m) == matching[0]
    assert {segment_of(*s) for s in ALL_SCORES} == set(Segment)  # every segment reachable


@pytest.mark.parametrize(
    ("scores", "segment"),
    [
        ((5, 5, 5), Segment.CHAMPIONS),
        ((4, 4, 4), Segment.CHAMPIONS),
        ((4, 4, 3), Segment.LOYAL),
        ((3, 3, 1), Segment.LOYAL),
        ((5, 1, 5), Segment.NEW),
        ((4, 2, 1), Segment.PROMISING),
        ((2, 5, 4), Segment.CANT_LOSE),
        ((1, 4, 4), Segment.CANT_LOSE),
        ((2, 4, 3), Segment.AT_RISK),
        ((1, 3, 5), Segment.AT_RISK),
        ((3, 2, 5), Segment.NEEDS_ATTENTION),
        ((3, 1, 1), Segment.NEEDS_ATTENTION),
        ((2, 2, 5), Segment.HIBERNATING),
        ((2, 1, 1), Segment.HIBERNATING),
        ((1, 2, 5), Segment.LOST),
        ((1, 1, 1), Segment.LOST),
    ],
)
def test_each_rule_at_its_edges(scores, segment):
    assert segment_of(*scores) == segment


@pytest.mark.django_db
def test_the_sql_case_chooses_as_the_table_does_for_every_combination():
    values = ", ".join(f"({r}, {f}, {m})" for r, f, m in ALL_SCORES)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT r, f, m, {segment_case_sql()} FROM (VALUES {values}) t(r, f, m)")
        rows = cursor.fetchall()
    assert len(rows) == 125
    for r, f, m, segment in rows:
        assert segment == segment_of(r, f, m), (r, f, m)


def spent(amounts):
    """One guest per amount, each with one stay that ended the same day and spent it."""
    guests = []
    for i, amount in enumerate(amounts):
        guest = make_guest(family_name=f"G{i:02d}")
        make_stay(guest, arrival=TODAY - timedelta(days=12), nights=2, spend_room=amount)
        guests.append(guest)
    return guests


@pytest.mark.django_db
def test_quintiles_at_their_edges_and_ties_share_a_score():
    """Ten guests: five tie at the bottom and share score 1 (never split across quintiles,
    though they fill two and a half of them); above them each guest's position decides: the
    6th is in the third fifth, the 7th and 8th in the fourth, the 9th and 10th in the fifth."""
    guests = spent([100, 100, 100, 100, 100, 200, 300, 400, 500, 600])
    values_refresh(today=TODAY)
    m = dict(GuestValue.objects.values_list("guest_id", "m_score"))
    assert [m[g.pk] for g in guests] == [1, 1, 1, 1, 1, 3, 4, 4, 5, 5]
    # all stayed the same nights: one tie in recency and frequency, all share the lowest score
    assert set(GuestValue.objects.values_list("r_score", "f_score")) == {(1, 1)}


@pytest.mark.django_db
def test_no_ties_spread_evenly_over_the_five_scores():
    spent([10 * (i + 1) for i in range(10)])
    values_refresh(today=TODAY)
    scores = sorted(GuestValue.objects.values_list("m_score", flat=True))
    assert scores == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


@pytest.mark.django_db
def test_figures_count_only_ended_stays_and_name_the_method():
    guest = make_guest()
    make_stay(guest, arrival=TODAY - timedelta(days=800), nights=2, spend_room=500)
    make_stay(guest, arrival=TODAY - timedelta(days=400), nights=3, spend_room=900, spend_fb=300)
    make_stay(guest, arrival=TODAY - timedelta(days=40), nights=1, spend_room=400, spend_other=50)
    make_stay(guest, arrival=TODAY + timedelta(days=5), nights=4, spend_room=9999)  # ahead
    values_refresh(today=TODAY)
    v = GuestValue.objects.get(guest=guest)
    assert (v.stays, v.nights) == (3, 6)
    assert v.spend_total == Decimal("2150.00")
    assert (v.spend_room, v.spend_fb, v.spend_other) == (1800, 300, 50)
    assert v.spend_last_year == Decimal("450.00")
    assert v.spend_year_before == Decimal("1200.00")
    # last two years' spend (1650) per year of the 730 days: 825
    assert v.projected_value == Decimal("825.00")
    assert v.spend_per_stay == Decimal("2150") / 3
    assert [name for name, _amount in v.favourite_categories] == [
        "room",
        "food & beverage",
        "other",
    ]
    assert v.recency_days == 39
    assert v.last_departure == TODAY - timedelta(days=39)


@pytest.mark.django_db
def test_a_new_guests_projection_is_per_year_not_per_two():
    guest = make_guest()
    make_stay(guest, arrival=TODAY - timedelta(days=30), nights=2, spend_room=1000)
    values_refresh(today=TODAY)
    assert GuestValue.objects.get(guest=guest).projected_value == Decimal("1000.00")


@pytest.mark.django_db
def test_company_figures_sum_their_guests():
    company = make_company(name="Acme")
    a = make_guest(family_name="A", company=company)
    b = make_guest(family_name="B", company=company)
    make_stay(a, arrival=TODAY - timedelta(days=20), nights=2, spend_room=1000)
    make_stay(b, arrival=TODAY - timedelta(days=10), nights=1, spend_room=500, spend_fb=100)
    values_refresh(today=TODAY)
    cv = CompanyValue.objects.get(company=company)
    assert (cv.guests, cv.stays, cv.nights, cv.spend_total) == (2, 2, 3, Decimal("1600.00"))
    assert cv.last_spend_on == TODAY - timedelta(days=9)
    assert not cv.at_risk


@pytest.mark.django_db
def test_recomputing_one_guest_places_them_as_the_nightly_run_would():
    guests = spent([100, 200, 300, 400, 500])
    values_refresh(today=TODAY)
    newcomer = make_guest(family_name="New")
    make_stay(newcomer, arrival=TODAY - timedelta(days=12), nights=2, spend_room=450)
    guest_value_refresh(guest_id=newcomer.pk, today=TODAY)
    single = GuestValue.objects.get(guest=newcomer)
    values_refresh(today=TODAY)
    nightly = GuestValue.objects.get(guest=newcomer)
    assert (single.m_score, single.segment) == (nightly.m_score, nightly.segment)
    assert single.spend_total == Decimal("450.00")
    assert len(guests) == 5


@pytest.mark.django_db
def test_a_guest_whose_stays_are_gone_loses_the_value_row():
    from guests.models import Stay

    guest = make_guest()
    stay = make_stay(guest, arrival=TODAY - timedelta(days=12), nights=2)
    values_refresh(today=TODAY)
    assert GuestValue.objects.filter(guest=guest).exists()
    Stay.objects.filter(pk=stay.pk).delete()
    values_refresh(today=TODAY)
    assert not GuestValue.objects.filter(guest=guest).exists()


@pytest.mark.django_db
def test_merge_export_and_erase_providers(regular):
    from django.utils import timezone

    from core import seams
    from retention.services.radar import radar_run

    values_refresh(today=TODAY)
    radar_run(today=TODAY)
    other = make_guest(family_name="Dup")
    seams.guest_merge_hooks.get("retention")(
        kept_guest_id=other.pk, merged_guest_id=regular.pk, by=None
    )
    from retention.models import WinBack

    assert WinBack.objects.get().guest_id == other.pk
    assert not GuestValue.objects.filter(guest=regular).exists()
    make_stay(other, arrival=TODAY - timedelta(days=5), nights=1, spend_room=10)
    values_refresh(today=TODAY)
    WinBack.objects.update(lost_text="Said the rooms were noisy")
    sections = seams.privacy_export_contributors.get("retention")(other)
    assert sections["Value and segment"][0]["stays"] == 1
    assert sections["Win-back follow-ups"][0]["notes"] == "Said the rooms were noisy"
    other.erased_at = timezone.now()
    other.save()
    seams.privacy_erase_contributors.get("retention")(guest_id=other.pk, by=None)
    assert not GuestValue.objects.filter(guest=other).exists()
    assert WinBack.objects.get().lost_text == ""
