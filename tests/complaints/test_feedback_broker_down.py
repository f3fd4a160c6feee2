"""A ticket resolved while the broker (Redis) cannot be reached: the resolution stays committed
and the request never fails after it; the guest's feedback request is recorded in the outbox
at once (pending), for the due sweep to deliver once the broker is back."""

from __future__ import annotations

import socket

import pytest
from django.test import TestCase

from complaints.models import Ticket
from guests.models import Guest
from notifications.models import Notification
from tests.complaints.test_feedback_request import REQUEST, consenting, resolve  # noqa: F401


@pytest.fixture
def broker_unreachable():
    """The Celery client pointed at a port nothing listens on (refused at once)."""
    from grc.celery import app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    old = (app.conf.broker_url, app.conf.result_backend)

    def point_at(broker: str, backend: str) -> None:
        app.conf.broker_url, app.conf.result_backend = broker, backend
        app._pool = None
        app.amqp._producer_pool = None

    closed = f"redis://127.0.0.1:{port}/0"
    point_at(closed, closed)
    try:
        yield closed
    finally:
        point_at(*old)


@pytest.mark.django_db
def test_resolving_with_the_broker_down_keeps_the_resolution_and_records_the_request(
    resolve,  # noqa: F811
    returning_guest,
    broker_unreachable,
):
    guest = consenting(returning_guest, preferred_channel=Guest.Channel.EMAIL)
    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        ticket = resolve(guest)  # no error raised after the commit
    assert callbacks, "the request is queued on commit"
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.RESOLVED
    (message,) = Notification.objects.filter(kind=REQUEST)
    assert message.status == Notification.Status.PENDING  # the due sweep sends it later
    assert (message.channel, message.to) == ("email", "wei.chen@example.com")


@pytest.mark.django_db
def test_an_unhappy_verdict_with_the_broker_down_still_tells_the_owner(
    resolved_ticket, broker_unreachable
):
    from complaints import services

    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        feedback = services.feedback_record(
            ticket=resolved_ticket, score=1, comment="Still noisy", via="guest_link"
        )  # the guest's page: no error after the verdict is saved
    assert callbacks, "the owner's notice is queued on commit"
    resolved_ticket.refresh_from_db()
    assert resolved_ticket.status == Ticket.Status.REOPENED
    feedback.refresh_from_db()
    assert feedback.owner_notified_at is not None
    (notice,) = Notification.objects.filter(kind=Notification.Kind.COMPLAINT_REOPENED_BY_GUEST)
    assert notice.status == Notification.Status.PENDING
    assert notice.to == (resolved_ticket.assigned_to or resolved_ticket.logged_by).email
