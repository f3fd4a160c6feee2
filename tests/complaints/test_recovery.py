from decimal import Decimal

import pytest
from django.utils import timezone

from complaints import services
from complaints.models import (
    AuthorityLimit,
    RecoveryAction,
    Ticket,
    TimelineEvent,
)
from complaints.services import ComplaintError, TransitionError
from complaints.services.recovery import Authority
from core import seams
from tests.support.timeline import kinds

Status = Ticket.Status
Kind = TimelineEvent.Kind


# --- Recovery actions --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_gesture_within_authority_takes_effect_at_once(make_ticket, front_desk):
    ticket = make_ticket(by=front_desk)
    action = services.recovery_propose(
        ticket=ticket, by=front_desk, kind="fb_voucher", value=Decimal("200")
    )
    assert action.status == RecoveryAction.Status.APPLIED and action.applied_at
    assert kinds(ticket)[-1] == Kind.RECOVERY_PROPOSED


@pytest.mark.django_db
def test_a_gesture_above_authority_waits_for_a_manager(make_ticket, front_desk, manager):
    ticket = make_ticket(by=front_desk)
    action = services.recovery_propose(
        ticket=ticket, by=front_desk, kind="discount", value=Decimal("201")
    )
    assert action.status == RecoveryAction.Status.PENDING and action.applied_at is None
    assert kinds(ticket)[-1] == Kind.APPROVAL_ASKED
    action = services.recovery_approve(action=action, by=manager, comment="Regular guest")
    assert action.status == RecoveryAction.Status.APPLIED and action.decided_by == manager
    assert kinds(ticket)[-1] == Kind.APPROVAL_GIVEN
    again = services.recovery_approve(action=action, by=manager)
    assert again.status == RecoveryAction.Status.APPLIED
    assert kinds(ticket).count(Kind.APPROVAL_GIVEN) == 1


@pytest.mark.django_db
def test_an_officer_cannot_approve_and_a_rejection_needs_a_reason(
    make_ticket, front_desk, officer, manager
):
    action = services.recovery_propose(
        ticket=make_ticket(by=front_desk), by=front_desk, kind="refund", value=Decimal("500")
    )
    with pytest.raises(TransitionError, match="Only a manager"):
        services.recovery_approve(action=action, by=officer)
    with pytest.raises(TransitionError, match="why"):
        services.recovery_reject(action=action, by=manager, comment=" ")
    action = services.recovery_reject(action=action, by=manager, comment="Not justified")
    assert action.status == RecoveryAction.Status.REJECTED
    with pytest.raises(TransitionError, match="rejected"):
        services.recovery_approve(action=action, by=manager)


@pytest.mark.django_db
def test_authority_limits_are_configurable_per_role(make_ticket, officer):
    AuthorityLimit.objects.filter(group__name="Guest relations").update(max_value=50)
    action = services.recovery_propose(
        ticket=make_ticket(by=officer), by=officer, kind="gift", value=Decimal("80")
    )
    assert action.status == RecoveryAction.Status.PENDING


@pytest.fixture
def points_effect():
    """Stand in for loyalty's "loyalty_points" handler (seams_restored puts it back)."""

    def use(handler) -> None:
        seams.recovery_effects.register("loyalty_points", handler)

    return use


@pytest.mark.django_db
def test_loyalty_points_have_their_own_limit(make_ticket, front_desk, points_effect):
    points_effect(lambda grant, *, by: None)
    ticket = make_ticket(by=front_desk)
    small = services.recovery_propose(
        ticket=ticket, by=front_desk, kind="loyalty_points", points=500
    )
    big = services.recovery_propose(ticket=ticket, by=front_desk, kind="loyalty_points", points=501)
    assert small.status == RecoveryAction.Status.APPLIED
    assert big.status == RecoveryAction.Status.PENDING


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["upgrade", "gift", "discount", "refund", "fb_voucher"])
def test_a_gesture_worth_money_is_refused_without_its_worth(make_ticket, front_desk, kind):
    ticket = make_ticket(by=front_desk)
    with pytest.raises(TransitionError, match="worth in money"):
        services.recovery_propose(ticket=ticket, by=front_desk, kind=kind)
    assert not RecoveryAction.objects.filter(ticket=ticket).exists()


def test_a_gesture_without_a_value_is_never_within_authority():
    unlimited = Authority(None, "CNY", None)
    for kind in ("upgrade", "gift", "discount"):
        assert not unlimited.covers(kind=kind, value=Decimal(0), currency="CNY", points=0)
    assert not unlimited.covers(kind="loyalty_points", value=Decimal(0), currency="CNY", points=0)
    assert unlimited.covers(kind="upgrade", value=Decimal(1), currency="CNY", points=0)


@pytest.mark.django_db
def test_an_apology_is_always_within_authority(make_ticket, front_desk):
    AuthorityLimit.objects.filter(group__name="Front desk").update(max_value=0, max_points=0)
    ticket = make_ticket(by=front_desk)
    action = services.recovery_propose(
        ticket=ticket, by=front_desk, kind="apology", value=Decimal(999)
    )
    assert action.status == RecoveryAction.Status.APPLIED
    assert action.value == 0  # an apology carries no money to slip past the limit


@pytest.mark.django_db
def test_an_upgrade_above_the_limit_waits_for_a_manager(make_ticket, front_desk):
    action = services.recovery_propose(
        ticket=make_ticket(by=front_desk), by=front_desk, kind="upgrade", value=Decimal(800)
    )
    assert action.status == RecoveryAction.Status.PENDING


@pytest.mark.django_db
def test_two_grants_that_together_pass_the_limit_make_the_second_wait(make_ticket, front_desk):
    ticket = make_ticket(by=front_desk)
    first = services.recovery_propose(
        ticket=ticket, by=front_desk, kind="discount", value=Decimal(200), description="a"
    )
    second = services.recovery_propose(
        ticket=ticket, by=front_desk, kind="discount", value=Decimal(200), description="b"
    )
    assert first.status == RecoveryAction.Status.APPLIED
    assert second.status == RecoveryAction.Status.PENDING
    assert kinds(ticket)[-1] == Kind.APPROVAL_ASKED


@pytest.mark.django_db
def test_the_limit_counts_what_was_granted_not_what_waits_or_was_rejected(
    make_ticket, front_desk, officer, manager
):
    ticket = make_ticket(by=front_desk)
    refused = services.recovery_propose(
        ticket=ticket, by=front_desk, kind="refund", value=Decimal(900)
    )
    services.recovery_reject(action=refused, by=manager, comment="Not justified")
    services.recovery_propose(ticket=ticket, by=front_desk, kind="refund", value=Decimal(700))
    # Another user's grants and grants in another currency are not this user's CNY total.
    services.recovery_propose(ticket=ticket, by=officer, kind="gift", value=Decimal(900))
    RecoveryAction.objects.create(
        ticket=ticket,
        kind="discount",
        value=Decimal(150),
        currency="USD",
        status=RecoveryAction.Status.APPLIED,
        requested_by=front_desk,
        decided_by=manager,
        requested_at=timezone.now(),
    )
    granted = services.recovery_propose(
        ticket=ticket, by=front_desk, kind="discount", value=Decimal(200)
    )
    assert granted.status == RecoveryAction.Status.APPLIED
    # On another ticket the count starts again.
    other = services.recovery_propose(
        ticket=make_ticket(by=front_desk), by=front_desk, kind="discount", value=Decimal(200)
    )
    assert other.status == RecoveryAction.Status.APPLIED


@pytest.mark.django_db
def test_a_grant_a_manager_approved_counts_against_the_requesters_limit(
    make_ticket, front_desk, manager
):
    ticket = make_ticket(by=front_desk)
    big = services.recovery_propose(ticket=ticket, by=front_desk, kind="refund", value=Decimal(300))
    services.recovery_approve(action=big, by=manager)
    small = services.recovery_propose(
        ticket=ticket, by=front_desk, kind="fb_voucher", value=Decimal(50)
    )
    assert small.status == RecoveryAction.Status.PENDING


@pytest.mark.django_db
def test_points_granted_before_count_against_the_points_limit(
    make_ticket, front_desk, points_effect
):
    points_effect(lambda grant, *, by: None)
    ticket = make_ticket(by=front_desk)
    first = services.recovery_propose(
        ticket=ticket, by=front_desk, kind="loyalty_points", points=300, description="a"
    )
    second = services.recovery_propose(
        ticket=ticket, by=front_desk, kind="loyalty_points", points=300, description="b"
    )
    assert first.status == RecoveryAction.Status.APPLIED
    assert second.status == RecoveryAction.Status.PENDING


@pytest.mark.django_db
def test_an_approver_limit_counts_what_they_already_approved(make_ticket, front_desk, manager):
    AuthorityLimit.objects.filter(group__name="Manager").update(max_value=1000)
    ticket = make_ticket(by=front_desk)
    first = services.recovery_propose(
        ticket=ticket, by=front_desk, kind="refund", value=Decimal(600), description="a"
    )
    second = services.recovery_propose(
        ticket=ticket, by=front_desk, kind="refund", value=Decimal(600), description="b"
    )
    services.recovery_approve(action=first, by=manager)
    with pytest.raises(TransitionError, match="beyond your own authority"):
        services.recovery_approve(action=second, by=manager)


@pytest.mark.django_db
def test_a_registered_effect_runs_when_the_action_takes_effect(
    make_ticket, front_desk, manager, points_effect
):
    calls = []
    points_effect(lambda grant, *, by: calls.append((grant, by)))
    ticket = make_ticket(by=front_desk)
    action = services.recovery_propose(
        ticket=ticket, by=front_desk, kind="loyalty_points", points=5000
    )
    assert calls == []  # waiting for approval: no points yet
    services.recovery_approve(action=action, by=manager)
    assert [(g.action_id, g.ticket_id, g.points, by) for g, by in calls] == [
        (action.pk, ticket.pk, 5000, manager)
    ]


@pytest.mark.django_db
def test_a_failing_effect_grants_nothing(make_ticket, front_desk, points_effect):
    def no_account(grant, *, by):
        raise seams.SeamRefusal("This guest has no loyalty account.")

    points_effect(no_account)
    ticket = make_ticket(by=front_desk)
    with pytest.raises(ComplaintError, match="no loyalty account"):
        services.recovery_propose(ticket=ticket, by=front_desk, kind="loyalty_points", points=100)
    assert not RecoveryAction.objects.filter(ticket=ticket).exists()
    assert kinds(ticket) == [Kind.CREATED]
