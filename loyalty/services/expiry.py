"""Expiring points whose date has come."""

from __future__ import annotations

import datetime

from django.db import transaction

from loyalty import selectors
from loyalty.services.ledger import Kind, _member_lock, _post

# --- Expiry --------------------------------------------------------------------------------------


def points_expire_run(*, today: datetime.date) -> int:
    """Expire every member's points whose expiry date has come, oldest first; returns the
    number of members with points expired. Safe to run twice: what expired is a debit, so a
    second run finds nothing left to expire."""
    count = 0
    for member_id in selectors.members_with_points_due(day=today).values_list("pk", flat=True):
        with transaction.atomic():
            member = _member_lock(member_id)
            amount = selectors.member_points_due(member=member, day=today)
            if amount <= 0:
                continue
            _line, posted = _post(
                member=member,
                kind=Kind.EXPIRE,
                points=-amount,
                idempotency_key=f"expire:{member.pk}:{today.isoformat()}",
            )
            count += posted
    return count
