"""A complaint's "loyalty points" recovery action posts to the ledger (issue 5, item 7)."""

import pytest

from complaints import services as complaints
from complaints.models import Category, RecoveryAction
from loyalty.models import PointsTransaction
from tests.factories import department
from tests.loyalty.conftest import balance_of


def log_ticket(*, by, guest=None):
    extra = {"guest": guest} if guest else {"guest_name": "Walk-in Smith"}
    return complaints.ticket_log(
        by=by,
        department=department("housekeeping"),
        category=Category.objects.get(code="cleanliness"),
        description="Hair in the bathtub.",
        room_number="1208",
        **extra,
    )


@pytest.mark.django_db
def test_points_within_authority_post_a_compensation_naming_the_ticket(member, officer):
    ticket = log_ticket(by=officer, guest=member.guest)
    action = complaints.recovery_propose(
        ticket=ticket, by=officer, kind="loyalty_points", points=800, description="Sorry"
    )
    assert action.status == RecoveryAction.Status.APPLIED
    line = PointsTransaction.objects.get(member=member)
    assert (line.kind, line.points, line.ticket_ref, line.actor) == (
        "compensation",
        800,
        ticket.pk,
        officer,
    )
    assert ticket.number in line.reason
    assert balance_of(member) == 800


@pytest.mark.django_db
def test_points_above_authority_wait_for_a_manager_then_post_once(member, front_desk, manager):
    ticket = log_ticket(by=front_desk, guest=member.guest)
    action = complaints.recovery_propose(
        ticket=ticket, by=front_desk, kind="loyalty_points", points=3000
    )
    assert action.status == RecoveryAction.Status.PENDING
    assert not PointsTransaction.objects.filter(member=member).exists()

    complaints.recovery_approve(action=action, by=manager, comment="Fair")
    complaints.recovery_approve(action=RecoveryAction.objects.get(pk=action.pk), by=manager)
    line = PointsTransaction.objects.get(member=member)
    assert (line.points, line.ticket_ref, line.actor) == (3000, ticket.pk, manager)


@pytest.mark.django_db
def test_points_for_a_guest_without_an_account_are_refused_and_nothing_is_granted(guest, officer):
    ticket = log_ticket(by=officer, guest=guest)
    with pytest.raises(complaints.ComplaintError, match="Enrol the guest first"):
        complaints.recovery_propose(ticket=ticket, by=officer, kind="loyalty_points", points=500)
    assert not RecoveryAction.objects.filter(ticket=ticket).exists()


@pytest.mark.django_db
def test_points_for_a_walk_in_are_refused(officer, loyalty_defaults):
    ticket = log_ticket(by=officer)
    with pytest.raises(complaints.ComplaintError, match="walk-in"):
        complaints.recovery_propose(ticket=ticket, by=officer, kind="loyalty_points", points=500)
