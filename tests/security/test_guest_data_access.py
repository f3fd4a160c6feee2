"""Duplicates, merges and privacy requests: each role gets only what it may, nothing changes
otherwise, and the refusal is in the security log."""

from __future__ import annotations

import pytest

from accounts.models import SecurityEvent
from guests.models import DuplicatePair, Guest, GuestAccessLog, GuestMerge

pytestmark = pytest.mark.django_db


def denied(world, role: str, path: str) -> bool:
    return SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.DENIED, user=world.user(role), path=path
    ).exists()


@pytest.mark.parametrize("role", ["desk", "head"])
def test_roles_that_do_not_keep_in_touch_cannot_merge_or_dismiss(as_role, world, role):
    guest, other = world.ids["guest"], world.ids["other_guest"]
    client = as_role(role)
    merge = f"/guests/{guest}/merge/{other}/"
    dismiss = f"/guests/{guest}/duplicates/{other}/dismiss/"
    assert client.get(merge).status_code == 403
    assert client.post(merge, {"kept_version": "x", "merged_version": "y"}).status_code == 403
    assert client.post(dismiss).status_code == 403
    assert client.get("/guests/duplicates/").status_code == 403
    assert denied(world, role, merge) and denied(world, role, dismiss)
    assert Guest.objects.filter(pk__in=[guest, other]).count() == 2
    assert not GuestMerge.objects.exists()
    assert not DuplicatePair.objects.filter(dismissed_at__isnull=False).exists()


@pytest.mark.parametrize("role", ["desk", "officer", "head", "account_manager"])
def test_only_managers_export_or_erase_a_guests_data(as_role, world, role):
    guest = world.ids["guest"]
    client = as_role(role)
    export, erase = f"/guests/{guest}/privacy/", f"/guests/{guest}/privacy/erase/"
    assert client.get(export).status_code == 403
    assert client.get(export + "?format=json").status_code == 403
    assert client.post(erase, {"confirm": str(guest)}).status_code == 403
    assert denied(world, role, erase)
    assert Guest.objects.shown().filter(pk=guest).exists()
    assert not GuestAccessLog.objects.filter(
        guest_id=guest, action__in=[GuestAccessLog.Action.EXPORT, GuestAccessLog.Action.ERASE]
    ).exists()


def test_a_merge_naming_a_guest_that_does_not_exist_is_not_found(as_role, world):
    path = f"/guests/{world.ids['guest']}/merge/999999/"
    assert as_role("officer").get(path).status_code == 404
    assert as_role("officer").post(path, {}).status_code == 404
    assert Guest.objects.filter(pk=world.ids["guest"]).exists()
