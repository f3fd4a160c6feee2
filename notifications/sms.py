"""SMS delivery behind a small pluggable interface.

No SMS provider is reachable from here, so the default backend records each message in a
JSON-lines file (like Django's file e-mail backend). A hotel plugs in its provider by writing a
class with `send(to, text) -> str` and naming it in the SMS_BACKEND setting.
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

__all__ = ["BaseSmsBackend", "FileSmsBackend", "LocmemSmsBackend", "sms_send"]


class BaseSmsBackend(ABC):
    @abstractmethod
    def send(self, to: str, text: str) -> str:
        """Send one SMS and return the provider's message id.

        Raise TransientDeliveryError for what may work later, PermanentDeliveryError otherwise.
        """


class FileSmsBackend(BaseSmsBackend):
    """Records messages in SMS_FILE_PATH, one JSON object a line."""

    _lock = threading.Lock()

    def send(self, to: str, text: str) -> str:
        path = Path(settings.SMS_FILE_PATH)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            line = json.dumps(
                {"to": to, "text": text, "at": timezone.now().isoformat()}, ensure_ascii=False
            )
            with self._lock, path.open("a", encoding="utf-8") as fh:
                fh.write(line + "\n")
        except OSError as exc:
            raise TransientDeliveryError(str(exc)) from exc
        return f"file:{path.name}"


class LocmemSmsBackend(BaseSmsBackend):
    """Keeps messages in memory (`LocmemSmsBackend.outbox`), for tests."""

    outbox: list[dict] = []

    def send(self, to: str, text: str) -> str:
        self.outbox.append({"to": to, "text": text})
        return f"locmem:{len(self.outbox)}"


def sms_send(to: str, text: str) -> str:
    if not to:
        raise PermanentDeliveryError("no phone number")
    backend = import_string(settings.SMS_BACKEND)()
    return backend.send(to, text)
