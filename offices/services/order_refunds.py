"""Refunds of counter orders paid at the counter (P4).

The decision stays where it is for every order: a vendor (or staff acting for one)
cancels a shipment before it leaves, an order is cancelled as a whole (its shipments are
closed), or staff with `refund_payment` refund a line. For an order paid by card that
refund goes back through Stripe (payments.refund_create); for an order paid at a partner
office's counter there is nothing to send it through, so the decision records a refund
*owed at the counter*. The originating office's clerk hands it back the way it was paid
(cash from the till, or a refund on the same card terminal with its receipt number) and
records it: a counter refund of the office (reconciled with the till and the terminal),
a note on the order, the vendors' shares taken back as for a card refund
(vendors.services.order_refund_allocate), and a message to the customer.

Amounts never exceed what was paid at the counter less what is already owed or given
back (checked under the counter payment's row lock; the counter payment's own check
constraint holds the refunds within it). Each decision has a key, unique in the database,
so it is owed once; handing back sets a one-to-one refund, so it is recorded once.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from core.permissions import Ability, require_ability
from notifications.services import notify
from offices.errors import InvalidRefund, NotAllowed
from offices.models import CounterOrder, CounterPayment, CounterRefund, CounterRefundOwed
from offices.services._common import require_clerk
from offices.services.counter import clean_reference
from offices.services.orders import NOTE_TYPE
from vendors.models import Shipment, ShipmentLine
from vendors.services import order_refund_allocate

ZERO = Decimal("0")
OrderNote = get_model("order", "OrderNote")
Line = get_model("order", "Line")


def _counter_payment(order) -> CounterPayment | None:
    """The order's payment at a counter, locked; None when it was paid another way."""
    if not CounterOrder.objects.filter(order=order, paid_at_counter=True).exists():
        return None
    return CounterPayment.objects.select_for_update().filter(order=order).order_by("pk").first()


def counter_refund_room(payment: CounterPayment) -> Decimal:
    """What can still be owed back on `payment`: paid, less owed or given back already."""
    owed = payment.owed_refunds.aggregate(total=Sum("amount"))["total"] or ZERO
    return payment.amount - owed


def _note(order, user, message: str) -> None:
    OrderNote.objects.create(order=order, user=user if getattr(user, "pk", None) else None,
                             note_type=NOTE_TYPE, message=message)


def _owe(*, payment: CounterPayment, order, amount: Decimal, key: str, reason: str, user,
         reverses_vendor_share: bool, cap: bool) -> CounterRefundOwed | None:
    """Record `amount` owed back at the counter for the decision `key` (once). `cap` takes
    what is left when less is (a cancelled shipment after a staff refund); otherwise more
    than is left is refused."""
    known = CounterRefundOwed.objects.filter(key=key).first()
    if known is not None:
        return known
    room = counter_refund_room(payment)
    if amount > room:
        if not cap:
            raise InvalidRefund(_("At most %(amount)s %(currency)s paid at the counter can still be refunded.")
                                % {"amount": room, "currency": payment.currency})
        amount = room
    if amount <= ZERO:
        return None
    owed = CounterRefundOwed.objects.create(
        payment=payment, order=order, amount=amount, key=key, reason=reason[:255],
        reverses_vendor_share=reverses_vendor_share, decided_by=user if getattr(user, "pk", None) else None)
    _note(order, user, gettext("Refund of %(amount)s %(currency)s owed at %(office)s's counter: %(reason)s")
          % {"amount": amount, "currency": payment.currency, "office": payment.office.name, "reason": reason})
    return owed


def on_shipment_fired(shipment: Shipment, event, spec) -> None:
    """The shipment machine's hook (vendors.machines.SHIPMENT.on_fired): a shipment of a
    counter-paid order cancelled before it left (by its vendor, staff, its customer (P5),
    or the order's cancellation closing it) owes what its lines cost back at the counter.
    Runs in the cancelling transaction, which holds the order's lock."""
    if spec.name not in ("cancel", "customer_cancel", "close"):
        return
    payment = _counter_payment(shipment.order)
    if payment is None:
        return
    items = ShipmentLine.objects.filter(shipment=shipment).select_related("line")
    amount = sum((item.gross_amount - item.refunded_amount for item in items), ZERO)
    if amount <= ZERO:
        return
    _owe(payment=payment, order=shipment.order, amount=amount, key=f"shipment:{shipment.pk}",
         reason=shipment.cancel_reason or event.note or gettext("shipment cancelled"), user=event.actor,
         reverses_vendor_share=False, cap=True)


def counter_order_refund_line(*, staff_user, line, amount: Decimal, reason: str) -> CounterRefundOwed:
    """Staff refund `amount` of a line of a counter-paid order (the counterpart of a card
    refund in the payments dashboard): owed back at the originating office's counter."""
    require_ability(staff_user, Ability.REFUND_PAYMENT, error=NotAllowed)
    amount = Decimal(amount)
    reason = (reason or "").strip()
    if amount <= ZERO:
        raise InvalidRefund(_("Enter an amount greater than zero."))
    if not reason:
        raise InvalidRefund(_("Say why the line is refunded; the customer is told."))
    with transaction.atomic():
        order = type(line.order).objects.select_for_update().get(pk=line.order_id)
        payment = _counter_payment(order)
        if payment is None:
            raise InvalidRefund(_("This order was not paid at a partner office's counter."))
        line = Line.objects.get(pk=line.pk)
        already = (CounterRefundOwed.objects.filter(order=order, key__startswith=f"staff:{line.pk}:")
                   .aggregate(total=Sum("amount"))["total"] or ZERO)
        if amount > line.line_price_incl_tax - already:
            raise InvalidRefund(_("At most %(amount)s %(currency)s can still be refunded for this line.")
                                % {"amount": line.line_price_incl_tax - already, "currency": order.currency})
        number = CounterRefundOwed.objects.filter(key__startswith=f"staff:{line.pk}:").count() + 1
        return _owe(payment=payment, order=order, amount=amount, key=f"staff:{line.pk}:{number}",
                    reason=f"{line.title}: {reason}", user=staff_user, reverses_vendor_share=True, cap=False)


def counter_refund_hand_back(*, clerk_user, owed: CounterRefundOwed, reference: str = "") -> CounterRefund:
    """The originating office's clerk gives the refund back the way the order was paid and
    records it. Recording it again returns the refund already recorded."""
    office = require_clerk(clerk_user)
    with transaction.atomic():
        owed = CounterRefundOwed.objects.select_for_update().select_related("order").get(pk=owed.pk)
        payment = CounterPayment.objects.select_for_update().select_related("office").get(pk=owed.payment_id)
        if payment.office_id != office.pk:
            raise NotAllowed(_("Only the office where the order was paid gives its refund back."))
        if owed.refund_id is not None:
            return owed.refund
        reference = clean_reference(payment.method, reference)
        refund = CounterRefund.objects.create(payment=payment, amount=owed.amount, reference=reference,
                                              recorded_by=clerk_user)
        payment.amount_refunded += owed.amount
        payment.save(update_fields=["amount_refunded"])
        owed.refund = refund
        owed.save(update_fields=["refund"])
        order = owed.order
        if owed.reverses_vendor_share:
            order_refund_allocate(order=order, amount=owed.amount, user=None,
                                  idempotency_key=f"counter-refund:{refund.pk}")
        how = (gettext("refunded on the card terminal, receipt %(reference)s") % {"reference": reference}
               if reference else gettext("handed back in cash"))
        who = clerk_user.get_full_name() or clerk_user.get_username()
        _note(order, clerk_user,
              gettext("Refund of %(amount)s %(currency)s given back at %(office)s by %(who)s: %(how)s")
              % {"amount": owed.amount, "currency": payment.currency, "office": office.name, "who": who, "how": how})
        if order.user_id:
            notify(event="offices_counter_refund_returned", recipient=order.user,
                   context={"order": order, "amount": owed.amount, "currency": payment.currency, "office": office,
                            "terminal": bool(reference), "reference": reference})
        return refund


def counter_refunds_owed(office) -> list[CounterRefundOwed]:
    """The refunds of counter orders this office still owes its customers, oldest first."""
    return list(CounterRefundOwed.objects.filter(payment__office=office, refund__isnull=True)
                .select_related("order__user", "payment").order_by("created", "pk"))


def counter_refunds_returned(office, limit: int = 50) -> list[CounterRefundOwed]:
    return list(CounterRefundOwed.objects.filter(payment__office=office, refund__isnull=False)
                .select_related("order__user", "payment", "refund__recorded_by").order_by("-created", "-pk")[:limit])
