"""Privacy requests (issue 18, point 5): everything held on a guest, and erasure on request.

Managers only, and both are logged in the access log (GuestAccessLog: export, erase). Each app
holding personal data adds its part through core.seams: `privacy_export_contributors`
(guest) -> {section title: rows}, and `privacy_erase_contributors` (*, guest_id, by), which
runs inside the erasure's transaction.

Erasure anonymises; it does not delete what the statistics count. The profile keeps its id,
stage, VIP level, company and dates; its names, contacts, documents, birthday, family, special
dates, preferences and free text go, and so do copies of them (the change log's values, the
merge records, messages' addresses and texts, follow-up tasks' texts). Stays, complaints and
points stay, tied to the now anonymous profile, so dashboards still add up. `erased_at` is the
one rule everything else already reads: an erased guest is never shown, found or contacted
(guests.models.GUEST_SHOWN / GUEST_CONTACTABLE, the outbox's send-time guard).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import seams
from guests import changes
from guests.errors import GuestError
from guests.models import (
    CareTask,
    FamilyMember,
    Guest,
    GuestAccessLog,
    GuestChange,
    GuestDocument,
    GuestMerge,
    GuestNotification,
    GuestPhone,
    Preference,
    SpecialDate,
    Stay,
)
from notifications.models import Notification

Rows = list[dict[str, Any]]


class PrivacyError(GuestError):
    status = 409


def _profile_rows(guest: Guest) -> Rows:
    fields = [
        f
        for f in Guest._meta.concrete_fields
        if f.name not in changes.DERIVED and f.name not in {"tags"}
    ]
    row: dict[str, Any] = {}
    for field in fields:
        value = getattr(guest, field.name)
        if field.choices:
            value = getattr(guest, f"get_{field.name}_display")()
        elif hasattr(value, "_meta"):
            value = str(value)
        row[str(field.verbose_name)] = value
    row[_("Tags")] = ", ".join(guest.tags or [])
    return [row]


def _guest_sections(guest: Guest) -> dict[str, Rows]:
    """guests' own part of the export."""
    messages = Notification.objects.filter(
        key__in=GuestNotification.objects.filter(guest=guest).values("notification_id")
    ).order_by("created_at", "pk")
    return {
        _("Profile"): _profile_rows(guest),
        _("Phone numbers"): [
            {_("Number"): p.number, _("Label"): p.label, _("Primary"): p.is_primary}
            for p in GuestPhone.objects.filter(guest=guest)
        ],
        _("Identity documents"): [
            {
                _("Document type"): d.get_kind_display(),
                _("Number"): d.number,
                _("Country"): d.country,
            }
            for d in GuestDocument.objects.filter(guest=guest)
        ],
        _("Family"): [
            {
                _("Relation"): m.get_relation_display(),
                _("Name"): m.name,
                _("Birthday"): "-".join(
                    str(v) for v in (m.birth_year, m.birth_month, m.birth_day) if v
                ),
            }
            for m in FamilyMember.objects.filter(guest=guest)
        ],
        _("Special dates"): [
            {_("Occasion"): d.get_kind_display(), _("Date"): d.date, _("Note"): d.note}
            for d in SpecialDate.objects.filter(guest=guest)
        ],
        _("Preferences"): [
            {_("Category"): str(p.category), _("Value"): p.value}
            for p in Preference.objects.filter(guest=guest).select_related("category")
        ],
        _("Stays"): [
            {
                _("Arrival"): s.arrival,
                _("Departure"): s.departure,
                _("Room"): s.room_number,
                _("Room type"): s.room_type,
                _("Rate plan"): s.rate_plan,
                _("Total spend"): s.spend_total,
                _("Currency"): s.currency,
                _("Booking source"): s.get_source_display(),
            }
            for s in Stay.objects.filter(guest=guest).order_by("arrival", "pk")
        ],
        _("Messages sent"): [
            {
                _("Created"): n.created_at,
                _("Kind"): n.get_kind_display(),
                _("Channel"): n.get_channel_display(),
                _("To"): n.to,
                _("Subject"): n.subject,
                _("Status"): n.get_status_display(),
                _("Sent"): n.sent_at,
            }
            for n in messages
        ],
        _("Follow-up tasks"): [
            {
                _("Due"): t.due_on,
                _("What to do"): t.title,
                _("Status"): t.get_status_display(),
                _("Report"): t.report,
            }
            for t in CareTask.objects.filter(guest=guest).order_by("due_on", "pk")
        ],
        _("Who viewed or exported the profile"): [
            {_("When"): a.at, _("Staff"): str(a.user), _("Action"): a.get_action_display()}
            for a in GuestAccessLog.objects.filter(guest=guest).select_related("user")
        ],
        _("Profiles merged into this one"): [
            {_("When"): m.at, _("Name"): m.merged_name, _("By"): str(m.by) if m.by else ""}
            for m in GuestMerge.objects.filter(kept=guest).select_related("by")
        ],
    }


def privacy_export(*, guest: Guest, by: User) -> dict[str, Rows]:
    """Everything held on the guest, section by section, and the export logged.

    guests' own sections first, then each app's (complaints, loyalty, surveys …) as it
    registered into core.seams.privacy_export_contributors.
    """
    if not guest.is_shown:
        raise PrivacyError(_("This guest's data was erased."))
    GuestAccessLog.objects.create(guest=guest, user=by, action=GuestAccessLog.Action.EXPORT)
    sections = _guest_sections(guest)
    for contributor in seams.privacy_export_contributors.all():
        sections.update(contributor(guest))
    return sections


def privacy_export_json(sections: dict[str, Rows], *, guest: Guest) -> str:
    document = {
        "guest_id": guest.pk,
        "exported_at": timezone.now(),
        "sections": sections,
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def guest_own_data_erase(*, guest_id: int, by: User | None) -> None:
    """guests' part of an erasure: the profile's personal fields and every copy of them."""
    GuestPhone.objects.filter(guest_id=guest_id).delete()
    GuestDocument.objects.filter(guest_id=guest_id).delete()
    FamilyMember.objects.filter(guest_id=guest_id).delete()
    SpecialDate.objects.filter(guest_id=guest_id).delete()
    Preference.objects.filter(guest_id=guest_id).delete()
    # Open tasks would contact the guest; done ones keep who did what, not what was said.
    CareTask.objects.filter(guest_id=guest_id, status=CareTask.Status.OPEN).delete()
    CareTask.objects.filter(guest_id=guest_id).update(title="", report="—")
    keys = GuestNotification.objects.filter(guest_id=guest_id).values("notification_id")
    Notification.objects.filter(key__in=keys, status=Notification.Status.PENDING).update(
        status=Notification.Status.CANCELLED, reason=Notification.Reason.GUEST_ERASED
    )
    Notification.objects.filter(key__in=keys).update(
        to="", subject="", body="", context={}, last_error=""
    )
    GuestChange.objects.filter(guest_id=guest_id).update(changes={})
    GuestMerge.objects.filter(kept_id=guest_id).update(merged_name="", fields={})


@transaction.atomic
def guest_erase(*, guest: Guest, by: User) -> Guest:
    """Anonymise the guest on their request; stays, complaints and points stay as statistics."""
    guest = Guest.objects.select_for_update(of=("self",)).get(pk=guest.pk)
    if not guest.is_shown:
        raise PrivacyError(_("This guest's data was already erased."))
    now = timezone.now()
    guest_own_data_erase(guest_id=guest.pk, by=by)
    for contributor in seams.privacy_erase_contributors.all():
        contributor(guest_id=guest.pk, by=by)
    for name in (
        "family_name",
        "given_name",
        "salutation",
        "gender",
        "nationality",
        "email",
        "notes",
        "search_text",
    ):
        setattr(guest, name, "")
    guest.birth_year = guest.birth_month = guest.birth_day = None
    guest.tags, guest.name_grams = [], []
    guest.greetings_consent = guest.marketing_consent = False
    guest.greetings_consent_at = guest.marketing_consent_at = now
    guest.erased_at = now
    guest.save()
    GuestAccessLog.objects.create(guest=guest, user=by, action=GuestAccessLog.Action.ERASE)
    changes.change_record(
        by=by,
        guest=guest,
        subject=GuestChange.Subject.GUEST,
        subject_id=guest.pk,
        action=GuestChange.Action.CHANGED,
        changes={"erased_at": [None, now.isoformat()]},
    )
    from guests.duplicates import duplicates_refresh

    duplicates_refresh(guest_ids=[guest.pk])
    return guest
