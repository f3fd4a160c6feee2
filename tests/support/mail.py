"""E-mail backends for tests that run real workers in other processes.

They stand in for the SMTP server (the edge): messages are pushed to a Redis list the test
reads, and the flaky one refuses the first attempts for each recipient, as a busy server does.
"""

from __future__ import annotations

import json
import os
import smtplib

import redis
from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

OUTBOX_KEY = os.environ.get("TEST_OUTBOX_KEY", "test:outbox")


def _redis() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL)


def outbox(key: str = OUTBOX_KEY) -> list[dict]:
    return [json.loads(raw) for raw in _redis().lrange(key, 0, -1)]


def outbox_lookup(message_id: str) -> bool:
    """The outbox as the provider's record (NOTIFICATION_EMAIL_LOOKUP): has it this message?"""
    return any(sent["message_id"] == message_id for sent in outbox())


class RedisOutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        client = _redis()
        for message in email_messages:
            client.rpush(
                OUTBOX_KEY,
                json.dumps(
                    {
                        "to": message.to,
                        "subject": message.subject,
                        "body": message.body,
                        "message_id": message.extra_headers.get("Message-ID", ""),
                    }
                ),
            )
        return len(email_messages)


class FlakyRedisOutboxBackend(RedisOutboxBackend):
    """Fails the first FLAKY_FAILURES sends to each address with a temporary SMTP error."""

    def send_messages(self, email_messages) -> int:
        failures = int(os.environ.get("FLAKY_FAILURES", "1"))
        client = _redis()
        for message in email_messages:
            tries = client.incr(f"{OUTBOX_KEY}:tries:{message.to[0]}")
            if tries <= failures:
                raise smtplib.SMTPServerDisconnected("421 try again later")
        return super().send_messages(email_messages)
