"""P5: the customer cancels a vendor's part of their order (a shipment) before it leaves
the vendor, or the whole order (every shipment still cancellable).

- The shipment moves through its own transition "customer_cancel" (vendors.machines),
  fired with the party rule `shipment_customer`: only the order's customer may.
- The stock goes back on sale, as when the vendor cancels (shipment_cancel).
- The vendor is told ("vendor_shipment_cancelled_by_customer"); the customer gets a
  confirmation ("customer_order_cancel_confirmed") saying what comes back and how.
- Money. An order paid by card is refunded that shipment's lines and their installation,
  and the order's shipping when this cancellation leaves every shipment of the order
  cancelled (the checkout charges shipping once per order, not per vendor: it is refunded
  with the last shipment, when no goods travel at all). The refund is booked as a
  `ShipmentRefund` in the cancelling transaction (one per shipment, keyed by it) and sent
  to Stripe after commit with no transaction open (`shipment_refunds_send`); one Stripe
  refuses or never answers stays pending with its error and is sent again with the same
  key by the periodic duty `send_shipment_refunds`, so it is paid at most once. It falls
  on that shipment's lines only (shop.payables reads it back: `shipment_refund_line_ids`).
  Pay on delivery: nothing was charged, nothing comes back. Paid at a partner office's
  counter: offices' shipment hook owes it back at the counter. An unpaid card order
  (waiting for payment) is cancelled as a whole, the way its payment expiry does
  (shop.payables.order_expire_unpaid).

Locks, as in shipments: the order, then its shipments, then the card payment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from core import clock
from payments.models import Payment
from payments.services import payments_of, refund_intent_send
from shop import order_status
from vendors.errors import CancelWholeOrder, InvalidTransition, NotOrderOwner, ReasonRequired
from vendors.machines import SHIPMENT, shipment_customer
from vendors.models import Shipment, ShipmentLine, ShipmentRefund
from vendors.services._common import Order, notify_customer, notify_vendor, shipment_context
from vendors.services.payables import ZERO
from vendors.services.shipments import _order_sync_status

S = Shipment.Status
# How the money goes back (P5): shown on the confirmation page and in the API's errors.
CARD, CASH, COUNTER, UNPAID = "card", "cash", "counter", "unpaid"
REFUND_KEY = "shipment-cancel:{pk}"


@dataclass
class CancellationQuote:
    """What cancelling `shipments` gives back: `refund` to the card (goods + shipping),
    nothing for pay on delivery or an unpaid order; at the counter for a counter order."""

    order: Any
    shipments: list[Shipment]
    lines: list[ShipmentLine] = field(default_factory=list)
    method: str = CASH
    goods: Decimal = ZERO
    shipping: Decimal = ZERO
    currency: str = ""

    @property
    def refund(self) -> Decimal:
        return self.goods + self.shipping

    @property
    def whole_order(self) -> bool:
        return all(s.status == S.CANCELLED or s in self.shipments for s in self.order.shipments.all())


def _is_owner(order: Any, user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and order.user_id == user.pk)


def _require_owner(order: Any, user: Any) -> None:
    if not _is_owner(order, user):
        raise NotOrderOwner(_("Only the customer who placed order %(number)s can cancel it.")
                            % {"number": order.number})


def _clean_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())[:1000]
    if not reason:
        raise ReasonRequired(_("Say why you are cancelling; the vendor is told."))
    return reason


def _card_payment(order: Any, *, lock: bool = False) -> Payment | None:
    payments = payments_of(order).filter(status=Payment.Status.SUCCEEDED).order_by("-pk")
    if lock:
        payments = payments.select_for_update()
    return payments.first()


def payment_method(order: Any) -> str:
    """How the order was paid, for P5: card, pay on delivery (cash), at a counter, unpaid."""
    if order.status == order_status.PENDING_PAYMENT:
        return UNPAID
    if _card_payment(order) is not None:
        return CARD
    if order.sources.filter(amount_debited__gt=0).exclude(source_type__code="stripe").exists():
        return COUNTER
    return CASH


def cancellable_shipments(order: Any) -> list[Shipment]:
    """The order's shipments its customer may still cancel (P5), in order."""
    if order.status == order_status.CANCELLED:
        return []
    return [shipment for shipment in order.shipments.select_related("partner").order_by("pk") if shipment.can_cancel()]


def customer_can_cancel(order: Any, user: Any, shipment: Shipment | None = None) -> bool:
    """Whether `user` may cancel `shipment` (or, without one, the order as a whole) now.
    On an order waiting for its card payment only the whole order is cancelled."""
    if not _is_owner(order, user) or order.status == order_status.CANCELLED:
        return False
    if shipment is None:
        return bool(cancellable_shipments(order))
    return order.status != order_status.PENDING_PAYMENT and shipment.can_cancel()


def _quote(order: Any, shipments: list[Shipment], all_shipments: list[Shipment], method: str,
           payment: Payment | None) -> tuple[CancellationQuote, dict[int, tuple[Decimal, Decimal]]]:
    """The quote and each shipment's (goods, shipping) refund, in shipment order: goods
    first, then the order's shipping on the last one when no shipment is left."""
    quote = CancellationQuote(order=order, shipments=shipments, method=method, currency=order.currency)
    per_shipment: dict[int, tuple[Decimal, Decimal]] = {}
    targets = {shipment.pk for shipment in shipments}
    left = [s for s in all_shipments if s.pk not in targets and s.status != S.CANCELLED]
    items = list(ShipmentLine.objects.filter(shipment__in=shipments).select_related("line").order_by("pk"))
    quote.lines = items
    if method != CARD or payment is None:
        return quote, {shipment.pk: (ZERO, ZERO) for shipment in shipments}
    pending = (ShipmentRefund.objects.filter(payment=payment, sent_at__isnull=True)
               .exclude(shipment__in=shipments).aggregate(total=Sum("amount"))["total"] or ZERO)
    room = max(payment.refundable_amount - pending, ZERO)
    for index, shipment in enumerate(shipments):
        known = ShipmentRefund.objects.filter(shipment=shipment).first()
        if known is not None:
            per_shipment[shipment.pk] = (known.amount - known.shipping_amount, known.shipping_amount)
            continue
        goods = sum((max(item.gross_amount - item.refunded_amount, ZERO)
                     for item in items if item.shipment_id == shipment.pk), ZERO)
        shipping = ZERO
        if not left and index == len(shipments) - 1:
            shipping = max(order.shipping_incl_tax or ZERO, ZERO)
        goods = min(goods, room)
        shipping = min(shipping, room - goods)
        room -= goods + shipping
        per_shipment[shipment.pk] = (goods, shipping)
    quote.goods = sum((goods for goods, _shipping in per_shipment.values()), ZERO)
    quote.shipping = sum((shipping for _goods, shipping in per_shipment.values()), ZERO)
    return quote, per_shipment


def cancellation_quote(*, order: Any, shipment: Shipment | None = None) -> CancellationQuote:
    """What the confirmation page shows before the customer confirms (no lock, no write)."""
    all_shipments = list(order.shipments.select_related("partner").order_by("pk"))
    if shipment is None:
        targets = [s for s in all_shipments if s.can_cancel()]
    else:
        targets = [s for s in all_shipments if s.pk == shipment.pk]
    method = payment_method(order)
    quote, _per_shipment = _quote(order, targets, all_shipments, method, _card_payment(order))
    return quote


# ----------------------------------------------------------------------------- writes
def shipment_cancel_by_customer(*, shipment: Shipment, user: Any, reason: str) -> Shipment:
    """P5: the order's customer cancels this vendor's part before it leaves. A shipment
    already cancelled is returned as it is (no second refund, no second message)."""
    reason = _clean_reason(reason)
    order = Order.objects.get(pk=Shipment.objects.values_list("order_id", flat=True).get(pk=shipment.pk))
    _require_owner(order, user)
    _cancel(order_pk=order.pk, shipment_pk=shipment.pk, user=user, reason=reason)
    shipment.refresh_from_db()
    return shipment


def order_cancel_by_customer(*, order: Any, user: Any, reason: str) -> list[Shipment]:
    """P5: the customer cancels every shipment of the order still cancellable; an order
    waiting for its card payment is cancelled as a whole like its expiry. Call it with no
    transaction open (it may reach Stripe). Returns the shipments cancelled now."""
    reason = _clean_reason(reason)
    order = Order.objects.get(pk=order.pk)
    _require_owner(order, user)
    if order.status == order_status.PENDING_PAYMENT:
        cancelled = _cancel_unpaid(order=order, user=user, reason=reason)
        if cancelled is not None:
            return cancelled
    return _cancel(order_pk=order.pk, shipment_pk=None, user=user, reason=reason)


def _cancel_unpaid(*, order: Any, user: Any, reason: str) -> list[Shipment] | None:
    """The unpaid card order cancelled as its expiry does (its intents cancelled at Stripe,
    its stock given back, its shipments closed). None when Stripe says it was paid after
    all: the caller cancels it as a paid order instead."""
    from shop.payables import order_expire_unpaid  # shop imports vendors.services: load late

    if not order_expire_unpaid(order=order, reason=f"cancelled by the customer: {reason}"):
        order.refresh_from_db()
        if order.status == order_status.CANCELLED:
            return []
        return None
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        closed = list(Shipment.objects.select_for_update().filter(order=order, status=S.CANCELLED)
                      .select_related("partner").order_by("pk"))
        for shipment in closed:
            shipment.cancel_reason = reason
            shipment.save(update_fields=["cancel_reason"])
            SHIPMENT.log(shipment, "customer_cancel", actor=user, note=reason)
        quote = CancellationQuote(order=order, shipments=closed, method=UNPAID, currency=order.currency,
                                  lines=list(ShipmentLine.objects.filter(shipment__in=closed)
                                             .select_related("line").order_by("pk")))
        _confirm(order, quote, reason)
    return closed


def _cancel(*, order_pk: int, shipment_pk: int | None, user: Any, reason: str) -> list[Shipment]:
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_pk)
        _require_owner(order, user)
        all_shipments = list(Shipment.objects.select_for_update(of=("self",)).filter(order=order)
                             .select_related("partner").order_by("pk"))
        if shipment_pk is not None:
            targets = [s for s in all_shipments if s.pk == shipment_pk]
            if targets and targets[0].status == S.CANCELLED:
                return []
            if order.status == order_status.PENDING_PAYMENT:
                raise CancelWholeOrder(_("Order %(number)s is not paid yet: cancel the whole order instead.")
                                       % {"number": order.number})
            if targets and not targets[0].can_cancel():
                raise InvalidTransition(_("These items have already left the vendor, so they can't be cancelled; "
                                          "you can return them once they arrive."))
        else:
            if order.status == order_status.CANCELLED:
                return []
            targets = [s for s in all_shipments if s.can_cancel()]
            if not targets:
                if all(s.status == S.CANCELLED for s in all_shipments):
                    return []
                raise InvalidTransition(_("Every part of this order has already left its vendor, so nothing "
                                          "can be cancelled; you can return items once they arrive."))
        method = payment_method(order)
        payment = _card_payment(order, lock=True) if method == CARD else None
        quote, per_shipment = _quote(order, targets, all_shipments, method, payment)
        now = clock.now()
        for shipment in targets:
            shipment.order = order
            SHIPMENT.fire(shipment, "customer_cancel", actor=user, allowed=shipment_customer, note=reason,
                          fields={"cancelled_at": now, "cancel_reason": reason}, locked=True)
            for item in shipment.lines.select_related("line__stockrecord").order_by("pk"):
                if item.line.stockrecord_id:
                    item.line.cancel_allocation(item.line.quantity)
            goods, shipping = per_shipment[shipment.pk]
            if payment is not None and goods + shipping > 0:
                ShipmentRefund.objects.get_or_create(
                    shipment=shipment,
                    defaults={"payment": payment, "amount": goods + shipping, "shipping_amount": shipping,
                              "currency": payment.currency, "idempotency_key": REFUND_KEY.format(pk=shipment.pk)},
                )
            notify_vendor(shipment.partner, "vendor_shipment_cancelled_by_customer",
                          {**shipment_context(shipment), "reason": reason})
        _order_sync_status(order)
        _confirm(order, quote, reason)
        if payment is not None:
            transaction.on_commit(partial(shipment_refunds_send, order_pk=order.pk))
        return targets


def book_refund_for_vendor_cancel(*, order: Any, shipment: Shipment) -> bool:
    """A vendor (or staff) cancelled `shipment` of a card-paid order: its goods come back
    to the card exactly as when the customer cancels it (the same `ShipmentRefund`, key and
    sending after commit), so the customer's "anything you paid will be refunded" holds.
    Call it inside the cancelling transaction, with the order and the shipment locked.
    Returns whether a refund was booked."""
    if payment_method(order) != CARD:
        return False  # pay on delivery: nothing charged; at a counter: offices owes it there
    payment = _card_payment(order, lock=True)
    all_shipments = list(Shipment.objects.filter(order=order).order_by("pk"))
    _quote_unused, per_shipment = _quote(order, [shipment], all_shipments, CARD, payment)
    goods, shipping = per_shipment[shipment.pk]
    if payment is None or goods + shipping <= 0:
        return False
    ShipmentRefund.objects.get_or_create(
        shipment=shipment,
        defaults={"payment": payment, "amount": goods + shipping, "shipping_amount": shipping,
                  "currency": payment.currency, "idempotency_key": REFUND_KEY.format(pk=shipment.pk)},
    )
    transaction.on_commit(partial(shipment_refunds_send, order_pk=order.pk))
    return True


def _confirm(order: Any, quote: CancellationQuote, reason: str) -> None:
    notify_customer(order, "customer_order_cancel_confirmed", {
        "shipments": quote.shipments, "lines": quote.lines, "reason": reason, "method": quote.method,
        "refund": quote.refund, "currency": quote.currency, "order_cancelled": order.status == order_status.CANCELLED,
    })


# ----------------------------------------------------------------------------- refunds
def shipment_refunds_send(*, order_pk: int | None = None) -> list[ShipmentRefund]:
    """Send the pending shipment refunds (of one order, or all) to Stripe and record each
    result. Call it with no transaction open. Returns those still pending (Stripe refused
    or could not be reached: the next run sends the same key again)."""
    pending = ShipmentRefund.objects.filter(sent_at__isnull=True).select_related("payment", "shipment__order")
    if order_pk is not None:
        pending = pending.filter(shipment__order_id=order_pk)
    left: list[ShipmentRefund] = []
    for intent in list(pending.order_by("pk")):
        if not _send(intent):
            left.append(intent)
    return left


def _send(intent: ShipmentRefund) -> bool:
    return refund_intent_send(intent, reason=f"{intent.shipment.order.number}: {intent.shipment.cancel_reason}")


def shipment_refund_line_ids(*, payment_refund_key: str) -> list[int] | None:
    """The order lines a card refund is for, when it is a shipment's P5 refund (by the
    key payments wrote: "refund:" + ours); None for any other refund."""
    key = payment_refund_key.removeprefix("refund:")
    shipment_pk = ShipmentRefund.objects.filter(idempotency_key=key).values_list("shipment_id", flat=True).first()
    if shipment_pk is None:
        return None
    return list(ShipmentLine.objects.filter(shipment_id=shipment_pk).values_list("line_id", flat=True))
