"""A vendor's part of an order moving through its named transitions (vendors.machines
.SHIPMENT): confirm, ship, deliver, cancel; the system closing the open shipments of a
cancelled order; a line's installation logged as done. The Oscar order follows.

Locks, always in this order: the order, then the shipment, then its lines (sibling
shipments of one order moving at once must agree on the order's status). Firing a step
that already happened (or that a later step made moot) returns the shipment and posts,
sends and logs nothing more. A vendor's own users may fire; platform staff need
act_for_vendor.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from oscar.apps.order.exceptions import InvalidOrderStatus

from core import clock
from payments.payables import PaidEvent, announce_paid
from shop import order_status
from vendors.errors import InstallationNotRequested, InvalidTransition, OrderNotPaid, ReasonRequired, TrackingRequired
from vendors.machines import SHIPMENT, shipment_party
from vendors.models import Shipment, ShipmentLine
from vendors.services._common import Order, notify_customer, notify_vendor, require_vendor_or, shipment_context
from vendors.services.payables import ZERO, credit_sale

logger = logging.getLogger(__name__)

S = Shipment.Status


def _lock_for_transition(shipment: Shipment) -> tuple[Any, Shipment]:
    """Lock the order, then the shipment."""
    order = Order.objects.select_for_update().get(pk=shipment.order_id)
    locked = SHIPMENT.lock(shipment)
    locked.order = order
    return order, locked


def _fire(shipment: Shipment, name: str, *, user: Any, note: str = "", fields: dict | None = None) -> None:
    SHIPMENT.fire(shipment, name, actor=user, allowed=shipment_party, note=note, fields=fields, locked=True)


def _refuse(shipment: Shipment, message: str) -> InvalidTransition:
    """`message` names the refused step and takes the shipment's current %(status)s."""
    return InvalidTransition(message % {"status": shipment.get_status_display()})


def _check_order_open(order: Any) -> None:
    if order.status == order_status.PENDING_PAYMENT:
        raise OrderNotPaid(_("Order %(number)s is waiting for the customer's payment.") % {"number": order.number})
    if order.status == order_status.CANCELLED:
        raise InvalidTransition(_("Order %(number)s was cancelled.") % {"number": order.number})


def _order_sync_status(order: Any) -> None:
    """Move the Oscar order along its pipeline as its shipments progress: processing once
    one is confirmed, shipped when all are on their way, delivered when all arrived,
    cancelled when every shipment was cancelled."""
    statuses = list(order.shipments.values_list("status", flat=True))
    active = [status for status in statuses if status != S.CANCELLED]
    if not active:
        target = order_status.CANCELLED
    elif all(status == S.DELIVERED for status in active):
        target = order_status.DELIVERED
    elif all(status in (S.SHIPPED, S.DELIVERED) for status in active):
        target = order_status.SHIPPED
    elif any(status != S.PENDING for status in active):
        target = order_status.BEING_PROCESSED
    else:
        return
    progress = order_status.PROGRESS
    try:
        if target == order_status.CANCELLED:
            if target in order.available_statuses():
                order.set_status(target)
            return
        if order.status not in progress:
            return
        for status in progress[progress.index(order.status) + 1: progress.index(target) + 1]:
            order.set_status(status)
    except InvalidOrderStatus:
        # A customised pipeline without these steps: shipments still carry the truth.
        logger.warning("Order %s can't move to %s from %s", order.number, target, order.status)


def shipment_confirm(*, shipment: Shipment, user: Any) -> Shipment:
    """pending -> confirmed: the vendor accepts its part of the order."""
    with transaction.atomic():
        order, shipment = _lock_for_transition(shipment)
        require_vendor_or(user, shipment.partner)
        if shipment.status in (S.CONFIRMED, S.SHIPPED, S.DELIVERED):
            return shipment
        if not shipment.can_confirm():
            raise _refuse(shipment, _("This shipment is %(status)s, so it can't be confirmed."))
        _check_order_open(order)
        _fire(shipment, "confirm", user=user, fields={"confirmed_at": clock.now()})
        _order_sync_status(order)
        return shipment


def shipment_ship(*, shipment: Shipment, user: Any, tracking_reference: str, carrier: str = "") -> Shipment:
    """confirmed -> shipped, with the tracking reference the customer can follow. The
    stock allocated at checkout is consumed now."""
    tracking_reference = (tracking_reference or "").strip()
    if not tracking_reference:
        raise TrackingRequired(_("Enter the tracking reference the customer can follow."))
    with transaction.atomic():
        order, shipment = _lock_for_transition(shipment)
        require_vendor_or(user, shipment.partner)
        if shipment.status in (S.SHIPPED, S.DELIVERED):
            return shipment
        if not shipment.can_ship():
            if shipment.status == S.PENDING:
                raise InvalidTransition(_("Confirm the shipment before shipping it."))
            raise _refuse(shipment, _("This shipment is %(status)s, so it can't be shipped."))
        _check_order_open(order)
        carrier = (carrier or "").strip()[:100]
        tracking_reference = tracking_reference[:128]
        _fire(
            shipment, "ship", user=user, note=f"{carrier} {tracking_reference}".strip(),
            fields={"tracking_reference": tracking_reference, "carrier": carrier, "shipped_at": clock.now()},
        )
        for item in shipment.lines.select_related("line__stockrecord").order_by("pk"):
            line = item.line
            if line.stockrecord_id and line.is_allocation_consumption_possible(line.quantity):
                line.consume_allocation(line.quantity)
        _order_sync_status(order)
        notify_customer(order, "customer_shipment_shipped", shipment_context(shipment))
        return shipment


def shipment_deliver(*, shipment: Shipment, user: Any) -> Shipment:
    """shipped -> delivered: the warranty starts, and the vendor's held payable is
    credited per line (released after the return window by payable_release_due)."""
    with transaction.atomic():
        order, shipment = _lock_for_transition(shipment)
        require_vendor_or(user, shipment.partner)
        if shipment.status == S.DELIVERED:
            return shipment
        if not shipment.can_deliver():
            raise _refuse(shipment, _("This shipment is %(status)s, so it can't be marked delivered."))
        _check_order_open(order)
        _fire(shipment, "deliver", user=user, fields={"delivered_at": clock.now()})
        items = ShipmentLine.objects.select_for_update().filter(shipment=shipment).order_by("pk")
        gross = ZERO
        for item in items.select_related("line__order"):
            credit_sale(item, shipment.partner, order.currency, shipment.delivered_at, user)
            gross += item.gross_amount
        if gross > ZERO and order.sources.filter(source_type__code="cod").exists():
            # Paid on delivery: the courier collected this shipment's part now.
            announce_paid(PaidEvent(payable=order, key=f"cod-shipment:{shipment.pk}", amount=gross,
                                    currency=order.currency, method="cash", detail={"shipment": shipment.pk}))
        _order_sync_status(order)
        notify_customer(order, "customer_shipment_delivered", shipment_context(shipment))
        return shipment


def shipment_cancel(*, shipment: Shipment, user: Any, reason: str) -> Shipment:
    """pending/confirmed -> cancelled (never once shipped); the stock goes back on sale."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(_("Say why the shipment is cancelled; the customer is told."))
    with transaction.atomic():
        order, shipment = _lock_for_transition(shipment)
        require_vendor_or(user, shipment.partner)
        if shipment.status == S.CANCELLED:
            return shipment
        if not shipment.can_cancel():
            raise InvalidTransition(_("This shipment has already left the vendor; arrange a return instead."))
        # An unpaid card order is cancelled as a whole by its payment expiry, which gives
        # its stock back once; cancelling a part of it here too would give it back twice.
        _check_order_open(order)
        _fire(shipment, "cancel", user=user, note=reason,
              fields={"cancelled_at": clock.now(), "cancel_reason": reason})
        for item in shipment.lines.select_related("line__stockrecord").order_by("pk"):
            if item.line.stockrecord_id:
                item.line.cancel_allocation(item.line.quantity)
        # Loaded here: cancellation builds on this module (its status sync).
        from vendors.services.cancellation import book_refund_for_vendor_cancel

        book_refund_for_vendor_cancel(order=order, shipment=shipment)
        _order_sync_status(order)
        notify_customer(order, "customer_shipment_cancelled", {**shipment_context(shipment), "reason": reason})
        return shipment


def order_cancelled_close_shipments(*, order: Any, note: str = "order cancelled") -> int:
    """An order cancelled as a whole (e.g. an unpaid card order expired by payments/)
    closes its vendors' shipments that haven't left yet, so no vendor prepares goods for
    it. Stock is not touched: whoever cancelled the order released it. Returns how many
    shipments were closed; a second call closes none."""
    closed = 0
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status != order_status.CANCELLED:
            return 0
        shipments = Shipment.objects.select_for_update().filter(order=order, status__in=[S.PENDING, S.CONFIRMED])
        for shipment in shipments.order_by("pk"):
            # The system acts (no actor): the order's cancellation already decided.
            SHIPMENT.fire(shipment, "close", note=note, locked=True,
                          fields={"cancelled_at": clock.now(), "cancel_reason": note})
            closed += 1
    return closed


def on_order_status_changed(sender: Any, order: Any, old_status: str, new_status: str, **kwargs: Any) -> None:
    """Receiver for Oscar's `order_status_changed` signal (we don't own its sender;
    connected in VendorsConfig.ready): a paid card order tells its vendors, a cancelled order
    closes their shipments."""
    if new_status == order_status.CANCELLED:
        order_cancelled_close_shipments(order=order)
    elif old_status == order_status.PENDING_PAYMENT:
        for shipment in Shipment.objects.filter(order=order).select_related("partner", "order").order_by("pk"):
            notify_vendor(shipment.partner, "vendor_new_order_lines", shipment_context(shipment))


def installation_mark_done(*, shipment_line: ShipmentLine, user: Any) -> ShipmentLine:
    """The vendor's installation task (P1) is done (logged as the shipment's "install")."""
    shipment_id = ShipmentLine.objects.values_list("shipment_id", flat=True).get(pk=shipment_line.pk)
    with transaction.atomic():
        shipment = SHIPMENT.lock(shipment_id)  # the shipment before its line, as shipment_deliver does
        item = ShipmentLine.objects.select_for_update().select_related("line").get(pk=shipment_line.pk)
        item.shipment = shipment
        require_vendor_or(user, shipment.partner)
        if not item.installation_requested:
            raise InstallationNotRequested(_("The customer didn't ask for installation of this item."))
        if item.installation_status == ShipmentLine.InstallationStatus.DONE:
            return item
        if shipment.status not in (S.SHIPPED, S.DELIVERED):
            raise InvalidTransition(_("Install the item once it has been shipped to the customer."))
        item.installation_status = ShipmentLine.InstallationStatus.DONE
        item.installed_at = clock.now()
        item.save(update_fields=["installation_status", "installed_at"])
        _fire(shipment, "install", user=user, note=f"installation done: {item.line.title}")
        return item
