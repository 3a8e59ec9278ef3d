"""P4: a goods order placed on a customer's behalf, at a partner office's counter (a
clerk) or on the phone (an operator): the customer's own basket and order, placed through
the shop's one order path (vendors.services.order_place), delivered to the customer's
address or picked up at the office, paid at the counter; the order says who placed it
and where (an Oscar order note and a CounterOrder row)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from oscar.apps.shipping.methods import Free
from oscar.core.loading import get_class, get_model

from core.permissions import Ability, has_ability
from offices.errors import NotAllowed, OfficeError
from offices.models import CounterOrder
from offices.services._common import clerk_office
from vendors.services import order_place

Basket = get_model("basket", "Basket")
Country = get_model("address", "Country")
ShippingAddress = get_model("order", "ShippingAddress")
OrderNote = get_model("order", "OrderNote")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventType = get_model("order", "PaymentEventType")
PAID_AT_COUNTER = "office-counter"
# Stored once in English in Oscar's tables; the order page shows them translated (status_name).
SOURCE_NAME = gettext_noop("Paid at a partner office's counter")
EVENT_NAME = gettext_noop("Paid at the office counter")
NOTE_TYPE = gettext_noop("System")  # OrderNote.SYSTEM: Oscar keeps such notes read-only


def _iran():
    country, _created = Country.objects.get_or_create(
        iso_3166_1_a2="IR", defaults={"name": "Iran", "printable_name": "Iran", "is_shipping_country": True})
    return country


def counter_order_place(*, user, customer, items: Sequence[tuple], delivery: str, address: str = "",
                        city: str = "", paid_at_counter: bool = True):
    """Place the order for `customer` of `items` [(product, quantity)]. A clerk's order is
    paid at their counter and may be picked up there; an operator's is delivered."""
    office = clerk_office(user)
    if office is None and not has_ability(user, Ability.FILE_FOR_CALLER):
        raise NotAllowed(_("Only a partner-office clerk or an operator can order for a customer."))
    items = [(product, int(quantity)) for product, quantity in items if int(quantity) > 0]
    if not items:
        raise OfficeError(_("Choose at least one product."), code="empty_order")
    if delivery not in CounterOrder.Delivery.values:
        raise OfficeError(_("Choose how the order reaches the customer."), code="delivery_required")
    if delivery == CounterOrder.Delivery.PICKUP and office is None:
        raise OfficeError(_("Pick-up is only possible at a partner office."), code="pickup_needs_office")
    if delivery == CounterOrder.Delivery.ADDRESS and not (address or "").strip():
        raise OfficeError(_("Enter the delivery address."), code="address_required")
    profile = getattr(customer, "profile", None)
    Selector = get_class("partner.strategy", "Selector")
    OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
    with transaction.atomic():
        basket = Basket.objects.create(owner=customer)
        basket.strategy = Selector().strategy(user=customer)
        for product, quantity in items:
            basket.add_product(product, quantity)
        basket.reset_offer_applications()
        if delivery == CounterOrder.Delivery.PICKUP:
            line1, line4, state = office.address, office.county.name, office.province.name
        else:
            line1, line4, state = address.strip(), (city or "").strip(), (city or "").strip()
        shipping_address = ShippingAddress.objects.create(
            first_name=customer.first_name or customer.get_username(), last_name=customer.last_name,
            line1=line1[:255], line4=line4[:255], state=state[:255], country=_iran(),
            phone_number=getattr(profile, "phone", "") or "",
        )
        method = Free()
        charge = method.calculate(basket)
        total = OrderTotalCalculator().calculate(basket, charge)
        order = order_place(basket=basket, user=customer, shipping_address=shipping_address, shipping_method=method,
                            shipping_charge=charge, order_total=total)
        basket.submit()
        where = office.name if office is not None else str(_("by phone"))
        who = user.get_full_name() or user.get_username()
        OrderNote.objects.create(order=order, user=user, note_type=NOTE_TYPE, message=str(
            _("Placed for the customer by %(who)s (%(where)s); %(delivery)s.")
            % {"who": who, "where": where, "delivery": CounterOrder.Delivery(delivery).label}))
        paid = bool(paid_at_counter and office is not None)
        if paid:
            source_type, _created = SourceType.objects.get_or_create(
                code=PAID_AT_COUNTER, defaults={"name": SOURCE_NAME})
            Source.objects.create(order=order, source_type=source_type, currency=total.currency,
                                  amount_allocated=total.incl_tax, amount_debited=total.incl_tax,
                                  reference=office.code)
            event_type, _created = PaymentEventType.objects.get_or_create(
                code=PAID_AT_COUNTER, defaults={"name": EVENT_NAME})
            PaymentEvent.objects.create(order=order, event_type=event_type, amount=total.incl_tax,
                                        reference=office.code)
        return CounterOrder.objects.create(order=order, office=office, placed_by=user, delivery=delivery,
                                           paid_at_counter=paid)
