"""Retention's part of a guest merge, a subject-access export and an erasure (core.seams)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from retention.models import GuestValue, WinBack


def merge(*, kept_guest_id: int, merged_guest_id: int, by) -> None:
    """The absorbed guest's win-backs follow them; their value goes (the kept guest's is
    recomputed from the stays that moved, tonight or on demand)."""
    WinBack.objects.filter(guest_id=merged_guest_id).update(guest_id=kept_guest_id)
    GuestValue.objects.filter(guest_id=merged_guest_id).delete()


def export(guest) -> dict:
    value = GuestValue.objects.filter(guest_id=guest.pk).first()
    rows: dict = {}
    if value is not None:
        rows[_("Value and segment")] = [
            {
                "segment": value.segment,
                "scores": [value.r_score, value.f_score, value.m_score],
                "stays": value.stays,
                "nights": value.nights,
                "spend_total": str(value.spend_total),
                "projected_value": str(value.projected_value),
                "computed_at": value.computed_at.isoformat(),
            }
        ]
    rows[_("Win-back follow-ups")] = [
        {
            "noticed": w.flagged_on.isoformat(),
            "since": w.since.isoformat(),
            "outcome": w.outcome,
            "lost_reason": w.lost_reason,
            "notes": w.lost_text,
        }
        for w in WinBack.objects.filter(guest_id=guest.pk).order_by("flagged_on")
    ]
    return rows


def erase(*, guest_id: int, by) -> None:
    """An erased guest is no longer valued (nor listed); what was said of them goes, the
    outcomes stay as anonymous statistics."""
    GuestValue.objects.filter(guest_id=guest_id).delete()
    WinBack.objects.filter(guest_id=guest_id).update(lost_text="")
