"""The support desk's typed failures."""

from __future__ import annotations

import core.errors
from core.errors import DomainError


class SupportError(DomainError):
    code = "support_error"


class NotAllowed(SupportError, core.errors.NotAllowed):
    code = "not_allowed"
    status_code = 403


class InvalidTransition(SupportError, core.errors.InvalidTransition):
    code = "invalid_transition"
    status_code = 409


class EmptyMessage(SupportError):
    code = "empty_message"


class ChatClosed(SupportError):
    code = "chat_closed"
    status_code = 409
