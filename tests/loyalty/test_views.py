import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from loyalty import services
from loyalty.models import Member, PointsTransaction, Redemption
from tests.factories import make_guest, make_stay

from .conftest import balance_of, credit


def url(name, *args):
    return reverse(f"loyalty:{name}", args=args)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, needs_member",
    [
        ("members", False),
        ("member", True),
        ("redeem", True),
        ("rewards", False),
        ("expiring", False),
        ("liability", False),
        ("adjust", True),
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, member, name, needs_member):
    response = client.get(url(name, member.pk) if needs_member else url(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_a_role_without_loyalty_gets_a_403_everywhere(client, member, department_head):
    client.force_login(department_head)
    for target in [
        url("members"),
        url("member", member.pk),
        url("redeem", member.pk),
        url("expiring"),
        url("liability"),
        url("enrol", member.guest_id),
    ]:
        assert client.get(target).status_code == 403, target


@pytest.mark.django_db
def test_the_front_desk_cannot_see_the_liability_reverse_or_adjust(client, member, front_desk):
    client.force_login(front_desk)
    assert client.get(url("liability")).status_code == 403
    assert client.get(url("adjust", member.pk)).status_code == 403
    credit(member, 5000, on=timezone.localdate())
    redemption = services.points_redeem(
        member=member,
        reward=services.Reward.objects.get(code="late-checkout"),
        by=front_desk,
        idempotency_key="k",
    )
    assert client.get(url("reverse", redemption.pk)).status_code == 403


@pytest.mark.django_db
def test_the_front_desk_enrols_a_guest_from_the_card(client, front_desk):
    guest = make_guest()
    client.force_login(front_desk)
    assert client.get(url("enrol", guest.pk)).status_code == 200
    response = client.post(url("enrol", guest.pk), {"source": "front_desk"})
    member = Member.objects.get(guest=guest)
    assert response.status_code == 302 and response["Location"] == url("member", member.pk)
    assert member.enrolled_by == front_desk
    # Enrolling again (a second tab) just opens the account.
    assert client.post(url("enrol", guest.pk), {"source": "front_desk"})["Location"] == url(
        "member", member.pk
    )


@pytest.mark.django_db
def test_a_bad_enrolment_source_is_refused_with_422(client, front_desk):
    guest = make_guest()
    client.force_login(front_desk)
    response = client.post(url("enrol", guest.pk), {"source": "nonsense"})
    assert response.status_code == 422 and not Member.objects.exists()


@pytest.mark.django_db
def test_redeeming_at_the_desk_needs_the_confirmation_step(client, member, front_desk, reward):
    credit(member, 5000, on=timezone.localdate())
    client.force_login(front_desk)
    assert client.get(url("redeem", member.pk)).status_code == 200

    review = client.post(url("redeem", member.pk), {"reward": reward.pk, "step": "review"})
    assert review.status_code == 200 and "Confirm redemption" in review.content.decode()
    assert balance_of(member) == 5000  # nothing happens before the confirmation
    key = re.search(r'name="key" value="([0-9a-f-]+)"', review.content.decode()).group(1)

    confirm = {"reward": reward.pk, "step": "confirm", "key": key}
    response = client.post(url("redeem", member.pk), confirm)
    assert response.status_code == 302
    client.post(url("redeem", member.pk), confirm)  # the double click
    assert balance_of(member) == 2000 and Redemption.objects.count() == 1


@pytest.mark.django_db
def test_redeeming_more_than_the_balance_is_explained_and_keeps_the_choice(
    client, member, front_desk, reward
):
    credit(member, 100, on=timezone.localdate())
    client.force_login(front_desk)
    response = client.post(url("redeem", member.pk), {"reward": reward.pk, "step": "review"})
    html = response.content.decode()
    assert response.status_code == 422 and "Not enough points" in html
    assert re.search(rf'value="{reward.pk}"[^>]*checked', html)


@pytest.mark.django_db
def test_guest_relations_reverses_a_redemption_with_a_reason(client, member, officer, reward):
    credit(member, 5000, on=timezone.localdate())
    redemption = services.points_redeem(
        member=member, reward=reward, by=officer, idempotency_key="k"
    )
    client.force_login(officer)
    assert client.get(url("reverse", redemption.pk)).status_code == 200
    assert client.post(url("reverse", redemption.pk), {"reason": ""}).status_code == 422
    response = client.post(url("reverse", redemption.pk), {"reason": "Wrong reward"})
    assert response.status_code == 302 and balance_of(member) == 5000
    again = client.post(url("reverse", redemption.pk), {"reason": "Again"})
    assert again.status_code == 409 and "already been reversed" in again.content.decode()
    assert balance_of(member) == 5000


@pytest.mark.django_db
def test_a_manager_adjusts_points_with_a_reason(client, member, manager):
    client.force_login(manager)
    form = client.get(url("adjust", member.pk)).content.decode()
    key = re.search(r'name="key" value="([0-9a-f-]+)"', form).group(1)
    bad = client.post(url("adjust", member.pk), {"points": "-50", "reason": "x", "key": key})
    assert bad.status_code == 422 and "Not enough points" in bad.content.decode()
    ok = client.post(url("adjust", member.pk), {"points": "250", "reason": "Goodwill", "key": key})
    assert ok.status_code == 302 and balance_of(member) == 250


@pytest.mark.django_db
def test_an_adjust_form_sent_again_with_changed_points_is_refused(client, member, manager):
    client.force_login(manager)
    form = client.get(url("adjust", member.pk)).content.decode()
    key = re.search(r'name="key" value="([0-9a-f-]+)"', form).group(1)
    ok = client.post(url("adjust", member.pk), {"points": "250", "reason": "Goodwill", "key": key})
    assert ok.status_code == 302 and balance_of(member) == 250
    # Back in the browser, the manager changes the points and sends the same form again.
    again = client.post(
        url("adjust", member.pk), {"points": "400", "reason": "Goodwill", "key": key}
    )
    html = again.content.decode()
    assert again.status_code == 409
    assert "already used for a different operation; reload the page and try again" in html
    assert 'value="400"' in html  # what was typed is kept
    assert balance_of(member) == 250 and PointsTransaction.objects.count() == 1


@pytest.mark.django_db
def test_the_manager_sees_the_liability(client, member, manager):
    credit(member, 2000, on=timezone.localdate())
    client.force_login(manager)
    html = client.get(url("liability")).content.decode()
    assert "2,000" in html and "100.00" in html


@pytest.mark.django_db
def test_the_statement_runs_the_same_queries_for_few_or_many_lines(client, member, officer, reward):
    client.force_login(officer)
    credit(member, 50_000, on=timezone.localdate())
    client.get(url("member", member.pk))  # warm the permission cache and session

    def count_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("member", member.pk)).status_code == 200
        return len(ctx.captured_queries)

    few = count_queries()
    for i in range(6):
        r = services.points_redeem(
            member=member, reward=reward, by=officer, idempotency_key=f"k{i}"
        )
        if i % 2:
            services.redemption_reverse(redemption=r, by=officer, reason="x")
    services.stay_points_post(stay=make_stay(member.guest, spend_room=Decimal("100")))
    assert count_queries() == few
    html = client.get(url("member", member.pk)).content.decode()
    assert html.count("Reverse</a>") == 3 and html.count(">Reversed<") == 3


@pytest.mark.django_db
def test_the_member_list_runs_the_same_queries_for_few_or_many_members(client, officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(officer)
    services.member_enrol(guest=make_guest(), by=officer)
    client.get(url("members"))

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            client.get(url("members"))
            client.get(url("expiring"))
        return len(ctx.captured_queries)

    few = count()
    for _ in range(8):
        services.member_enrol(guest=make_guest(), by=officer)
    assert count() == few


@pytest.mark.django_db
def test_the_member_list_finds_a_member_by_number_with_spaces(client, officer):
    members = [services.member_enrol(guest=make_guest(), by=officer) for _ in range(3)]
    client.force_login(officer)
    n = members[1].number
    html = client.get(url("members"), {"q": f"{n[:4]} {n[4:8]} {n[8:]}"}).content.decode()
    assert members[1].display_number in html and members[0].display_number not in html


@pytest.mark.django_db
def test_pages_are_translated_into_chinese(client, member, officer):
    officer.language = "zh-hans"
    officer.save(update_fields=["language"])
    client.force_login(officer)
    html = client.get(url("member", member.pk)).content.decode()
    assert "积分余额" in html and "经典卡" in html


@pytest.mark.django_db
def test_the_statement_lists_a_compensation_with_its_ticket(client, member, officer):
    services.points_compensate(
        guest=member.guest,
        points=500,
        by=officer,
        reason="Cold room",
        ticket_id=77,
        idempotency_key="recovery:77",
    )
    client.force_login(officer)
    html = client.get(url("member", member.pk)).content.decode()
    assert "Complaint ticket #77" in html and "Cold room" in html
    assert PointsTransaction.objects.get().kind == "compensation"
