"""What the imports app plugs into the guests app's seams: its PMS references follow a guest
merged into another, are part of a guest's data export, and go when a guest is erased."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from .models import GuestRef


def refs_merge(*, kept_guest_id: int, merged_guest_id: int, by: Any = None) -> None:
    GuestRef.objects.filter(guest_id=merged_guest_id).update(guest_id=kept_guest_id)


def refs_export(guest: Any) -> dict:
    rows = [
        {
            _("kind"): ref.get_kind_display(),
            # A document is kept only as a keyed hash: say that one is on record.
            _("reference"): ref.value if ref.kind == GuestRef.Kind.PROFILE else _("on record"),
        }
        for ref in GuestRef.objects.filter(guest_id=getattr(guest, "pk", guest)).order_by("pk")
    ]
    return {_("PMS references"): rows}


def refs_erase(*, guest_id: int, by: Any = None) -> None:
    GuestRef.objects.filter(guest_id=guest_id).delete()
