"""Expected vendor failures: each has a stable code and a message a person can act on.

Views show them as form errors or messages; the API returns them as
`{"code", "detail"}` with `status_code` (core.api).
"""

from __future__ import annotations

import datetime as dt

from django.utils.functional import Promise

from core import errors as core_errors
from core.errors import DomainError


class VendorError(DomainError):
    code = "vendor_error"


class NotAllowed(VendorError, core_errors.NotAllowed):
    """The user may not act on this vendor's shipments, claims or money (not its party,
    and without the named staff ability)."""

    code = "vendor_forbidden"
    status_code = 403


class ApplicationAlreadyDecided(VendorError):
    code = "application_decided"
    status_code = 409


class ReasonRequired(VendorError):
    code = "reason_required"


class VendorSuspended(VendorError):
    code = "vendor_suspended"
    status_code = 409


class InsufficientStock(VendorError):
    """Someone else bought the last units first (or the vendor was suspended meanwhile)."""

    code = "out_of_stock"
    status_code = 409

    def __init__(self, message: str | Promise, *, product=None, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.product = product


class StockRefused(VendorError):
    """A stock level above the contracted quantity (P3) or below what is already sold."""

    code = "stock_refused"


class InstallationPriceChanged(VendorError):
    code = "installation_price_changed"
    status_code = 409


class InvalidTransition(VendorError, core_errors.InvalidTransition):
    code = "invalid_transition"
    status_code = 409


class TrackingRequired(VendorError):
    code = "tracking_required"


class OrderNotPaid(VendorError):
    code = "order_not_paid"
    status_code = 409


class InstallationNotRequested(VendorError):
    code = "installation_not_requested"
    status_code = 409


class ClaimNotAllowed(VendorError):
    code = "claim_not_allowed"


class ClaimAlreadyOpen(VendorError):
    code = "claim_already_open"
    status_code = 409


class WarrantyExpired(VendorError):
    """The claim comes after the warranty's last day; the message names that day."""

    code = "warranty_expired"

    def __init__(self, message: str | Promise, *, ends_on: dt.date, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.ends_on = ends_on


class PayoutNotAllowed(VendorError):
    code = "payout_not_allowed"
    status_code = 409


class RefundNotAllowed(VendorError):
    code = "vendor_refund_not_allowed"
    status_code = 409


class NotOrderOwner(VendorError, core_errors.NotAllowed):
    """P5: only the customer who placed an order cancels it."""

    code = "not_order_owner"
    status_code = 403


class CancelWholeOrder(VendorError):
    """P5: an order still waiting for its card payment is cancelled as a whole."""

    code = "cancel_whole_order"
    status_code = 409
