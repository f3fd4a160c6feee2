"""One rule, one place: each test here failed before the rule was made one."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from guests import followups
from guests.forms import PreferenceForm
from guests.models import CareTask, FamilyMember, Guest, PreferenceCategory, Stay
from notifications.models import Notification
from tests.factories import make_guest

TODAY = date(2026, 6, 11)


@pytest.mark.django_db
def test_the_thank_you_follows_the_preferred_channel_as_greetings_do():
    """Before: a guest who prefers SMS got greetings by SMS and the thank-you by e-mail."""
    from guests.greetings import guest_route

    guest = make_guest(channel=Guest.Channel.SMS, phone="+8613900139000")
    Stay.objects.create(guest=guest, arrival=date(2026, 6, 7), departure=date(2026, 6, 10))
    followups.post_stay_followups_create(day=TODAY)
    note = Notification.objects.get(kind=Notification.Kind.POST_STAY)
    guest = Guest.objects.prefetch_related("phones").get(pk=guest.pk)
    assert (note.channel, note.to) == guest_route(guest) == ("sms", "+8613900139000")


@pytest.mark.django_db
def test_may_this_guest_be_contacted_is_one_rule_for_rows_and_querysets():
    agreed = make_guest(family="Agreed")
    refused = make_guest(family="Refused", consent=False)
    erased = make_guest(family="Erased")
    Guest.objects.filter(pk=erased.pk).update(erased_at=timezone.now())
    erased.refresh_from_db()
    assert set(Guest.objects.contactable()) == {agreed}
    assert set(Guest.objects.shown()) == {agreed, refused}
    for guest in (agreed, refused, erased):
        assert guest.is_contactable == Guest.objects.contactable().filter(pk=guest.pk).exists()
        assert guest.is_shown == Guest.objects.shown().filter(pk=guest.pk).exists()
    for guest in (agreed, refused, erased):
        FamilyMember.objects.create(guest=guest, name="Lily", relation="daughter")
    assert [m.guest for m in FamilyMember.objects.of_contactable_guests()] == [agreed]
    task = CareTask.objects.create(
        key="k", kind=CareTask.Kind.GREETING_CALL, guest=refused, title="Call", due_on=TODAY
    )
    assert not CareTask.objects.of_contactable_guests().filter(pk=task.pk).exists()


@pytest.mark.django_db
def test_preference_types_on_the_guest_form_read_in_chinese():
    """Before: 简体中文 pages listed Pillow, Floor, Diet in English."""
    PreferenceCategory.objects.create(name="Pillow", name_zh="枕头")
    PreferenceCategory.objects.create(name="Newspaper", name_zh="")
    with translation.override("zh-hans"):
        labels = [label for _value, label in PreferenceForm().fields["category"].choices][1:]
        assert "枕头" in labels and "Newspaper" in labels and "Pillow" not in labels
    with translation.override("en"):
        labels = [str(label) for _value, label in PreferenceForm().fields["category"].choices]
        assert "Pillow" in labels


@pytest.mark.django_db
def test_reference_data_shares_one_localised_name_rule():
    from accounts.models import Department
    from complaints.models import Category
    from core.i18n import LocalisedName
    from loyalty.models import Reward, Tier

    for model in (Department, Category, PreferenceCategory, Tier, Reward):
        assert issubclass(model, LocalisedName), model
    department = Department(code="spa", name="Spa", name_zh="水疗中心")
    with translation.override("zh-hans"):
        assert str(department) == "水疗中心"
    with translation.override("en"):
        assert str(department) == "Spa"


@pytest.mark.django_db
def test_the_stuck_rule_is_one_rule_for_the_filter_the_badge_and_retry():
    from notifications.models import STUCK_AFTER
    from notifications.services import notification_retry

    def sending(key: str, minutes: int) -> Notification:
        return Notification.objects.create(
            key=key,
            kind=Notification.Kind.BIRTHDAY,
            channel="email",
            to="a@b.test",
            occasion_date=TODAY,
            status=Notification.Status.SENDING,
            claimed_at=timezone.now() - timedelta(minutes=minutes),
        )

    stuck = sending("old", int(STUCK_AFTER.total_seconds() // 60) + 1)
    busy = sending("new", 1)
    assert list(Notification.objects.stuck()) == [stuck]
    assert stuck.is_stuck and not busy.is_stuck
    assert notification_retry(notification=busy) is False
    assert notification_retry(notification=stuck) is True
