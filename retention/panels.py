"""The guest card's and the company page's value panels (core.seams card/company panels)."""

from __future__ import annotations

from django.utils import timezone

from retention.models import CompanyValue, GuestValue, WinBack
from retention.services.suggestions import suggestions_for


def card(*, guest, user) -> dict | None:
    """Value, segment, the radar's view and what to offer next time: three queries."""
    if not user.has_perm("retention.view_guestvalue"):
        return None
    value = GuestValue.objects.filter(guest_id=guest.pk).first()
    win_back = (
        WinBack.objects.select_related("task")
        .filter(guest_id=guest.pk, company=None)
        .order_by("-flagged_on", "-pk")
        .first()
    )
    return {
        "value_guest": guest,
        "value": value,
        "win_back": win_back,
        "can_recompute": user.has_perm("retention.change_guestvalue"),
        "suggestions": suggestions_for(guest=guest, today=timezone.localdate()),
    }


def company(*, company, user) -> dict | None:
    if not user.has_perm("retention.view_companyvalue"):
        return None
    return {"value": CompanyValue.objects.filter(company_id=company.pk).first()}
