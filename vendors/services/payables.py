"""What the platform owes a vendor (S17, issue 4 point 8): a delivered line credits the
vendor's HELD payable (price minus commission, plus installation); after the return window
it moves to AVAILABLE (payable_release_due); a refund takes the vendor's share back.

Every posting goes through ledger.services with an idempotency key naming the business
event ("vendor-sale:<order line id>", "vendor-release:<order line id>",
"vendor-refund:..."), so a repeat posts nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from core import clock
from core.money import is_whole_minor, quantize
from core.permissions import Ability
from ledger import codes
from ledger import services as ledger
from ledger.models import Transfer
from vendors import conf
from vendors.errors import RefundNotAllowed
from vendors.models import Shipment, ShipmentLine
from vendors.services._common import actor, nonzero_legs, platform_account, require, vendor_accounts

ZERO = Decimal("0.00")


def commission_for(*, price: Decimal, rate: Decimal, currency: str | None = None) -> Decimal:
    """The platform's commission on a sale, rounded half up to the currency's smallest unit."""
    return quantize(Decimal(price) * Decimal(rate), currency or conf.currency())


def credit_sale(item: ShipmentLine, partner: Any, currency: str, delivered_at: dt.datetime, user: Any) -> None:
    """S17/issue 4 point 8: the vendor's HELD payable gets the line's price minus
    commission, plus any installation; the commission goes to the platform."""
    price = item.line.line_price_incl_tax
    installation = item.installation_price
    if item.refunded_amount > 0:
        # Refunded before delivery (order_refund_allocate): the vendor is credited only
        # for what the customer still pays, goods first, then installation.
        price_refunded = min(item.refunded_amount, price)
        price -= price_refunded
        installation -= min(item.refunded_amount - price_refunded, installation)
    commission = commission_for(price=price, rate=item.commission_rate, currency=currency)
    credit = price - commission + installation
    gross = price + installation
    if gross > 0:
        held, _available = vendor_accounts(partner, currency)
        ledger.transfer_post(
            idempotency_key=f"vendor-sale:{item.line_id}",
            kind="vendor_sale",
            legs=nonzero_legs(
                (platform_account(codes.PLATFORM_SALES, currency), -gross),
                (held, credit),
                (platform_account(codes.PLATFORM_COMMISSION, currency), commission),
            ),
            memo=f"{item.line.order.number}: {item.line.title} × {item.line.quantity}",
            user=actor(user),
            metadata={"order": item.line.order.number, "line": item.line_id, "partner": partner.pk},
        )
    item.commission_amount = commission
    item.credited_amount = credit
    item.held_amount = credit
    item.release_due_at = delivered_at + dt.timedelta(days=item.return_window_days)
    item.save(update_fields=["commission_amount", "credited_amount", "held_amount", "release_due_at"])



def payable_release_due(*, now: dt.datetime | None = None) -> int:
    """Move HELD -> AVAILABLE for every delivered line whose return window has passed.
    Returns how many lines were released. Safe to run again (and concurrently): each line
    is locked and released once, under the key "vendor-release:<order line id>"."""
    now = clock.now(now)
    due = list(
        ShipmentLine.objects.filter(released_at__isnull=True, release_due_at__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    released = 0
    for pk in due:
        with transaction.atomic():
            item = (
                ShipmentLine.objects.select_for_update()
                .select_related("shipment__partner", "shipment__order", "line")
                .get(pk=pk)
            )
            if item.released_at is not None:
                continue
            if item.held_amount > 0:
                partner = item.shipment.partner
                held, available = vendor_accounts(partner, item.shipment.order.currency)
                ledger.transfer_move(
                    idempotency_key=f"vendor-release:{item.line_id}",
                    kind="vendor_release",
                    source=held,
                    destination=available,
                    amount=item.held_amount,
                    memo=f"{item.shipment.order.number}: {item.line.title}",
                    metadata={"line": item.line_id, "partner": partner.pk},
                )
            item.held_amount = ZERO
            item.released_at = now
            item.save(update_fields=["held_amount", "released_at"])
            released += 1
    return released


def order_refund_debit(*, line: Any, amount: Decimal, user: Any, idempotency_key: str | None = None) -> None:
    """A refund of a delivered line takes the vendor's share back: from HELD while the
    return window is open, from AVAILABLE after; the platform returns its commission share.
    Nothing was credited for an undelivered line, so nothing is debited. The key defaults
    to the line and amount; pass the refund's own id when one line is refunded the same
    amount twice."""
    if user is not None:
        require(user, Ability.REFUND_PAYMENT)
    amount = Decimal(amount)
    if amount <= 0 or not is_whole_minor(amount, conf.currency()):
        raise RefundNotAllowed(_("Enter a refund greater than zero, in whole cents."))
    key = f"vendor-refund:{line.pk}:{idempotency_key or amount}"
    with transaction.atomic():
        item = (
            ShipmentLine.objects.select_for_update()
            .select_related("shipment__partner", "shipment__order", "line")
            .filter(line_id=line.pk)
            .first()
        )
        if item is None or item.shipment.status != Shipment.Status.DELIVERED or item.release_due_at is None:
            return
        if Transfer.objects.filter(idempotency_key=key).exists():
            return
        gross = item.gross_amount
        if amount > gross - item.refunded_amount:
            raise RefundNotAllowed(
                _("At most %(amount)s can still be refunded for this line.") % {"amount": gross - item.refunded_amount}
            )
        currency = item.shipment.order.currency
        vendor_share = quantize(amount * item.credited_amount / gross, currency)
        commission_share = amount - vendor_share
        held, available = vendor_accounts(item.shipment.partner, currency)
        source = held if item.released_at is None else available
        ledger.transfer_post(
            idempotency_key=key,
            kind="vendor_refund",
            legs=nonzero_legs(
                (source, -vendor_share),
                (platform_account(codes.PLATFORM_COMMISSION, currency), -commission_share),
                (platform_account(codes.PLATFORM_SALES, currency), amount),
            ),
            memo=f"refund {item.shipment.order.number}: {item.line.title}",
            user=actor(user),
            metadata={"line": item.line_id, "partner": item.shipment.partner_id},
        )
        item.refunded_amount += amount
        if source == held:
            item.held_amount -= vendor_share
        item.save(update_fields=["refunded_amount", "held_amount"])


def order_refund_allocate(*, order: Any, amount: Decimal, user: Any, idempotency_key: str,
                          line_ids: Iterable[int] | None = None) -> Decimal:
    """Spread a refund of a paid order over its lines and take each share back from its
    vendor (issue 4 point 8). Called by the payments app for every card refund of an
    order, staff's or one made in Stripe's own dashboard.

    A refund names no lines, so it falls first on lines not yet delivered (what is usually
    refunded before it arrives: recorded on the line, so delivery later credits the vendor
    only what was not refunded), then on delivered lines (debited from the vendor's
    balance), each in line order and up to what is still refundable on it. Returns the
    part that fell on vendors' lines; the rest (shipping) was never a vendor's.

    `line_ids` names the order lines a refund is for (P5: the lines of a shipment its
    customer cancelled, cancelled ones included): it then falls on those lines only,
    never on other vendors' lines."""
    remaining = Decimal(amount)
    allocated = ZERO
    queryset = ShipmentLine.objects.select_for_update().filter(shipment__order=order)
    if line_ids is None:
        queryset = queryset.exclude(shipment__status=Shipment.Status.CANCELLED)
    else:
        queryset = queryset.filter(line_id__in=list(line_ids))
    items = list(queryset.select_related("line", "shipment").order_by("line_id"))
    undelivered = [item for item in items if item.release_due_at is None]
    delivered = [item for item in items if item.release_due_at is not None]
    for item in undelivered:
        share = min(item.gross_amount - item.refunded_amount, remaining)
        if share <= 0:
            continue
        item.refunded_amount += share
        item.save(update_fields=["refunded_amount"])
        remaining -= share
        allocated += share
    for item in delivered:
        share = min(item.gross_amount - item.refunded_amount, remaining)
        if share <= 0:
            continue
        order_refund_debit(line=item.line, amount=share, user=user, idempotency_key=f"{idempotency_key}:{item.line_id}")
        remaining -= share
        allocated += share
    return allocated
