"""SMS delivery behind a small pluggable interface.

No SMS provider is reachable from here, so the default backend records each message in a
JSON-lines file (like Django's file e-mail backend). A hotel plugs in its provider by writing a
class with `send(to, text) -> str` and naming it in the SMS_BACKEND setting. A backend that can
tag a message with our reference and look it up again (`send_with_reference`, `delivered`) lets
the stuck sweep tell whether a message left "sending" by a dead worker went out.
"""

from __future__ import annotations

import json
import threading
from abc import ABC, abstractmethod
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from notifications.errors import PermanentDeliveryError, TransientDeliveryError

__all__ = [
    "BaseSmsBackend",
    "FileSmsBackend",
    "LocmemSmsBackend",
    "sms_delivered",
    "sms_send",
]


class BaseSmsBackend(ABC):
    @abstractmethod
    def send(self, to: str, text: str) -> str:
        """Send one SMS and return the provider's message id.

        Raise TransientDeliveryError for what may work later, PermanentDeliveryError otherwise.
        """

    def send_with_reference(self, to: str, text: str, reference: str) -> str:
        """Send, tagging the message with our reference where the provider takes one."""
        return self.send(to, text)

    def delivered(self, reference: str) -> bool | None:
        """Whether the provider has a message tagged `reference`; None when it cannot tell."""
        return None


class FileSmsBackend(BaseSmsBackend):
    """Records messages in SMS_FILE_PATH, one JSON object a line."""

    _lock = threading.Lock()

    def send(self, to: str, text: str) -> str:
        return self.send_with_reference(to, text, "")

    def send_with_reference(self, to: str, text: str, reference: str) -> str:
        path = Path(settings.SMS_FILE_PATH)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            record = {"to": to, "text": text, "at": timezone.now().isoformat()}
            if reference:
                record["ref"] = reference
            line = json.dumps(record, ensure_ascii=False)
            with self._lock, path.open("a", encoding="utf-8") as fh:
                fh.write(line + "\n")
        except OSError as exc:
            raise TransientDeliveryError(str(exc)) from exc
        return f"file:{path.name}"

    def delivered(self, reference: str) -> bool | None:
        path = Path(settings.SMS_FILE_PATH)
        if not path.exists():
            return False
        needle = json.dumps(reference)
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if needle in line and json.loads(line).get("ref") == reference:
                    return True
        return False


class LocmemSmsBackend(BaseSmsBackend):
    """Keeps messages in memory (`LocmemSmsBackend.outbox`), for tests."""

    outbox: list[dict] = []

    def send(self, to: str, text: str) -> str:
        return self.send_with_reference(to, text, "")

    def send_with_reference(self, to: str, text: str, reference: str) -> str:
        self.outbox.append({"to": to, "text": text, "ref": reference})
        return f"locmem:{len(self.outbox)}"

    def delivered(self, reference: str) -> bool | None:
        return any(sms.get("ref") == reference for sms in self.outbox)


def _backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()


def sms_send(to: str, text: str, reference: str = "") -> str:
    if not to:
        raise PermanentDeliveryError("no phone number")
    return _backend().send_with_reference(to, text, reference)


def sms_delivered(reference: str) -> bool | None:
    """Whether the SMS backend has a message tagged `reference` (None: it cannot tell)."""
    return _backend().delivered(reference)
