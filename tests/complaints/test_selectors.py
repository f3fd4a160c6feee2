from datetime import timedelta
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from accounts import roles
from complaints import selectors, services
from complaints.models import Ticket
from tests.factories import department


@pytest.fixture
def tickets(make_ticket, front_desk, officer):
    """One ticket per department the tests care about, logged by the desk."""
    return {
        "housekeeping": make_ticket(by=front_desk, department=department("housekeeping")),
        "engineering": make_ticket(by=front_desk, department=department("engineering")),
        "by_officer": make_ticket(by=officer, department=department("food-beverage")),
    }


def visible(user):
    return set(selectors.ticket_list_for_user(user=user).values_list("pk", flat=True))


@pytest.mark.django_db
def test_guest_relations_and_managers_see_every_ticket(tickets, officer, manager):
    every = {t.pk for t in tickets.values()}
    assert visible(officer) == every
    assert visible(manager) == every


@pytest.mark.django_db
def test_a_department_head_sees_their_department_only(tickets, department_head):
    assert visible(department_head) == {tickets["housekeeping"].pk}


@pytest.mark.django_db
def test_a_department_brought_in_lets_its_head_see_the_ticket(tickets, department_head, officer):
    services.ticket_department_bring_in(
        ticket=tickets["engineering"], by=officer, department=department("housekeeping")
    )
    assert visible(department_head) == {tickets["housekeeping"].pk, tickets["engineering"].pk}


@pytest.mark.django_db
def test_the_front_desk_sees_what_it_logged(tickets, front_desk, user_for_role):
    assert visible(front_desk) == {tickets["housekeeping"].pk, tickets["engineering"].pk}
    other_desk = user_for_role(roles.FRONT_DESK)
    assert visible(other_desk) == set()


@pytest.mark.django_db
def test_an_account_manager_sees_no_complaints(tickets, account_manager):
    assert visible(account_manager) == set()


@pytest.mark.django_db
def test_getting_a_ticket_one_may_not_see_is_a_404(tickets, department_head):
    with pytest.raises(Http404):
        selectors.ticket_get_for_user(user=department_head, pk=tickets["engineering"].pk)
    assert selectors.ticket_get_for_user(user=department_head, pk=tickets["housekeeping"].pk)


def queue(user, key, **filters):
    return list(selectors.ticket_queue(user=user, queue=key, filters=filters))


@pytest.mark.django_db
def test_my_tickets_are_those_assigned_or_escalated_to_me(tickets, officer, manager):
    services.ticket_acknowledge(ticket=tickets["housekeeping"], by=officer)
    services.ticket_escalate(ticket=tickets["engineering"], by=manager, reason="VIP", to=officer)
    assert {t.pk for t in queue(officer, "mine")} == {
        tickets["housekeeping"].pk,
        tickets["engineering"].pk,
    }
    assert [t.pk for t in queue(officer, "escalated")] == [tickets["engineering"].pk]


@pytest.mark.django_db
def test_the_overdue_queue_has_late_tickets_only(tickets, officer):
    late = tickets["housekeeping"]
    Ticket.objects.filter(pk=late.pk).update(ack_due_at=timezone.now() - timedelta(minutes=1))
    assert [t.pk for t in queue(officer, "overdue")] == [late.pk]


@pytest.mark.django_db
def test_the_approval_queue_has_tickets_with_pending_requests(tickets, front_desk, officer):
    services.recovery_propose(
        ticket=tickets["engineering"], by=front_desk, kind="refund", value=Decimal("900")
    )
    assert [t.pk for t in queue(officer, "approval")] == [tickets["engineering"].pk]


@pytest.mark.django_db
def test_filters_and_search_narrow_the_queue(tickets, officer):
    engineering = department("engineering")
    assert [t.pk for t in queue(officer, "all", department=engineering)] == [
        tickets["engineering"].pk
    ]
    number = tickets["by_officer"].number
    assert [t.pk for t in queue(officer, "all", q=number.lower())] == [tickets["by_officer"].pk]
    assert len(queue(officer, "all", q="bathtub")) == 3
    assert queue(officer, "all", q="nothing like this") == []
    today = timezone.localdate()
    assert len(queue(officer, "all", date_from=today, date_to=today)) == 3
    assert queue(officer, "all", date_to=today - timedelta(days=1)) == []
    assert queue(officer, "all", status="closed") == []


@pytest.mark.django_db
def test_due_soon_and_overdue_are_marked(make_ticket, officer):
    ticket = make_ticket(by=officer, severity=4)  # acknowledge within 15 minutes
    now = ticket.created_at
    assert ticket.sla_state(now) == ""
    assert ticket.sla_state(now + timedelta(minutes=12)) == "due_soon"
    assert ticket.sla_state(now + timedelta(minutes=16)) == "overdue"
    services.ticket_acknowledge(ticket=ticket, by=officer)
    ticket.refresh_from_db()
    assert ticket.sla_state(now + timedelta(minutes=16)) == ""  # now the 4-hour target counts


@pytest.mark.django_db
def test_the_guest_picker_finds_by_name_and_by_phone_ending(returning_guest):
    from guests.selectors import guest_search

    assert guest_search(query="chen", limit=8) == [returning_guest]
    found = guest_search(query="8000", limit=8)
    assert found == [returning_guest] and found[0].stay_count == 2
    assert guest_search(query="x", limit=8) == []


def resolve(ticket, by):
    services.ticket_start(ticket=ticket, by=by)
    return services.ticket_resolve(ticket=ticket, by=by, note="Done")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["officer", "department_head", "front_desk"])
def test_the_card_panel_shows_open_tickets_and_the_last_outcome_in_three_queries(
    make_ticket, officer, returning_guest, role, request, django_assert_num_queries
):
    def make(n):
        for _ in range(n):
            ticket = make_ticket(
                by=officer, guest=returning_guest, department=department("engineering")
            )
            for code in ("housekeeping", "food-beverage"):
                services.ticket_department_bring_in(
                    ticket=ticket, by=officer, department=department(code)
                )

    old = make_ticket(by=officer, guest=returning_guest)
    services.ticket_acknowledge(ticket=old, by=officer)
    resolve(old, officer)
    services.feedback_record(ticket=old, by=officer, score=4)
    user = request.getfixturevalue(role)
    make(1)
    user = type(user).objects.get(pk=user.pk)
    user.has_perm("complaints.view_ticket")  # permissions are cached per user object
    with django_assert_num_queries(3):
        panel = selectors.ticket_card_panel(guest=returning_guest, user=user)
    make(5)
    with django_assert_num_queries(3):
        panel = selectors.ticket_card_panel(guest=returning_guest, user=user)
    assert len(panel["open_tickets"]) == 6
    assert panel["last_resolved"].pk == old.pk and panel["last_resolved"].feedback_score == 4


@pytest.mark.django_db
def test_the_card_links_a_ticket_a_department_brought_in_to_its_head(
    make_ticket, officer, department_head, returning_guest
):
    theirs = make_ticket(by=officer, guest=returning_guest, department=department("engineering"))
    services.ticket_department_bring_in(
        ticket=theirs, by=officer, department=department("housekeeping")
    )
    not_theirs = make_ticket(
        by=officer, guest=returning_guest, department=department("food-beverage")
    )
    panel = selectors.ticket_card_panel(guest=returning_guest, user=department_head)
    # Every open complaint is shown, so the desk knows the guest is unhappy; links only to
    # the tickets this head may open.
    assert {t.pk for t in panel["open_tickets"]} == {theirs.pk, not_theirs.pk}
    assert panel["can_open"] == {theirs.pk}


@pytest.mark.django_db
def test_a_link_on_the_card_follows_the_same_rule_as_the_lists(
    tickets, officer, front_desk, department_head, manager, account_manager, user_for_role
):
    services.ticket_department_bring_in(
        ticket=tickets["engineering"], by=officer, department=department("housekeeping")
    )
    services.ticket_escalate(ticket=tickets["by_officer"], by=officer, reason="VIP", to=manager)
    users = [
        officer,
        front_desk,
        department_head,
        manager,
        account_manager,
        user_for_role(roles.FRONT_DESK),
        user_for_role(roles.DEPARTMENT_HEAD, department=department("engineering")),
        user_for_role(roles.DEPARTMENT_HEAD, department=department("front-office")),
    ]
    rows = list(Ticket.objects.prefetch_related("involved_departments"))
    for user in users:
        listed = visible(user)
        linked = {t.pk for t in rows if selectors.ticket_visible_to(user=user, ticket=t)}
        assert linked == listed, user.username


@pytest.mark.django_db
def test_the_card_shows_the_score_of_the_latest_resolution_only(
    make_ticket, officer, returning_guest
):
    ticket = make_ticket(by=officer, guest=returning_guest)
    services.ticket_acknowledge(ticket=ticket, by=officer)
    resolve(ticket, officer)
    services.feedback_record(ticket=ticket, by=officer, score=2)  # unhappy: reopened
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.REOPENED
    resolve(ticket, officer)
    panel = selectors.ticket_card_panel(guest=returning_guest, user=officer)
    assert panel["last_resolved"].pk == ticket.pk
    assert panel["last_resolved"].feedback_score is None  # not the 2 of the first round
    services.feedback_record(ticket=ticket, by=officer, score=5)
    panel = selectors.ticket_card_panel(guest=returning_guest, user=officer)
    assert panel["last_resolved"].feedback_score == 5


@pytest.mark.django_db
def test_the_card_panel_is_left_out_for_those_who_see_no_complaints(
    returning_guest, account_manager
):
    assert selectors.ticket_card_panel(guest=returning_guest, user=account_manager) is None


def test_the_card_panel_is_registered_with_the_guest_card():
    from core import seams

    assert "complaints" in [panel.key for panel in seams.card_panels.all()]
