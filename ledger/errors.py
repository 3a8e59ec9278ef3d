"""Expected ledger failures: each has a stable code and a message a person can act on."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.errors import DomainError


class LedgerError(DomainError):
    code = "ledger_error"


class InvalidTransfer(LedgerError):
    """The legs are malformed (fewer than two, a zero or sub-cent amount, an account twice)."""

    code = "invalid_transfer"


class UnbalancedTransfer(LedgerError):
    code = "unbalanced_transfer"


class CurrencyMismatch(LedgerError):
    code = "currency_mismatch"


class InsufficientFunds(LedgerError):
    code = "insufficient_funds"
    status_code = 409


class ReversalExceedsOriginal(LedgerError):
    code = "reversal_exceeds_original"
    status_code = 409


class ReversalNotAllowed(LedgerError):
    code = "reversal_not_allowed"
    status_code = 409


class IdempotencyConflict(LedgerError):
    code = "idempotency_conflict"
    status_code = 409


class AppendOnly(LedgerError):
    code = "ledger_append_only"
    status_code = 409

    def __init__(self, message=None, **kwargs) -> None:
        super().__init__(
            message or _("Ledger entries can never be changed or deleted; post a reversing transfer instead."),
            **kwargs,
        )
