"""The nightly stay points run catches up a night beat missed, once."""

import datetime

import pytest
from django.utils import timezone

from core.models import JobDay
from guests.models import Stay
from loyalty import tasks

from .conftest import balance_of
from .test_stay_earning import stay_record


@pytest.mark.django_db
def test_a_stay_that_departed_on_a_night_beat_missed_earns_once(
    member, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    stay = stay_record(
        member.guest, django_capture_on_commit_callbacks, arrival=today + datetime.timedelta(days=5)
    )
    # it ended two days ago; the night after it (yesterday's run) never came
    Stay.objects.filter(pk=stay.pk).update(
        arrival=today - datetime.timedelta(days=4), departure=today - datetime.timedelta(days=2)
    )
    JobDay.objects.create(
        job="loyalty.stays_points_post_run", day=today - datetime.timedelta(days=2)
    )

    assert (
        tasks.stays_points_post_run_task() == 1
    )  # as beat runs it: yesterday's night, then today's
    assert balance_of(member) == 1000
    assert tasks.stays_points_post_run_task() == 0
    assert balance_of(member) == 1000
