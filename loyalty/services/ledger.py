"""The points ledger: one posting path under an idempotency key, corrections and totals."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formatting import number_text
from guests.models import Stay
from loyalty.models import Member, PointsTransaction, Reward
from loyalty.selectors import months_after
from loyalty.services.errors import AlreadyReversed, InsufficientPoints, KeyReused, LoyaltyError

Kind = PointsTransaction.Kind


def _constraint_of(exc: IntegrityError) -> str:
    diag = getattr(exc.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None) or ""


def _member_lock(member_id: int) -> Member:
    """The member row, locked until the transaction ends: postings on one member queue here."""
    return Member.objects.select_for_update(of=("self",)).select_related("tier").get(pk=member_id)


def _same_request(
    line: PointsTransaction, *, member: Member, kind: str, points: int
) -> PointsTransaction:
    """The line posted earlier under a key, if it is the same request; KeyReused if not."""
    if (line.member_id, line.kind, line.points) != (member.pk, kind, points):
        raise KeyReused
    return line


def _post(
    *,
    member: Member,
    kind: str,
    points: int,
    idempotency_key: str,
    reason: str = "",
    actor=None,
    stay: Stay | None = None,
    ticket_ref: int | None = None,
    reward: Reward | None = None,
    reverses: PointsTransaction | None = None,
    qualifying_nights: int = 0,
    expires_on: datetime.date | None = None,
) -> tuple[PointsTransaction, bool]:
    """Insert one ledger line; (line, True) if posted now, (earlier line, False) if the key
    was posted before. A credit expires after the usual months unless `expires_on` says when
    (points moved between accounts keep their date)."""
    existing = PointsTransaction.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return _same_request(existing, member=member, kind=kind, points=points), False
    now = timezone.now()
    is_credit = points > 0 and kind != Kind.REVERSAL
    if not is_credit:
        expires_on = None
    elif expires_on is None:
        expires_on = months_after(timezone.localdate(now), settings.LOYALTY_POINTS_EXPIRY_MONTHS)
    try:
        with transaction.atomic():
            line = PointsTransaction.objects.create(
                member=member,
                kind=kind,
                points=points,
                reason=reason,
                actor=actor,
                stay=stay,
                ticket_ref=ticket_ref,
                reward=reward,
                reverses=reverses,
                qualifying_nights=qualifying_nights,
                idempotency_key=idempotency_key,
                created_at=now,
                expires_on=expires_on,
            )
    except IntegrityError as exc:
        constraint = _constraint_of(exc)
        if constraint == "member_balance_non_negative":
            raise InsufficientPoints(
                _("Not enough points: the balance is %(balance)s, this needs %(points)s.")
                % {"balance": number_text(member.balance), "points": number_text(-points)}
            ) from exc
        if "idempotency_key" in constraint:
            existing = PointsTransaction.objects.get(idempotency_key=idempotency_key)
            return _same_request(existing, member=member, kind=kind, points=points), False
        if "reverses" in constraint:
            raise AlreadyReversed(_("This has already been reversed.")) from exc
        raise
    return line, True


@transaction.atomic
def points_adjust(
    *, member: Member, points: int, by, reason: str, idempotency_key: str
) -> PointsTransaction:
    """A manager's correction, up or down, with the reason on the line."""
    if not by.has_perm("loyalty.adjust_points"):
        raise PermissionDenied
    if not reason.strip():
        raise LoyaltyError(_("Give the reason for the adjustment."))
    if points == 0:
        raise LoyaltyError(_("An adjustment cannot be zero points."))
    member = _member_lock(member.pk)
    line, _posted = _post(
        member=member,
        kind=Kind.ADJUST,
        points=points,
        idempotency_key=idempotency_key,
        reason=reason.strip(),
        actor=by,
    )
    return line


def ledger_totals(*, member: Member) -> dict[str, int]:
    """Sum of the ledger next to the balance column, for checks and tests."""
    total = PointsTransaction.objects.filter(member=member).aggregate(total=Sum("points"))["total"]
    balance = Member.objects.filter(pk=member.pk).values_list("balance", flat=True).get()
    return {"ledger": total or 0, "balance": balance}
