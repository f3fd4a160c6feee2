import pytest
from django.core.cache import cache

from grc import tasks
from grc.health import HEARTBEAT_KEY


def test_ping_makes_the_round_trip_through_a_real_worker(celery_worker_process):
    result = tasks.ping.delay()
    assert result.get(timeout=30) == "pong"


@pytest.mark.django_db
def test_the_heartbeat_records_when_beat_last_fired(client):
    cache.delete(HEARTBEAT_KEY)
    stamp = tasks.heartbeat()
    assert cache.get(HEARTBEAT_KEY) == stamp
    assert client.get("/healthz").json()["scheduler"]["last_heartbeat"] == stamp


@pytest.mark.django_db
def test_the_heartbeat_is_installed_in_the_database_schedule():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="grc.heartbeat")
    assert task.enabled and task.interval.every == 60
