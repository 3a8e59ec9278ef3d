"""Typed, expected failures. Each has a stable code for the API and a message a person
can act on; views turn them into form errors, the API into a 4xx with that code."""

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
