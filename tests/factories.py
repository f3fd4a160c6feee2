"""The one way to make test data: staff through a factory, everything else through the services.

Guests, stays, companies, tickets and members are made by the same service functions the app
calls, so a test's data has what the app's data has (search fields, change log, stage, ledger).
Shorthands keep the common cases short::

    make_guest(family="Chen", birthday=(5, 20), channel="sms", phone="+8613800138000")
    make_stay(guest, arrival=date(2026, 5, 1), nights=3, room_number="1208")
    make_ticket(by=officer, guest=guest)
    make_member(guest, by=front_desk)
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

import factory
from django.contrib.auth.models import Group

from accounts import roles
from accounts.models import Department, User

PASSWORD = "correct-horse-battery-staple"

_serial = itertools.count(1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@hotel.test")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            roles.roles_sync()
            self.groups.add(Group.objects.get(name=extracted.name))


def department(code: str) -> Department:
    return Department.objects.get(code=code)


# Shorthand keyword → the guest field it sets.
_GUEST_SHORTHANDS = {
    "family": "family_name",
    "given": "given_name",
    "consent": "greetings_consent",
    "channel": "preferred_channel",
    "language": "preferred_language",
}


def make_guest(
    *,
    by: User | None = None,
    birthday: tuple[int, int] | None = None,
    phone: str | None = None,
    phones: list | tuple = (),
    relatives: list | tuple = (),
    special_dates: list | tuple = (),
    preferences: list | tuple = (),
    erased_at=None,
    **fields: Any,
):
    """A guest made by `guests.services.guest_create`.

    Defaults: Wei Chen ("Mr. Chen"), English, greetings consent, e-mail
    `given.family@guest.test` (pass `email=""` for none). `birthday=(month, day)`; `phone` adds
    one primary number; `relatives` are family members. `erased_at` marks the guest erased
    afterwards (as the erasure does)."""
    from guests import services
    from guests.models import Guest

    for short, field in _GUEST_SHORTHANDS.items():
        if short in fields:
            fields[field] = fields.pop(short)
    fields.setdefault("family_name", "Chen")
    fields.setdefault("given_name", "Wei")
    fields.setdefault("salutation", f"Mr. {fields['family_name']}")
    fields.setdefault("preferred_language", "en")
    fields.setdefault("greetings_consent", True)
    if "email" not in fields:
        fields["email"] = f"{fields['given_name']}.{fields['family_name']}@guest.test".lower()
    if birthday:
        fields["birth_month"], fields["birth_day"] = birthday
    numbers = [{"number": p} if isinstance(p, str) else p for p in phones]
    if phone:
        numbers.append({"number": phone, "is_primary": True})
    guest = services.guest_create(
        by=by,
        data=fields,
        phones=numbers,
        family=list(relatives),
        special_dates=list(special_dates),
        preferences=list(preferences),
    )
    if erased_at is not None:
        Guest.objects.filter(pk=guest.pk).update(erased_at=erased_at)
        guest.erased_at = erased_at
    return guest


def make_stay(guest, *, arrival: date | None = None, nights: int = 2, by=None, **data: Any):
    """A stay made by `guests.services.stay_create` (its own PMS reference unless given)."""
    from guests import services

    arrival = arrival or date(2026, 1, 10)
    data.setdefault("pms_reference", f"T-{next(_serial)}")
    data.setdefault("departure", arrival + timedelta(days=nights))
    return services.stay_create(guest=guest, by=by, data={"arrival": arrival, **data})


def make_company(*, by=None, contacts=None, **data: Any):
    """A company made by `guests.services.company_save`."""
    from guests import services

    data.setdefault("name", "Huaxin Trading")
    return services.company_save(company=None, by=by, data=data, contacts=contacts)


def make_ticket(*, by: User, **data: Any):
    """A ticket logged by `complaints.services.ticket_log`: housekeeping, cleanliness, room 1208,
    for a walk-in "Mr. Smith" unless a guest is given."""
    from complaints import services
    from complaints.models import Category

    data.setdefault("department", department("housekeeping"))
    data.setdefault("category", Category.objects.get(code="cleanliness"))
    data.setdefault("description", "Hair in the bathtub.")
    if "guest" not in data:
        data.setdefault("guest_name", "Mr. Smith")
    data.setdefault("room_number", "1208")
    return services.ticket_log(by=by, **data)


def make_member(guest, *, by: User):
    """A loyalty member enrolled by `loyalty.services.member_enrol`."""
    from loyalty import services

    return services.member_enrol(guest=guest, by=by)


def make_survey_response(stay, *, overall: int = 5, recommend: int = 9, by=None, **answers: Any):
    """A survey response recorded by `surveys.services.survey_record` (through the guest's link
    unless `by` is given, then as a paper survey). Returns the response."""
    from surveys import services
    from surveys.models import SurveyResponse

    channel = answers.pop("channel", None) or (
        SurveyResponse.Channel.PAPER if by is not None else SurveyResponse.Channel.LINK
    )
    response, _created = services.survey_record(
        stay=stay,
        answers=services.Answers(overall=overall, recommend=recommend, **answers),
        channel=channel,
        by=by,
    )
    return response


def make_document(guest, number: str = "11010519491231002X", *, by=None, **data: Any):
    """An identity document added by `guests.documents.guest_document_add` (resident ID card
    unless `kind` is given)."""
    from guests.documents import guest_document_add

    return guest_document_add(guest=guest, by=by, number=number, **data)


def pms_file(
    rows: list[dict],
    *,
    columns: list[str] | None = None,
    encoding: str = "utf-8",
    delimiter: str = ",",
    fmt: str = "csv",
) -> bytes:
    """A PMS export as the imports app reads it: a header row (`columns`, default the keys of
    every row, any header text) then `rows`, as CSV in `encoding` or as .xlsx."""
    import csv
    import io

    columns = columns or list(dict.fromkeys(key for row in rows for key in row))
    values = [[str(row.get(column, "")) for column in columns] for row in rows]
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("export")
        for line in (columns, *values):
            sheet.append(line)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    for line in (columns, *values):
        writer.writerow(line)
    return text.getvalue().encode(encoding)


def make_import_run(*, by: User, content: bytes, name: str = "export.csv"):
    """An uploaded PMS file (imports.services.run_create): columns guessed, not checked yet."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from imports import services

    return services.run_create(by=by, upload=SimpleUploadedFile(name, content))
