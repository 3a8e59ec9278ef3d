"""Expected failures of partner offices and their errands (stable codes, readable messages)."""

from __future__ import annotations

from core import errors as core_errors
from core.errors import DomainError


class OfficeError(DomainError):
    code = "office_error"


class NotAllowed(OfficeError, core_errors.NotAllowed):
    code = "not_allowed"
    status_code = 403


class InvalidTransition(OfficeError, core_errors.InvalidTransition):
    code = "invalid_transition"
    status_code = 409


class NotAClerk(NotAllowed):
    code = "not_a_clerk"


class NoOfficeForDestination(OfficeError):
    code = "no_office_for_destination"


class InvalidRefund(OfficeError):
    code = "invalid_refund"
