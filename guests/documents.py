"""Identity documents (证件) on a profile: kept normalised, so the same one typed twice matches."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from guests import changes
from guests.duplicates import document_number_normalise
from guests.errors import GuestError
from guests.models import Guest, GuestChange, GuestDocument


@transaction.atomic
def guest_document_add(
    *,
    guest: Guest,
    by: User | None,
    number: str,
    kind: str = GuestDocument.Kind.ID_CARD,
    country: str = "",
) -> GuestDocument:
    """Add a document to the profile (the same one again changes nothing); logged."""
    normalised = document_number_normalise(number)
    if not normalised:
        raise GuestError(_("Give the document's number."))
    document, created = GuestDocument.objects.get_or_create(
        guest=guest, kind=kind, number=normalised, defaults={"country": country.strip().upper()}
    )
    if created:
        changes.created(
            document, owner="guest", by=by, guest=guest, subject=GuestChange.Subject.DOCUMENT
        )
    return document
