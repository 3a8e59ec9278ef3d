"""One interface for sending SMS, whatever the provider.

`settings.CHAARSOO_SMS_BACKEND` names the backend class. The console backend (the
default) prints each message, the locmem backend keeps them in a list for tests, and a
production provider is one more subclass of `BaseSMSBackend` that returns the
provider's message id and raises `SMSError` when the provider refuses a message.
"""

from __future__ import annotations

import logging
import sys
import threading
import uuid
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar, TextIO

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SMSError(Exception):
    """The provider did not accept the message (bad number, no credit, outage)."""


class BaseSMSBackend(ABC):
    @abstractmethod
    def send(self, *, to: str, body: str) -> str:
        """Send `body` to the number `to` ("+989121234567") and return the provider's message id."""


class ConsoleSMSBackend(BaseSMSBackend):
    """Writes each SMS to stdout (like Django's console email backend) and to the log."""

    _lock = threading.Lock()

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def send(self, *, to: str, body: str) -> str:
        message_id = f"console-{uuid.uuid4().hex}"
        text = f"SMS {message_id}\nTo: {to}\nDate: {timezone.now().isoformat()}\n\n{body}\n{'-' * 60}\n"
        # Several request threads may print at once; keep each SMS in one piece.
        with self._lock:
            stream = self.stream or sys.stdout
            stream.write(text)
            stream.flush()
        logger.info("SMS %s to %s written to the console", message_id, to)
        return message_id


@dataclass(frozen=True)
class SentSMS:
    to: str
    body: str
    message_id: str
    sent_at: datetime = field(default_factory=timezone.now)


class LocmemSMSBackend(BaseSMSBackend):
    """Keeps every SMS in `LocmemSMSBackend.outbox` (tests read and clear it)."""

    outbox: ClassVar[list[SentSMS]] = []

    def send(self, *, to: str, body: str) -> str:
        message_id = f"locmem-{uuid.uuid4().hex}"
        type(self).outbox.append(SentSMS(to=to, body=body, message_id=message_id))
        return message_id


def get_sms_backend(path: str | None = None) -> BaseSMSBackend:
    """An instance of the configured backend (`settings.CHAARSOO_SMS_BACKEND`)."""
    backend_class = import_string(path or settings.CHAARSOO_SMS_BACKEND)
    return backend_class()
