"""Recovery actions: gestures within a role's authority take effect at once; above it they wait
for a manager's approval and take effect only when approved."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import AuthorityLimit, RecoveryAction, Ticket, TimelineEvent
from complaints.services.errors import ComplaintError, TransitionError
from complaints.services.logging import timeline_add, timeline_recent_duplicate
from complaints.services.tickets import ticket_lock
from core import seams

Kind = RecoveryAction.Kind
Event = TimelineEvent.Kind


@dataclass(frozen=True)
class Granted:
    """What one user has already granted on one ticket: money in one currency, and points."""

    value: Decimal = Decimal(0)
    points: int = 0


@dataclass(frozen=True)
class Authority:
    """What a user may grant alone. None means no limit."""

    max_value: Decimal | None
    currency: str
    max_points: int | None

    def covers(
        self,
        *,
        kind: str,
        value: Decimal,
        currency: str,
        points: int,
        granted: Granted | None = None,
    ) -> bool:
        """Whether this gesture, on top of what the user already `granted` on the ticket,
        stays within the limit. A gesture without its worth is never within authority."""
        granted = granted or Granted()
        if kind == Kind.APOLOGY:
            return True
        if kind == Kind.LOYALTY_POINTS:
            if not points or points <= 0:
                return False
            return self.max_points is None or granted.points + points <= self.max_points
        if not value or value <= 0:
            return False
        if self.max_value is None:
            return True
        # A limit in another currency cannot be compared: a manager decides.
        return currency == self.currency and granted.value + value <= self.max_value


def recovery_granted_by(*, ticket: Ticket, user, currency: str) -> Granted:
    """What already took effect on the ticket at this user's request or by their decision;
    gestures waiting for approval or rejected do not count. Two grants that each fit under
    the limit must not add up to more than it."""
    totals = RecoveryAction.objects.filter(
        Q(requested_by=user) | Q(decided_by=user),
        ticket=ticket,
        status=RecoveryAction.Status.APPLIED,
    ).aggregate(
        value=Sum("value", filter=Q(currency=currency), default=Decimal(0)),
        points=Sum("points", filter=Q(kind=Kind.LOYALTY_POINTS), default=0),
    )
    return Granted(value=totals["value"], points=totals["points"])


def authority_for(*, user) -> Authority:
    """The most generous limit among the user's roles; no role with a limit means nothing."""
    if user.is_superuser:
        return Authority(None, "CNY", None)
    limits = list(AuthorityLimit.objects.filter(group__user=user))
    if not limits:
        return Authority(Decimal(0), "CNY", 0)
    money = [limit for limit in limits if limit.max_value is None] or sorted(
        limits, key=lambda limit: limit.max_value or 0, reverse=True
    )
    points = [limit.max_points for limit in limits]
    return Authority(
        money[0].max_value,
        money[0].currency,
        None if None in points else max(p for p in points if p is not None),
    )


def _take_effect(*, action: RecoveryAction, by, comment: str = "") -> None:
    now = timezone.now()
    action.status = RecoveryAction.Status.APPLIED
    action.decided_by, action.decided_at, action.applied_at = by, now, now
    if comment:
        action.decision_comment = comment
    action.save()
    recovery_effect_apply(action=action, by=by)


def recovery_effect_apply(*, action: RecoveryAction, by) -> None:
    """Run the effect another app registered for the action's kind (core.seams.recovery_effects),
    inside the caller's transaction: a refusal grants nothing. A kind with no effect takes
    effect by being recorded on the ticket, which is all an apology or a gift needs."""
    effect = seams.recovery_effects.get(action.kind)
    if effect is None:
        return
    ticket = action.ticket
    grant = seams.RecoveryGrant(
        action_id=action.pk,
        kind=action.kind,
        ticket_id=ticket.pk,
        ticket_number=ticket.number,
        guest_id=ticket.guest_id,
        points=action.points,
    )
    try:
        effect(grant, by=by)
    except seams.SeamRefusal as exc:
        raise ComplaintError(str(exc)) from exc


def _event_data(action: RecoveryAction) -> dict:
    return {
        "action": action.pk,
        "kind": action.kind,
        "value": str(action.value),
        "currency": action.currency,
        "points": action.points,
    }


@transaction.atomic
def recovery_propose(
    *,
    ticket: Ticket,
    by,
    kind: str,
    value: Decimal = Decimal(0),
    currency: str = "CNY",
    points: int = 0,
    description: str = "",
) -> RecoveryAction:
    """Offer the guest a gesture; within the user's authority it is granted now."""
    if not by.has_perm("complaints.add_recoveryaction"):
        raise TransitionError(_("Your role cannot offer recovery actions."))
    if ticket.status == Ticket.Status.CLOSED:
        raise TransitionError(_("This ticket is closed; reopen it before offering anything more."))
    if kind == Kind.LOYALTY_POINTS and points <= 0:
        raise TransitionError(_("Give the number of points to award."))
    if kind in RecoveryAction.KINDS_WITH_VALUE and (value or 0) <= 0:
        raise TransitionError(
            _("Give what this is worth in money: an upgrade or a gift has a value too.")
        )
    currency = (currency or "CNY").upper()
    summary = description.strip()
    value = value if kind in RecoveryAction.KINDS_WITH_VALUE else Decimal(0)
    points = points if kind == Kind.LOYALTY_POINTS else 0
    # One request at a time per ticket, so two quick grants cannot both fit under the limit.
    ticket_lock(ticket=ticket)
    # A double click files one request, not two.
    for event_kind in (Event.RECOVERY_PROPOSED, Event.APPROVAL_ASKED):
        duplicate = timeline_recent_duplicate(ticket=ticket, by=by, kind=event_kind, text=summary)
        if duplicate is not None and duplicate.data.get("kind") == kind:
            same = duplicate.data.get("points") == points and duplicate.data.get("value") == str(
                value
            )
            if same:
                return RecoveryAction.objects.get(pk=duplicate.data["action"])

    within = authority_for(user=by).covers(
        kind=kind,
        value=value,
        currency=currency,
        points=points,
        granted=recovery_granted_by(ticket=ticket, user=by, currency=currency),
    )
    action = RecoveryAction.objects.create(
        ticket=ticket,
        kind=kind,
        value=value,
        currency=currency,
        points=points,
        description=summary,
        status=RecoveryAction.Status.PENDING,
        requested_by=by,
        requested_at=timezone.now(),
    )
    if within:
        _take_effect(action=action, by=by)
    timeline_add(
        ticket=ticket,
        by=by,
        kind=Event.RECOVERY_PROPOSED if within else Event.APPROVAL_ASKED,
        text=summary,
        data=_event_data(action),
    )
    return action


def _lock_pending(action: RecoveryAction) -> RecoveryAction:
    return RecoveryAction.objects.select_for_update().select_related("ticket").get(pk=action.pk)


@transaction.atomic
def recovery_approve(*, action: RecoveryAction, by, comment: str = "") -> RecoveryAction:
    """A manager grants a gesture above the requester's authority; it takes effect now."""
    if not by.has_perm("complaints.approve_recoveryaction"):
        raise TransitionError(_("Only a manager can approve recovery actions."))
    locked = _lock_pending(action)
    if locked.status == RecoveryAction.Status.APPLIED:
        return locked  # approved twice: once is enough
    if locked.status != RecoveryAction.Status.PENDING:
        raise TransitionError(_("This recovery action was already rejected."))
    authority = authority_for(user=by)
    if not authority.covers(
        kind=locked.kind,
        value=locked.value,
        currency=locked.currency,
        points=locked.points,
        granted=recovery_granted_by(ticket=locked.ticket, user=by, currency=locked.currency),
    ):
        raise TransitionError(_("This is beyond your own authority; ask a more senior manager."))
    _take_effect(action=locked, by=by, comment=comment.strip())
    timeline_add(
        ticket=locked.ticket,
        by=by,
        kind=Event.APPROVAL_GIVEN,
        text=comment.strip(),
        data=_event_data(locked),
    )
    return locked


@transaction.atomic
def recovery_reject(*, action: RecoveryAction, by, comment: str) -> RecoveryAction:
    """A manager turns a request down, saying why."""
    if not by.has_perm("complaints.approve_recoveryaction"):
        raise TransitionError(_("Only a manager can reject recovery actions."))
    comment = comment.strip()
    if not comment:
        raise TransitionError(_("Say why the request is rejected."))
    locked = _lock_pending(action)
    if locked.status == RecoveryAction.Status.REJECTED:
        return locked
    if locked.status != RecoveryAction.Status.PENDING:
        raise TransitionError(_("This recovery action has already been granted."))
    locked.status = RecoveryAction.Status.REJECTED
    locked.decided_by, locked.decided_at, locked.decision_comment = by, timezone.now(), comment
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    timeline_add(
        ticket=locked.ticket,
        by=by,
        kind=Event.APPROVAL_REJECTED,
        text=comment,
        data=_event_data(locked),
    )
    return locked
