"""Expected payment failures: each has a stable code and a message a person can act on."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import errors as core_errors
from core.errors import DomainError


class PaymentError(DomainError):
    code = "payment_error"


class GatewayUnavailable(PaymentError):
    code = "gateway_unavailable"
    status_code = 503

    def __init__(self, message=None, **kwargs) -> None:
        super().__init__(
            message
            or _("Card payments are not reachable right now. Nothing was charged; please try again in a few minutes."),
            **kwargs,
        )


class AlreadyPaid(PaymentError):
    code = "already_paid"
    status_code = 409


class NotPayable(PaymentError):
    code = "not_payable"
    status_code = 409


class RefundNotAllowed(PaymentError):
    code = "refund_not_allowed"


class RefundFailed(PaymentError):
    code = "refund_failed"
    status_code = 502


class InvalidWebhook(PaymentError):
    code = "invalid_webhook"


class NotAllowed(PaymentError, core_errors.NotAllowed):
    """The user lacks the named permission (e.g. refund_payment)."""

    code = "not_allowed"
    status_code = 403


class InvalidTransition(PaymentError, core_errors.InvalidTransition):
    """The payment is not in a status from which this step can be taken."""

    code = "invalid_transition"
    status_code = 409
