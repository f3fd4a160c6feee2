"""A real SMTP server (aiosmtpd) for tests with workers in other processes.

Every message it accepts is recorded in a Redis list by its Message-ID, which is also the
"provider's record" the stuck sweep asks (NOTIFICATION_EMAIL_LOOKUP=tests.support.smtp.lookup).
`hold("data")` makes the server keep the client waiting once the message is recorded (the 250
never comes), `hold("rcpt")` before the message arrives: a worker killed then died mid-send.
"""

from __future__ import annotations

import asyncio
import os
import socket
from email import message_from_bytes

import redis
from aiosmtpd.controller import Controller
from django.conf import settings

RECEIVED_KEY = os.environ.get("TEST_SMTP_KEY", "test:smtp")


def _redis() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL)


def received(key: str = RECEIVED_KEY) -> list[str]:
    """The Message-IDs of the messages the server accepted, in order."""
    return [raw.decode() for raw in _redis().lrange(key, 0, -1)]


def lookup(message_id: str) -> bool:
    """The provider's record, as NOTIFICATION_EMAIL_LOOKUP: has it a message by this id?"""
    return message_id in received()


class Handler:
    def __init__(self, key: str) -> None:
        self.key = key
        self.holding = ""
        self.held: asyncio.Event | None = None
        self.reached = 0  # how many clients have reached the held step

    async def _wait_if(self, step: str) -> None:
        if self.holding == step:
            self.reached += 1
            self.held = asyncio.Event()
            await self.held.wait()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        await self._wait_if("rcpt")
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content)
        _redis().rpush(self.key, message["Message-ID"] or "")
        await self._wait_if("data")
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, key: str) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.handler = Handler(key)
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def hold(self, step: str) -> None:
        self.handler.holding = step

    def release(self) -> None:
        self.handler.holding = ""
        held = self.handler.held
        if held is not None:
            self.controller.loop.call_soon_threadsafe(held.set)

    def worker_env(self, key: str) -> dict[str, str]:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.port),
            "EMAIL_USE_TLS": "0",
            "EMAIL_USE_SSL": "0",
            "EMAIL_TIMEOUT": "60",
            "NOTIFICATION_EMAIL_LOOKUP": "tests.support.smtp.lookup",
            "TEST_SMTP_KEY": key,
        }
