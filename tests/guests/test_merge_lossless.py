"""A merge keeps every row of both profiles: counted, table by table, before and after."""

from __future__ import annotations

import pytest

from complaints.models import Ticket
from core import seams
from guests.merge import GuestMergeError, guest_merge, guest_relations, guest_rows_count
from guests.models import DuplicatePair, Guest, GuestChange, GuestMerge
from loyalty.models import Member, PointsTransaction
from loyalty.services import ledger_totals
from tests.factories import make_guest
from tests.guests.one_of_everything import MAKERS, make_everything

pytestmark = pytest.mark.django_db

# Rows a merge combines or adds rather than moves one for one, and why.
COMBINED = {
    # Two accounts become one: the absorbed one is closed, its points moved through the ledger;
    # it stays reachable from the kept account (merged_into).
    "loyalty.Member.guest": -1,
    # The merge itself is recorded on the kept profile (the defaults change no field, so the
    # change log gets no line of its own: see the next test for one that does).
    "guests.GuestMerge.kept": +1,
    # Derived figures: the absorbed profile's value row goes; the kept one's is recomputed
    # from the stays that moved (nightly, or "Recompute now" on the card).
    "retention.GuestValue.guest": -1,
}


def relation_key(rel) -> str:
    return f"{rel.related_model._meta.label}.{rel.field.name}"


@pytest.fixture
def pair(manager):
    elder = make_guest(family="Elder", given="One", email="")
    kept = make_guest(family="Chen", given="Wei", email="wei@guest.test", phone="13800138000")
    merged = make_guest(family="Wei", given="Chen", email="chen.w@guest.test")
    make_everything(kept, by=manager, elder=elder)
    make_everything(merged, by=manager, elder=elder)
    return kept, merged


def test_every_table_that_points_at_a_guest_has_a_maker_for_the_count():
    missing = sorted(relation_key(rel) for rel in guest_relations())
    missing = [key for key in missing if key not in MAKERS]
    assert not missing, f"add a maker for {missing} to tests/guests/one_of_everything.py"


def test_the_test_profile_has_one_of_everything(pair):
    _kept, merged = pair
    counts = guest_rows_count(merged.pk)
    empty = [relation_key(rel) for rel in guest_relations() if relation_key(rel) not in counts]
    assert not empty


def test_a_merge_moves_every_row_of_both_profiles_to_the_kept_one(pair, manager):
    kept, merged = pair
    before_kept, before_merged = guest_rows_count(kept.pk), guest_rows_count(merged.pk)
    survivor, absorbed_account = Member.objects.get(guest=kept), Member.objects.get(guest=merged)
    total_points = survivor.balance + absorbed_account.balance
    assert survivor.balance and absorbed_account.balance
    lines_before = PointsTransaction.objects.count()

    guest_merge(kept_id=kept.pk, merged_id=merged.pk, by=manager)

    after = guest_rows_count(kept.pk)
    for rel in guest_relations():
        key = relation_key(rel)
        if key.startswith("guests.DuplicatePair"):
            continue  # checked below: suggestions are re-found, dismissals kept
        expected = before_kept.get(key, 0) + before_merged.get(key, 0) + COMBINED.get(key, 0)
        assert after.get(key, 0) == expected, key
    assert guest_rows_count(merged.pk) == {}
    assert not Guest.objects.filter(pk=merged.pk).exists()

    # Loyalty: one account with both balances, through new ledger lines; nothing edited.
    survivor.refresh_from_db()
    absorbed_account.refresh_from_db()
    assert survivor.balance == total_points
    assert absorbed_account.balance == 0
    assert absorbed_account.status == Member.Status.CLOSED
    assert absorbed_account.merged_into == survivor
    assert PointsTransaction.objects.count() == lines_before + 2
    assert ledger_totals(member=survivor) == {"ledger": total_points, "balance": total_points}

    # The dismissals both profiles had now speak for the kept one.
    dismissed = DuplicatePair.objects.filter(dismissed_at__isnull=False)
    assert dismissed.filter(guest_b=kept).count() == 1  # with the elder guest
    assert dismissed.filter(guest_a=kept).count() == 2  # with each profile's newer guest


def test_the_merge_is_recorded_with_where_each_value_came_from(pair, manager):
    kept, merged = pair
    record = guest_merge(
        kept_id=kept.pk, merged_id=merged.pk, by=manager, choices={"email": "merged"}
    )
    kept.refresh_from_db()
    assert kept.email == "chen.w@guest.test"
    assert record.by == manager and record.merged_guest_id == merged.pk
    assert record.fields["email"] == {
        "kept": "wei@guest.test",
        "merged": "chen.w@guest.test",
        "chosen": "merged",
    }
    assert record.fields["family_name"]["chosen"] == "kept"
    assert record.moved["complaints.Ticket.guest"] == 1
    change = GuestChange.objects.filter(guest=kept, by=manager).first()
    assert change.changes["email"] == ["wei@guest.test", "chen.w@guest.test"]


def test_a_table_nobody_moves_refuses_the_merge_and_changes_nothing(pair, manager):
    kept, merged = pair
    seams.guest_merge_hooks.unregister("complaints")
    before = guest_rows_count(merged.pk)
    with pytest.raises(GuestMergeError, match="complaints.Ticket.guest"):
        guest_merge(kept_id=kept.pk, merged_id=merged.pk, by=manager)
    assert guest_rows_count(merged.pk) == before
    assert Ticket.objects.filter(guest=merged).count() == 1
    assert not GuestMerge.objects.filter(merged_guest_id=merged.pk).exists()


def test_a_merge_of_a_profile_already_merged_is_refused(pair, manager):
    kept, merged = pair
    guest_merge(kept_id=kept.pk, merged_id=merged.pk, by=manager)
    with pytest.raises(GuestMergeError):
        guest_merge(kept_id=kept.pk, merged_id=merged.pk, by=manager)


def test_a_profile_changed_since_it_was_shown_is_not_merged(pair, manager):
    kept, merged = pair
    with pytest.raises(GuestMergeError, match="changed"):
        guest_merge(
            kept_id=kept.pk,
            merged_id=merged.pk,
            by=manager,
            versions={kept.pk: "2001-01-01T00:00:00+00:00", merged.pk: "x"},
        )
    assert Guest.objects.filter(pk=merged.pk).exists()


def test_only_one_account_moves_to_the_kept_profile_as_it_is(manager):
    kept = make_guest(family="Chen", given="Wei")
    merged = make_guest(family="Chen", given="Wei", email="")
    from tests.factories import make_member

    account = make_member(merged, by=manager)
    guest_merge(kept_id=kept.pk, merged_id=merged.pk, by=manager)
    account.refresh_from_db()
    assert account.guest == kept and account.status == Member.Status.ACTIVE


def test_an_app_that_refuses_stops_the_whole_merge(pair, manager):
    kept, merged = pair

    def refuse(**kwargs):
        raise seams.SeamRefusal("A survey is being answered right now.")

    seams.guest_merge_hooks.register("zz_refuses", refuse)
    stays = kept.stays.count()
    with pytest.raises(GuestMergeError, match="being answered"):
        guest_merge(kept_id=kept.pk, merged_id=merged.pk, by=manager)
    assert kept.stays.count() == stays  # what the hooks before it moved is rolled back
    assert Guest.objects.filter(pk=merged.pk).exists()
