"""Reading guest value: the segment list (with its filters), its export, and the help table."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from guests.models import Company, Guest
from retention.models import GuestValue


def value_list(
    *,
    segment: str = "",
    stage: str = "",
    vip: int | None = None,
    tag: str = "",
    company: Company | None = None,
    account_manager=None,
    unassigned: bool = False,
    last_from: date | None = None,
    last_to: date | None = None,
    value_band: int | None = None,
    at_risk: bool = False,
) -> QuerySet[GuestValue]:
    """Valued guests by the filters, highest spend first; indexed by segment and by value
    band, so a filtered page and its count read one index range at any size."""
    # erased guests have no value row (retention.privacy.erase, and the nightly run)
    values = GuestValue.objects.select_related("guest__company", "guest__account_manager")
    if segment:
        values = values.filter(segment=segment)
    if value_band:
        values = values.filter(m_score=value_band)
    if stage:
        values = values.filter(guest__stage=stage)
    if vip is not None:
        values = values.filter(guest__vip_level=vip)
    if tag:
        values = values.filter(guest__tags__contains=[tag])
    if company is not None:
        values = values.filter(guest__company=company)
    if unassigned:
        values = values.filter(guest__account_manager=None)
    elif account_manager is not None:
        values = values.filter(guest__account_manager=account_manager)
    if last_from:
        values = values.filter(last_departure__gte=last_from)
    if last_to:
        values = values.filter(last_departure__lte=last_to)
    if at_risk:
        values = values.filter(at_risk=True)
    return values.order_by("-spend_total", "guest_id")


def guests_of(values: QuerySet[GuestValue]) -> QuerySet[Guest]:
    """The guests behind a filtered value list (for handing them out)."""
    return Guest.objects.filter(pk__in=values.values("guest_id"))
