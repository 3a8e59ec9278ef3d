"""Typed, expected failures. Each has a stable code for the API and a message a person
can act on; views turn them into form errors, the API into a 4xx with that code.

`NotAllowed` and `InvalidTransition` are the two failures every state machine shares
(core.transitions raises them); each app subclasses them under its own base class so an
app's callers can still catch "any job error" or "any vendor error"."""

from __future__ import annotations

from django.utils.functional import Promise


class DomainError(Exception):
    code = "error"
    status_code = 400

    def __init__(self, message: str | Promise, *, code: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code


class NotAllowed(DomainError):
    """The user lacks the named permission, or is not a party to this object."""

    code = "not_allowed"
    status_code = 403


class InvalidTransition(DomainError):
    """The object is not in a state from which this step can be taken."""

    code = "invalid_transition"
    status_code = 409
