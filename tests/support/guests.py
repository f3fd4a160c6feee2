"""Small builders for guests in tests of the scheduled jobs."""

from __future__ import annotations

from guests.models import Guest, GuestPhone


def make_guest(
    *,
    family: str = "Chen",
    given: str = "Wei",
    birthday: tuple[int, int] | None = None,
    consent: bool = True,
    channel: str = Guest.Channel.EMAIL,
    email: str | None = None,
    phone: str | None = None,
    language: str = "en",
    **fields,
) -> Guest:
    guest = Guest.objects.create(
        family_name=family,
        given_name=given,
        salutation=fields.pop("salutation", f"Mr. {family}"),
        birth_month=birthday[0] if birthday else None,
        birth_day=birthday[1] if birthday else None,
        greetings_consent=consent,
        preferred_channel=channel,
        email=f"{given}.{family}@guest.test".lower() if email is None else email,
        preferred_language=language,
        **fields,
    )
    if phone:
        GuestPhone.objects.create(
            guest=guest, number=phone, digits_reversed=phone.lstrip("+")[::-1], is_primary=True
        )
    return guest
