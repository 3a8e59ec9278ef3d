"""What can be paid. One adapter per payable model; the payment services speak only to this.

"Charge this payable this amount" and "refund this much of it" work the same for shop
orders today and for service jobs (deposit now, balance later, S5), gift redemptions or
fines later: each registers an adapter saying how much is due for a purpose, who owns
it, whether it can be paid now, and what happens when it is paid.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from payments.errors import NotPayable

ORDER_AWAITING_PAYMENT = "Pending payment"
ORDER_PAID = "Pending"


@dataclass(frozen=True)
class AmountDue:
    amount: Decimal
    currency: str


class PayableAdapter(Protocol):
    def amount_due(self, payable: models.Model, purpose: str) -> AmountDue: ...

    def owner_id(self, payable: models.Model) -> int | None: ...

    def check_payable(self, payable: models.Model) -> None: ...

    def on_paid(self, payable: models.Model, payment) -> None: ...

    def describe(self, payable: models.Model) -> str: ...

    # Optional: `on_refunded(payable, refund, user)`, called in the refund's transaction.


class OrderPayable:
    """An Oscar order placed with card payment: paid in full, once."""

    def amount_due(self, order, purpose: str) -> AmountDue:
        if purpose != "full":
            raise NotPayable(_("Shop orders are paid in full."))
        return AmountDue(amount=order.total_incl_tax, currency=order.currency)

    def owner_id(self, order) -> int | None:
        return order.user_id

    def check_payable(self, order) -> None:
        if order.status != ORDER_AWAITING_PAYMENT:
            raise NotPayable(_("Order %(number)s is not waiting for payment.") % {"number": order.number})

    def on_paid(self, order, payment) -> None:
        """Record the payment the Oscar way and release the order for processing."""
        SourceType = get_model("payment", "SourceType")
        Source = get_model("payment", "Source")
        PaymentEventType = get_model("order", "PaymentEventType")
        source_type, _created = SourceType.objects.get_or_create(code="stripe", defaults={"name": "Stripe"})
        Source.objects.create(
            order=order,
            source_type=source_type,
            currency=payment.currency,
            amount_allocated=payment.amount,
            amount_debited=payment.amount,
            reference=payment.stripe_payment_intent_id or "",
        )
        event_type, _created = PaymentEventType.objects.get_or_create(name="Paid by card")
        event = order.payment_events.create(
            event_type=event_type, amount=payment.amount, reference=payment.stripe_payment_intent_id or ""
        )
        for line in order.lines.all():
            event.line_quantities.create(line=line, quantity=line.quantity)
        if order.status == ORDER_AWAITING_PAYMENT:
            order.set_status(ORDER_PAID)

    def describe(self, order) -> str:
        return str(_("Order %(number)s") % {"number": order.number})

    def on_refunded(self, order, refund, user) -> None:
        """A refund of delivered goods takes the vendors' shares back (issue 4 point 8)."""
        from vendors.services import order_refund_allocate

        order_refund_allocate(
            order=order, amount=refund.amount, user=user, idempotency_key=f"payment-refund:{refund.pk}"
        )


_REGISTRY: dict[str, PayableAdapter] = {"order.order": OrderPayable()}


def register(model_label: str, adapter: PayableAdapter) -> None:
    _REGISTRY[model_label.lower()] = adapter


def adapter_for(payable: models.Model) -> PayableAdapter:
    try:
        return _REGISTRY[payable._meta.label_lower]
    except KeyError:
        raise NotPayable(_("This item cannot be paid online.")) from None
