"""The PMS references follow a merge, are exported, and go with an erasure (through the seams)."""

from __future__ import annotations

from core import seams
from imports.models import GuestRef
from tests.factories import make_guest


def refs_of(guest) -> list[tuple[str, str]]:
    return list(GuestRef.objects.filter(guest=guest).values_list("kind", "value"))


def test_references_follow_the_guest_kept_in_a_merge(db):
    kept, merged = make_guest(), make_guest(given="Na", family="Li")
    GuestRef.objects.create(kind="profile", value="P-1", guest=merged)
    seams.guest_merge_hooks.get("imports_refs")(
        kept_guest_id=kept.pk, merged_guest_id=merged.pk, by=None
    )
    assert refs_of(kept) == [("profile", "P-1")] and refs_of(merged) == []


def test_references_are_exported_and_erased(db):
    guest = make_guest()
    GuestRef.objects.create(kind="profile", value="P-1", guest=guest)
    GuestRef.objects.create(kind="document", value="ab" * 32, guest=guest)
    exported = seams.privacy_export_contributors.get("imports_refs")(guest)
    (rows,) = exported.values()
    assert [row["reference"] for row in rows] == ["P-1", "on record"]

    seams.privacy_erase_contributors.get("imports_refs")(guest_id=guest.pk, by=None)
    assert refs_of(guest) == []
