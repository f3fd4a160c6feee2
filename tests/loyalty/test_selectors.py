import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from core import seams
from loyalty import selectors, services
from loyalty.models import Member
from tests.factories import make_guest

from .conftest import credit, debit


@pytest.mark.django_db
def test_members_with_points_expiring_within_30_days_are_listed_most_first(front_desk):
    today = timezone.localdate()
    soon, later, spent = (
        services.member_enrol(guest=make_guest(), by=front_desk) for _ in range(3)
    )
    credit(soon, 800, on=today - datetime.timedelta(days=720))  # expires in about 10 days
    credit(later, 900, on=today - datetime.timedelta(days=600))  # expires in about 4 months
    credit(spent, 500, on=today - datetime.timedelta(days=720))
    debit(spent, 500, on=today - datetime.timedelta(days=100))

    listed = list(selectors.members_expiring_soon(today=today))
    assert [(m.pk, m.expiring) for m in listed] == [(soon.pk, 800)]
    assert selectors.member_expiring_soon(member=soon, today=today) == 800
    assert selectors.member_expiring_soon(member=later, today=today) == 0


@pytest.mark.django_db
def test_the_expiring_list_runs_one_query_whatever_the_number_of_members(
    front_desk, django_assert_num_queries
):
    today = timezone.localdate()
    for _ in range(5):
        m = services.member_enrol(guest=make_guest(), by=front_desk)
        credit(m, 100, on=today - datetime.timedelta(days=720))
        credit(m, 100, on=today - datetime.timedelta(days=10))
    with django_assert_num_queries(1):
        rows = [
            (m.guest.display_name, m.tier.display_name, m.expiring)
            for m in selectors.members_expiring_soon(today=today)
        ]
    assert len(rows) == 5 and all(row[2] == 100 for row in rows)


@pytest.mark.django_db
def test_the_liability_totals_open_balances_by_tier_at_the_point_value(front_desk, tiers, settings):
    settings.LOYALTY_POINT_VALUE = Decimal("0.05")
    a, b, closed = (services.member_enrol(guest=make_guest(), by=front_desk) for _ in range(3))
    credit(a, 1000, on=timezone.localdate())
    credit(b, 3000, on=timezone.localdate())
    credit(closed, 5000, on=timezone.localdate())
    Member.objects.filter(pk=b.pk).update(tier=tiers["gold"])
    Member.objects.filter(pk=closed.pk).update(status=Member.Status.CLOSED)

    liability = selectors.points_liability()
    by_code = {row.code: row for row in liability["tiers"]}
    assert (by_code["classic"].member_count, by_code["classic"].points) == (1, 1000)
    assert (by_code["gold"].member_count, by_code["gold"].points) == (1, 3000)
    assert str(by_code["gold"].value) == "150.00"
    assert liability["points"] == 4000 and str(liability["value"]) == "200.00"
    assert liability["member_count"] == 2


@pytest.mark.django_db
def test_the_lookup_finds_a_guest_by_member_number_typed_any_way(member):
    provider = next(p for p in seams.lookup_providers.all() if p.key == "loyalty")
    n = member.number
    assert list(provider.match(f"{n[:4]} {n[4:8]}-{n[8:]}")) == [member.guest_id]
    wrong = n[:-1] + str((int(n[-1]) + 1) % 10)
    assert provider.match(wrong) is None
    assert provider.match("Chen") is None


@pytest.mark.django_db
def test_the_lookup_badges_come_in_one_query(front_desk, django_assert_num_queries):
    members = [services.member_enrol(guest=make_guest(), by=front_desk) for _ in range(4)]
    credit(members[0], 1234, on=timezone.localdate())
    other = make_guest()
    provider = next(p for p in seams.lookup_providers.all() if p.key == "loyalty")
    with django_assert_num_queries(1):
        badges = provider.annotate([m.guest_id for m in members] + [other.pk])
    assert badges[members[0].guest_id] == ["Classic", "1,234 points", members[0].display_number]
    assert badges[members[1].guest_id] == ["Classic", "0 points", members[1].display_number]
    assert other.pk not in badges and len(badges) == 4


@pytest.mark.django_db
def test_the_lookup_badges_are_display_strings_in_the_users_language(front_desk, tiers):
    gold = services.member_enrol(guest=make_guest(), by=front_desk)
    Member.objects.filter(pk=gold.pk).update(tier=tiers["gold"])
    credit(gold, 12400, on=timezone.localdate())
    suspended = services.member_enrol(guest=make_guest(), by=front_desk)
    credit(suspended, 1, on=timezone.localdate())
    Member.objects.filter(pk=suspended.pk).update(status=Member.Status.SUSPENDED)
    provider = next(p for p in seams.lookup_providers.all() if p.key == "loyalty")
    with translation.override("zh-hans"):
        badges = provider.annotate([gold.guest_id, suspended.guest_id])
    assert badges[gold.guest_id] == ["金卡", "12,400 积分", gold.display_number]
    assert badges[suspended.guest_id] == ["经典卡", "1 积分", suspended.display_number, "已暂停"]
    with translation.override("en"):
        badges = provider.annotate([gold.guest_id, suspended.guest_id])
    assert badges[gold.guest_id] == ["Gold", "12,400 points", gold.display_number]
    assert badges[suspended.guest_id][1:2] + badges[suspended.guest_id][3:] == [
        "1 point",
        "Suspended",
    ]


@pytest.mark.django_db
def test_the_front_desk_lookup_shows_the_loyalty_badges_translated(client, front_desk, tiers):
    guest = make_guest(family_name="Gao")
    member = services.member_enrol(guest=guest, by=front_desk)
    Member.objects.filter(pk=member.pk).update(tier=tiers["silver"])
    credit(member, 2500, on=timezone.localdate())
    front_desk.language = "zh-hans"
    front_desk.save(update_fields=["language"])
    client.force_login(front_desk)
    with translation.override("en"):  # the request switches to Chinese; switch back after
        response = client.get("/guests/search/?q=gao", headers={"HX-Request": "true"})
    html = response.content.decode()
    shown = re.findall(r"data-lookup-badge>([^<]*)<", html)
    assert shown == ["银卡", "2,500 积分", member.display_number]
    assert "silver" not in html and "active" not in html


@pytest.mark.django_db
def test_the_card_panel_shows_tier_balance_and_expiring_in_one_query(
    member, front_desk, django_assert_num_queries
):
    from django.template.loader import render_to_string

    today = timezone.localdate()
    credit(member, 400, on=today - datetime.timedelta(days=720))
    credit(member, 600, on=today)
    panel = next(p for p in seams.card_panels.all() if p.key == "loyalty")
    front_desk.has_perm("loyalty.view_member")  # permissions are cached per request in real use
    with django_assert_num_queries(1):
        context = panel.context(guest=member.guest, user=front_desk)
    assert context["loyalty_member"].balance == 1000 and context["loyalty_expiring"] == 400
    html = render_to_string(panel.template, context)
    assert "Classic" in html and "1,000 points" in html and "400 points expire" in html


@pytest.mark.django_db
def test_the_card_panel_offers_enrolment_to_a_guest_who_is_not_a_member(guest, front_desk):
    from django.template.loader import render_to_string

    panel = next(p for p in seams.card_panels.all() if p.key == "loyalty")
    context = panel.context(guest=guest, user=front_desk)
    assert context["loyalty_member"] is None and context["loyalty_can_enrol"]
    assert f"/loyalty/enrol/{guest.pk}/" in render_to_string(panel.template, context)


@pytest.mark.django_db
def test_the_card_panel_is_left_out_for_a_role_without_loyalty(guest, department_head):
    panel = next(p for p in seams.card_panels.all() if p.key == "loyalty")
    assert panel.context(guest=guest, user=department_head) is None
