"""Payment writes, one import for callers: start a card payment, apply what Stripe says,
close a payable's open payments, refund, take webhooks.

The work lives by capability in payments.intents, payments.refunds and payments.webhooks
(read their docstrings for the rules: Y1, forward-only states, Stripe never called inside
an open database transaction, the lock order payable -> payment).
"""

from __future__ import annotations

from payments.errors import GatewayUnavailable
from payments.intents import (
    apply_intent,
    locked_payable,
    locked_payment,
    payment_intents_cancel,
    payment_prepare,
    payment_start,
    payment_sync,
    payments_expire,
    payments_of,
)
from payments.refunds import (
    apply_charge_refunded,
    refund_create,
    refund_intent_send,
    refund_resend,
    refunds_pending,
    refunds_resend_pending,
)
from payments.webhooks import webhook_receive

# Older private names some callers used.
_apply_intent = apply_intent
_apply_charge_refunded = apply_charge_refunded
_locked_payable = locked_payable
_locked_payment = locked_payment

__all__ = [
    "GatewayUnavailable",
    "apply_charge_refunded",
    "apply_intent",
    "locked_payable",
    "locked_payment",
    "payment_intents_cancel",
    "payment_prepare",
    "payment_start",
    "payment_sync",
    "payments_expire",
    "payments_of",
    "refund_create",
    "refund_intent_send",
    "refund_resend",
    "refunds_pending",
    "refunds_resend_pending",
    "webhook_receive",
]
