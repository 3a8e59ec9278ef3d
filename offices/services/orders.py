"""P4: a goods order placed on a customer's behalf, at a partner office's counter (a
clerk) or on the phone (an operator).

The clerk fills an Oscar basket for the customer (lines added, changed, removed; vouchers
and offers applied for the customer by Oscar's own Applicator), chooses delivery to one of
the customer's addresses or pick-up at the office, and checks out through the shop's one
order path (vendors.services.order_place: the same stock locks and per-vendor split as
the site's checkout). Payment: at the counter in cash or on the office's card terminal
(recorded as a counter payment of the office), or, for an operator on the phone, a pay
link to the site's pay page sent by SMS and email, or pay on delivery when the site
offers it. The order says who placed it and where (an Oscar order note and a CounterOrder)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from oscar.apps.shipping.methods import Free
from oscar.core.loading import get_class, get_model

from core.permissions import Ability, has_ability
from notifications.services import notify
from offices.errors import NotAllowed, OfficeError
from offices.models import CounterBasket, CounterOrder, CounterPayment, PartnerOffice
from offices.services._common import clerk_office
from offices.services.counter import clean_reference
from shop import order_status
from shop.checkout.payment_methods import CARD, PAY_ON_DELIVERY, available_payment_methods, is_offered
from vendors.errors import VendorError
from vendors.services import order_place

Basket = get_model("basket", "Basket")
Country = get_model("address", "Country")
UserAddress = get_model("address", "UserAddress")
ShippingAddress = get_model("order", "ShippingAddress")
OrderNote = get_model("order", "OrderNote")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventType = get_model("order", "PaymentEventType")
Voucher = get_model("voucher", "Voucher")
Applicator = get_class("offer.applicator", "Applicator")
Selector = get_class("partner.strategy", "Selector")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")

PAID_AT_COUNTER = "office-counter"
PAID_ON_TERMINAL = "office-terminal"
# Stored once in English in Oscar's tables; the order page shows them translated (status_name).
SOURCE_NAME = gettext_noop("Paid at a partner office's counter")
EVENT_NAME = gettext_noop("Paid at the office counter")
TERMINAL_SOURCE_NAME = gettext_noop("Paid by card on a partner office's terminal")
TERMINAL_EVENT_NAME = gettext_noop("Paid by card on the office's terminal")
NOTE_TYPE = gettext_noop("System")  # OrderNote.SYSTEM: Oscar keeps such notes read-only
MAX_QUANTITY = 99
Way = CounterOrder.Payment


def _who(user) -> PartnerOffice | None:
    """The clerk's office, or None for an operator; anybody else may not order for a customer."""
    office = clerk_office(user)
    if office is None and not has_ability(user, Ability.FILE_FOR_CALLER):
        raise NotAllowed(_("Only a partner-office clerk or an operator can order for a customer."))
    return office


def payment_ways(user) -> list[str]:
    """How the customer can pay an order `user` places: at a counter in cash or on the
    office's card terminal; on the phone by a pay link (when card payment is configured)
    or on delivery (when the site's checkout offers it)."""
    if clerk_office(user) is not None:
        return [Way.CASH, Way.TERMINAL]
    offered = {method.code for method in available_payment_methods()}
    ways = []
    if is_offered(CARD.code):
        ways.append(Way.PAY_LINK)
    if PAY_ON_DELIVERY.code in offered:
        ways.append(Way.ON_DELIVERY)
    return ways


# ------------------------------------------------------------------------- the basket
def _prepared(basket, customer):
    basket.strategy = Selector().strategy(user=customer)
    Applicator().apply(basket, customer)
    return basket


def counter_basket(*, user, customer):
    """The open basket `user` is filling for `customer` (opened on first use), with its
    strategy set and the offers and vouchers applied for the customer."""
    office = _who(user)
    held = (CounterBasket.objects.select_related("basket")
            .filter(customer=customer, opened_by=user, basket__status=Basket.OPEN).first())
    if held is None:
        held = CounterBasket.objects.create(basket=Basket.objects.create(owner=None), customer=customer,
                                            opened_by=user, office=office)
    return _prepared(held.basket, customer)


def _check_quantity(basket, product, quantity: int, line=None) -> None:
    if quantity > MAX_QUANTITY:
        raise OfficeError(_("At most %(count)d of one product per order.") % {"count": MAX_QUANTITY},
                          code="quantity_too_large")
    info = basket.strategy.fetch_for_product(product)
    if not (info.availability.is_available_to_buy and info.price.exists):
        raise OfficeError(_("“%(product)s” cannot be bought now.") % {"product": product.get_title()},
                          code="not_available")
    allowed, reason = info.availability.is_purchase_permitted(quantity)
    if allowed and line is None:
        allowed, reason = basket.is_quantity_allowed(quantity)
    if not allowed:
        raise OfficeError(str(reason), code="quantity_not_allowed")


def counter_basket_add(*, user, customer, product, quantity: int = 1):
    """Add `quantity` of `product` to the basket (added to the line already there)."""
    quantity = int(quantity)
    if quantity <= 0:
        raise OfficeError(_("Choose a quantity of at least one."), code="quantity_required")
    basket = counter_basket(user=user, customer=customer)
    line = basket.lines.filter(product=product).first()
    _check_quantity(basket, product, quantity + (line.quantity if line else 0), line=line)
    basket.add_product(product, quantity)
    return _prepared(basket, customer)


def counter_basket_set_quantity(*, user, customer, line_id: int, quantity: int):
    """Change a line's quantity; zero removes the line."""
    quantity = int(quantity)
    basket = counter_basket(user=user, customer=customer)
    line = basket.lines.filter(pk=line_id).select_related("product").first()
    if line is None:
        raise OfficeError(_("That line is no longer in the basket."), code="line_not_found")
    if quantity <= 0:
        line.delete()
    else:
        _check_quantity(basket, line.product, quantity, line=line)
        line.quantity = quantity
        line.save(update_fields=["quantity"])
    basket._lines = None  # Oscar caches the lines on the basket
    return _prepared(basket, customer)


def counter_basket_voucher_add(*, user, customer, code: str):
    """Apply a voucher code for the customer, as the site's basket does (Oscar's rules:
    expired, not active, not available to this customer, or giving no discount on this
    basket: refused and not kept)."""
    basket = counter_basket(user=user, customer=customer)
    code = (code or "").strip().upper()
    voucher = Voucher.objects.filter(code=code).first()
    if voucher is None:
        raise OfficeError(_("No voucher has the code “%(code)s”.") % {"code": code}, code="voucher_not_found")
    if basket.contains_voucher(code):
        return basket
    if voucher.is_expired() or not voucher.is_active():
        raise OfficeError(_("The voucher “%(code)s” is not valid now.") % {"code": code}, code="voucher_inactive")
    available, message = voucher.is_available_to_user(customer)
    if not available:
        raise OfficeError(str(message), code="voucher_not_available")
    basket.vouchers.add(voucher)
    _prepared(basket, customer)
    if not any(application["voucher"] == voucher for application in basket.offer_applications):
        basket.vouchers.remove(voucher)
        _prepared(basket, customer)
        raise OfficeError(_("This basket does not qualify for the voucher “%(code)s”.") % {"code": code},
                          code="voucher_no_discount")
    return basket


def counter_basket_voucher_remove(*, user, customer, voucher_id: int):
    basket = counter_basket(user=user, customer=customer)
    basket.vouchers.remove(*basket.vouchers.filter(pk=voucher_id))
    return _prepared(basket, customer)


# ---------------------------------------------------------------------- addresses
def _iran():
    country, _created = Country.objects.get_or_create(
        iso_3166_1_a2="IR", defaults={"name": "Iran", "printable_name": "Iran", "is_shipping_country": True})
    return country


def customer_addresses(customer):
    return UserAddress.objects.filter(user=customer).order_by("-is_default_for_shipping", "-pk")


def counter_address_add(*, user, customer, line1: str, city: str, province: str = "", postcode: str = "",
                        phone: str = ""):
    """Add a delivery address to the customer's address book (as they would on the site)."""
    _who(user)
    if not (line1 or "").strip() or not (city or "").strip():
        raise OfficeError(_("Enter the street address and the city."), code="address_required")
    profile = getattr(customer, "profile", None)
    address = UserAddress(
        user=customer, first_name=customer.first_name or customer.get_username(), last_name=customer.last_name,
        line1=line1.strip()[:255], line4=city.strip()[:255], state=(province or "").strip()[:255],
        postcode=(postcode or "").strip(), country=_iran(),
        phone_number=(phone or "").strip() or getattr(profile, "phone", "") or "")
    try:
        address.clean()
    except ValidationError as exc:
        raise OfficeError(" ".join(exc.messages), code="address_invalid") from None
    existing = UserAddress.objects.filter(user=customer, hash=address.generate_hash()).first()
    if existing is not None:
        return existing
    address.save()
    return address


# ------------------------------------------------------------------------ checkout
def _shipping_address(customer, *, office: PartnerOffice | None, delivery: str, address_id):
    profile = getattr(customer, "profile", None)
    shipping = ShippingAddress(first_name=customer.first_name or customer.get_username(),
                               last_name=customer.last_name, country=_iran(),
                               phone_number=getattr(profile, "phone", "") or "")
    if delivery == CounterOrder.Delivery.PICKUP:
        shipping.line1 = office.address[:255]
        shipping.line4, shipping.state = office.county.name[:255], office.province.name[:255]
    else:
        chosen = customer_addresses(customer).filter(pk=address_id or 0).first()
        if chosen is None:
            raise OfficeError(_("Choose one of the customer's addresses (or add one)."), code="address_required")
        chosen.populate_alternative_model(shipping)
    shipping.save()
    return shipping


def _record_payment(order, total, *, way: str, office: PartnerOffice | None, user, reference: str) -> None:
    """Oscar's source and payment event of the order, as the site's checkout writes them,
    and the office's counter payment (for its reconciliation)."""
    amount = total.incl_tax
    if way == Way.ON_DELIVERY:
        # The same source and event as the site's pay-on-delivery checkout (shop.checkout.views).
        source_type, _created = SourceType.objects.get_or_create(
            code=PAY_ON_DELIVERY.code, defaults={"name": gettext_noop("Pay on delivery")})
        Source.objects.create(order=order, source_type=source_type, currency=total.currency,
                              amount_allocated=amount, reference=order.number)
        event_type, _created = PaymentEventType.objects.get_or_create(name=gettext_noop("Payment due on delivery"))
        PaymentEvent.objects.create(order=order, event_type=event_type, amount=amount)
        return
    if way not in (Way.CASH, Way.TERMINAL):
        return  # a pay link: the site's pay page records the card payment (shop.payables)
    code, source_name, event_name = ((PAID_AT_COUNTER, SOURCE_NAME, EVENT_NAME) if way == Way.CASH
                                     else (PAID_ON_TERMINAL, TERMINAL_SOURCE_NAME, TERMINAL_EVENT_NAME))
    source_type, _created = SourceType.objects.get_or_create(code=code, defaults={"name": source_name})
    Source.objects.create(order=order, source_type=source_type, currency=total.currency, amount_allocated=amount,
                          amount_debited=amount, reference=reference or office.code)
    event_type, _created = PaymentEventType.objects.get_or_create(code=code, defaults={"name": event_name})
    PaymentEvent.objects.create(order=order, event_type=event_type, amount=amount, reference=reference or office.code)
    CounterPayment.objects.create(office=office, method=way, amount=amount, currency=total.currency,
                                  reference=reference, order=order, recorded_by=user)


def counter_checkout(*, user, customer, delivery: str, payment: str, address_id: int | None = None,
                     reference: str = "") -> CounterOrder:
    """Place the order of the basket `user` filled for `customer`."""
    office = _who(user)
    if delivery not in CounterOrder.Delivery.values:
        raise OfficeError(_("Choose how the order reaches the customer."), code="delivery_required")
    if delivery == CounterOrder.Delivery.PICKUP and office is None:
        raise OfficeError(_("Pick-up is only possible at a partner office."), code="pickup_needs_office")
    if payment not in payment_ways(user):
        raise OfficeError(_("Choose one of the ways to pay offered here."), code="payment_required")
    if payment in (Way.CASH, Way.TERMINAL):
        reference = clean_reference(payment, reference)
    with transaction.atomic():
        basket = counter_basket(user=user, customer=customer)
        if basket.is_empty:
            raise OfficeError(_("Choose at least one product."), code="empty_order")
        basket = Basket.objects.select_for_update().get(pk=basket.pk)
        if basket.status != Basket.OPEN:
            raise OfficeError(_("This basket was already ordered."), code="basket_submitted")
        basket = _prepared(basket, customer)
        shipping_address = _shipping_address(customer, office=office, delivery=delivery, address_id=address_id)
        method = Free()
        charge = method.calculate(basket)
        total = OrderTotalCalculator().calculate(basket, charge)
        status = order_status.PENDING_PAYMENT if payment == Way.PAY_LINK else None
        try:
            order = order_place(basket=basket, user=customer, shipping_address=shipping_address,
                                shipping_method=method, shipping_charge=charge, order_total=total, status=status)
        except VendorError as exc:
            raise OfficeError(str(exc.message), code="cannot_order") from exc
        basket.submit()
        who = user.get_full_name() or user.get_username()
        where = office.name if office is not None else str(_("by phone"))
        OrderNote.objects.create(order=order, user=user, note_type=NOTE_TYPE, message=str(
            _("Placed for the customer by %(who)s (%(where)s); %(delivery)s; %(payment)s.")
            % {"who": who, "where": where, "delivery": CounterOrder.Delivery(delivery).label,
               "payment": Way(payment).label}))
        _record_payment(order, total, way=payment, office=office, user=user, reference=reference)
        placed = CounterOrder.objects.create(order=order, office=office, placed_by=user, delivery=delivery,
                                             payment=payment, paid_at_counter=payment in (Way.CASH, Way.TERMINAL))
        if payment == Way.PAY_LINK:
            pay_url = reverse("payments:order-pay", kwargs={"number": order.number})
            notify(event="offices_order_pay_link", recipient=customer, context={"order": order, "pay_path": pay_url})
        return placed


def counter_order_place(*, user, customer, items: Sequence[tuple], delivery: str, address_id: int | None = None,
                        payment: str | None = None, reference: str = "") -> CounterOrder:
    """Fill a fresh basket with `items` [(product, quantity)] and check out at once (the
    demo and callers that know the whole order up front). `payment` defaults to cash at a
    counter, the first way offered on the phone."""
    office = _who(user)
    items = [(product, int(quantity)) for product, quantity in items if int(quantity) > 0]
    if not items:
        raise OfficeError(_("Choose at least one product."), code="empty_order")
    ways = payment_ways(user)
    if payment is None:
        payment = Way.CASH if office is not None else (ways[0] if ways else "")
    with transaction.atomic():
        basket = counter_basket(user=user, customer=customer)
        basket.flush()
        for product, quantity in items:
            counter_basket_add(user=user, customer=customer, product=product, quantity=quantity)
        return counter_checkout(user=user, customer=customer, delivery=delivery, payment=payment,
                                address_id=address_id, reference=reference)
