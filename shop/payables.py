"""Shop orders as payables: the adapter payments/ charges and refunds them through, the
page hooks of the one pay page and return page, and the expiry of unpaid card orders.

payments/ imports no domain app; it learns about orders only through this adapter,
registered from shop.checkout's AppConfig.ready (like services_catalog registers jobs).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from oscar.core.loading import get_model

from payments import services as payments
from payments.errors import NotPayable
from payments.payables import AmountDue, PayablePage, register
from shop import order_status
from vendors.services import order_refund_allocate, shipment_refund_line_ids

Order = get_model("order", "Order")
SourceType = get_model("payment", "SourceType")
Source = get_model("payment", "Source")
PaymentEventType = get_model("order", "PaymentEventType")

# The order as payable: its content-type label, and its URL segment on the pay page.
MODEL_LABEL = "order.order"
KIND = "order"


class OrderPayable:
    """An Oscar order placed with card payment: paid in full, once."""

    def amount_due(self, order, purpose: str) -> AmountDue:
        if purpose != "full":
            raise NotPayable(_("Shop orders are paid in full."))
        return AmountDue(amount=order.total_incl_tax, currency=order.currency)

    def owner_id(self, order) -> int | None:
        return order.user_id

    def check_payable(self, order) -> None:
        if order.status != order_status.PENDING_PAYMENT:
            raise NotPayable(_("Order %(number)s is not waiting for payment.") % {"number": order.number})

    def on_paid(self, order, payment) -> None:
        """Record the payment the Oscar way and release the order for processing."""
        source_type, _created = SourceType.objects.get_or_create(code="stripe", defaults={"name": "Stripe"})
        Source.objects.create(
            order=order,
            source_type=source_type,
            currency=payment.currency,
            amount_allocated=payment.amount,
            amount_debited=payment.amount,
            reference=payment.stripe_payment_intent_id or "",
        )
        # Stored in English; pages show it through the catalogue (core/template_loaders.py).
        event_type, _created = PaymentEventType.objects.get_or_create(name=gettext_noop("Paid by card"))
        event = order.payment_events.create(
            event_type=event_type, amount=payment.amount, reference=payment.stripe_payment_intent_id or ""
        )
        for line in order.lines.all():
            event.line_quantities.create(line=line, quantity=line.quantity)
        if order.status == order_status.PENDING_PAYMENT:
            order.set_status(order_status.PENDING)

    def describe(self, order) -> str:
        return str(_("Order %(number)s") % {"number": order.number})

    def on_refunded(self, order, refund, user) -> None:
        """A refund of delivered goods takes the vendors' shares back (issue 4 point 8); the
        refund of a shipment its customer cancelled (P5) falls on that shipment's lines only."""
        order_refund_allocate(
            order=order, amount=refund.amount, user=user, idempotency_key=f"payment-refund:{refund.pk}",
            line_ids=shipment_refund_line_ids(payment_refund_key=refund.idempotency_key or ""),
        )


class OrderPage(PayablePage):
    """The pay page for an order: /payments/order/<number>/pay/ (and .../return/)."""

    kind = KIND
    summary_template = "checkout/pay_summary.html"

    def find(self, reference: str, user: Any):
        # Another customer's order number answers 404, never its details.
        return get_object_or_404(Order, number=reference, user=user)

    def reference(self, order) -> str:
        return order.number

    def title(self, order) -> str:
        return str(_("Pay for order %(number)s") % {"number": order.number})

    def back_url(self, order) -> str:
        return reverse("customer:order", kwargs={"order_number": order.number})

    def paid(self, request: HttpRequest, order) -> HttpResponse:
        # Oscar's thank-you page shows the order kept in the session.
        request.session["checkout_order_id"] = order.pk
        return redirect("checkout:thank-you")

    def processing(self, request: HttpRequest, order) -> HttpResponse:
        return render(request, "checkout/payment_processing.html", {"order": order})


def register_payable() -> None:
    register(MODEL_LABEL, OrderPayable(), page=OrderPage())


def order_expire_unpaid(*, order, reason: str = "payment window closed") -> bool:
    """Cancel a card order nobody paid for and give its stock back. Returns True if cancelled.

    The intents are cancelled at Stripe first, with no transaction open; if Stripe says one
    was paid after all, the payment is recorded instead and the order stays.
    """
    intents = payments.payment_intents_cancel(payable=order)
    with transaction.atomic():
        order = payments.locked_payable(order)
        if order.status != order_status.PENDING_PAYMENT:
            return False
        if not payments.payments_expire(payable=order, intents=intents, reason=reason):
            return False
        for line in order.lines.select_related("stockrecord"):
            if line.stockrecord_id:
                line.stockrecord.cancel_allocation(line.quantity)
        order.set_status(order_status.CANCELLED)
        return True
