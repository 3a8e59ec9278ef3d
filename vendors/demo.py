"""Demo data for the vendors app (called by `manage.py seed_demo` after the catalogue).

Contracts for the six demo vendors (commission, warranty and delivery promises for Tehran
and Isfahan, a product that needs installation, a contracted quantity), a pending
application, and orders for the demo customer in every shipment state: pending,
confirmed, shipped, delivered with the payable held, delivered with it released,
cancelled by the vendor, and one cancelled by the customer herself (P5, two vendors, pay on
delivery: nothing to refund); plus an open warranty claim and a payout to Roshan Home (the demo vendor
login). Every order, transition, credit and payout goes through vendors.services, the
code path the site itself uses. Idempotent: everything is looked up by a fixed key
(vendor code, order number, payout key) and a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from core.permissions import assign_role
from vendors import services
from vendors.models import (
    CategoryTerm,
    Contract,
    DeliveryPromise,
    Payout,
    ProductTerm,
    Shipment,
    ShipmentLine,
    VendorApplication,
)

Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
ShippingAddress = get_model("order", "ShippingAddress")
Country = get_model("address", "Country")

DEMO_VENDOR = "roshan-home"
DEMO_CUSTOMER = "customer"
# vendor code -> (commission rate, warranty days, return window days, default delivery days)
CONTRACTS = {
    "roshan-home": ("0.1000", 365, 14, 5),
    "pars-tools": ("0.1200", 180, 14, 6),
    "alborz-tech": ("0.0800", 365, 10, 4),
    "naqsh-bazaar": ("0.1500", 90, 14, 8),
    "sarvin-apparel": ("0.1300", 30, 14, 5),
    "niloufar-books": ("0.0700", 30, 7, 4),
}
# Both spellings a shipping address may use for the region (matching ignores case and spacing).
PROMISES = (("تهران", 2), ("Tehran", 2), ("اصفهان", 4), ("Isfahan", 4))
# (vendor code, category slug, commission rate or None, warranty days or None)
CATEGORY_TERMS = (
    ("roshan-home", "home-appliances", None, 730),
    ("alborz-tech", "electronics", "0.0600", 540),
    ("naqsh-bazaar", "handicrafts", "0.1800", None),
)
# The first of these a Roshan Home product is found for needs installation (P1).
INSTALLATION_NOUNS = ("washing machine", "air purifier", "electric heater", "standing fan", "vacuum cleaner")
INSTALLATION_PRICE = Decimal("15.00")
APPLICATION_REGISTRATION = "DEMO-14030001"
# (order number, vendors whose products it holds, shipment state, days ago it was placed, region)
ORDERS = (
    ("DEMO-V1001", ("roshan-home",), "pending", 0, "تهران"),
    ("DEMO-V1002", ("roshan-home",), "confirmed", 1, "تهران"),
    ("DEMO-V1003", ("roshan-home", "pars-tools"), "shipped", 2, "اصفهان"),
    ("DEMO-V1004", ("roshan-home",), "delivered_held", 4, "تهران"),
    ("DEMO-V1005", ("roshan-home",), "delivered_released", 40, "تهران"),
    ("DEMO-V1006", ("roshan-home",), "delivered_late_released", 75, "Isfahan"),
    ("DEMO-V1007", ("roshan-home",), "cancelled", 3, "تهران"),
    ("DEMO-V1008", ("roshan-home", "pars-tools"), "cancelled_by_customer", 1, "تهران"),
)
INSTALLATION_ORDER = "DEMO-V1004"
CLAIM_ORDER = "DEMO-V1005"
PAYOUT_KEY = "demo-payout:roshan-home:1"


def seed(command) -> None:
    vendors = {p.code: p for p in Partner.objects.filter(code__in=CONTRACTS)}
    if not vendors:
        return
    with transaction.atomic():
        installation_product = _seed_contracts(vendors)
        _seed_application()
        _seed_vendor_logins(vendors)
    placed = _seed_orders(vendors, installation_product)
    if not getattr(command, "quiet", False) and placed:
        command.stdout.write(f"Vendors: contracts for {len(vendors)} vendors, {placed} demo orders split per vendor.")


# ------------------------------------------------------------------ logins
VENDOR_LOGIN_PASSWORD = "vendor-demo-1405"


def _vendor_username(code: str) -> str:
    return f"vendor-{code}"


def _seed_vendor_logins(vendors: dict) -> None:
    """Every demo vendor has a login (Roshan Home's is the "vendor" role login)."""
    User = get_user_model()
    access = Permission.objects.get(codename="dashboard_access", content_type__app_label="partner")
    for code, partner in vendors.items():
        if code == DEMO_VENDOR or partner.users.exists():
            continue
        username = _vendor_username(code)
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username, email=f"{username}@demo.chaarsoo.local", password=VENDOR_LOGIN_PASSWORD,
                first_name=(partner.name_en or partner.name)[:150], last_name="Demo",
            )
        assign_role(user, "vendor")
        user.user_permissions.add(access)
        partner.users.add(user)


def logins() -> list[tuple[str, str, str]]:
    """(login email, password, what it is for), printed by `seed_demo` with the role logins."""
    return [
        (f"{_vendor_username(code)}@demo.chaarsoo.local", VENDOR_LOGIN_PASSWORD, f"seller dashboard ({code})")
        for code in CONTRACTS
        if code != DEMO_VENDOR
    ]


# ------------------------------------------------------------------ contracts
def _seed_contracts(vendors: dict) -> Product | None:
    for code, (commission, warranty, window, delivery) in CONTRACTS.items():
        partner = vendors.get(code)
        if partner is None:
            continue
        contract, _created = Contract.objects.get_or_create(
            partner=partner,
            defaults={"commission_rate": Decimal(commission), "default_warranty_days": warranty,
                      "return_window_days": window, "default_delivery_days": delivery},
        )
        for region, days in PROMISES:
            if not contract.delivery_promises.filter(region=region).exists():
                DeliveryPromise.objects.create(contract=contract, region=region, days=days)
    categories = {c.slug: c for c in Category.objects.filter(slug__in=[t[1] for t in CATEGORY_TERMS])}
    for code, slug, commission, warranty in CATEGORY_TERMS:
        if code in vendors and slug in categories:
            CategoryTerm.objects.get_or_create(
                contract=vendors[code].contract, category=categories[slug],
                defaults={"commission_rate": Decimal(commission) if commission else None, "warranty_days": warranty},
            )
    roshan = vendors.get(DEMO_VENDOR)
    if roshan is None:
        return None
    product = None
    for noun in INSTALLATION_NOUNS:
        product = (
            Product.objects.filter(stockrecords__partner=roshan, upc__startswith="CHS", title_en__icontains=noun)
            .order_by("upc").first()
        )
        if product is not None:
            break
    if product is not None:
        stock = product.stockrecords.get(partner=roshan).num_in_stock or 0
        ProductTerm.objects.get_or_create(
            contract=roshan.contract, product=product,
            defaults={"needs_installation": True, "installation_price": INSTALLATION_PRICE,
                      "warranty_days": 730, "contracted_quantity": max(stock, 40)},
        )
    return product


def _seed_application() -> None:
    if VendorApplication.objects.filter(registration_number=APPLICATION_REGISTRATION).exists():
        return
    services.application_submit(
        data={
            "company_name": "فرش دستباف کاشان", "company_name_en": "Kashan Hand-woven Rugs",
            "registration_number": APPLICATION_REGISTRATION, "contact_name": "مریم رضایی",
            "email": "rugs@kashan.example.com", "phone": "+989131234567",
            "address": "کاشان، خیابان امیرکبیر، پلاک ۱۴", "bank_account_holder": "فرش دستباف کاشان",
            "iban": "IR820540102680020817909002",
            "message": "فرش و گلیم دستباف با شناسنامه؛ ارسال به سراسر کشور.",
        },
        categories=Category.objects.filter(slug="handicrafts"),
    )


# ------------------------------------------------------------------ orders
def _seed_orders(vendors: dict, installation_product) -> int:
    User = get_user_model()
    customer = User.objects.filter(username=DEMO_CUSTOMER).first()
    # The demo's back office acts as the administrator: it holds every ability (act for a
    # vendor without users, pay a vendor out), whatever roles the other demo users have.
    staff = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if customer is None or staff is None:
        return 0
    products = _products_by_vendor(vendors, exclude=installation_product)
    existing = set(Order.objects.filter(number__in=[o[0] for o in ORDERS]).values_list("number", flat=True))
    placed = 0
    for number, codes, state, days_ago, region in ORDERS:
        if number in existing or not all(products.get(code) for code in codes):
            continue
        items = [products[code].pop(0) if len(products[code]) > 1 else products[code][0] for code in codes]
        if number == INSTALLATION_ORDER and installation_product is not None:
            items = [installation_product]
        order = _place(customer, items, number, region, installation=number == INSTALLATION_ORDER)
        for shipment in order.shipments.select_related("partner").order_by("pk"):
            _advance(shipment, state, staff)
        if days_ago:
            _backdate(order, days_ago, late="late" in state)
        placed += 1
    if placed:
        # Lines whose (backdated) return window has passed move from held to available.
        services.payable_release_due()
        _seed_claim_and_payout(customer, vendors.get(DEMO_VENDOR), staff)
    return placed


def _products_by_vendor(vendors: dict, exclude) -> dict[str, list]:
    products: dict[str, list] = {}
    for code in {c for o in ORDERS for c in o[1]}:
        partner = vendors.get(code)
        if partner is None:
            continue
        queryset = Product.objects.filter(stockrecords__partner=partner, stockrecords__num_in_stock__gte=5,
                                          upc__startswith="CHS")
        if exclude is not None:
            queryset = queryset.exclude(pk=exclude.pk)
        products[code] = list(queryset.order_by("upc")[:6])
    return products


def _iran() -> Country:
    country, _created = Country.objects.get_or_create(
        iso_3166_1_a2="IR", defaults={"name": "Iran", "printable_name": "Iran", "is_shipping_country": True}
    )
    return country


def _place(customer, products: list, number: str, region: str, installation: bool):
    """One order through vendors.services.order_place, as the checkout places it."""
    from oscar.apps.shipping.methods import Free

    from shop.checkout.applicator import InstallationCharge, SurchargeList, SurchargePrice

    Selector = get_class("partner.strategy", "Selector")
    OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
    basket = Basket.objects.create(owner=customer)
    basket.strategy = Selector().strategy(user=customer)
    for product in products:
        basket.add_product(product, 1)
    basket.reset_offer_applications()
    address = ShippingAddress.objects.create(
        first_name="سارا", last_name="احمدی", line1="خیابان ولیعصر، پلاک ۱۲", line4=region, state=region,
        postcode="14348-43311", country=_iran(), phone_number="+989121234567",
    )
    method = Free()
    shipping_charge = method.calculate(basket)
    line_ids = [line.pk for line in basket.all_lines()] if installation else []
    surcharges = None
    if line_ids:
        charge = InstallationCharge(line_ids)
        surcharges = SurchargeList([SurchargePrice(charge, charge.calculate(basket))])
    order = services.order_place(
        basket=basket, user=customer, shipping_address=address, shipping_method=method,
        shipping_charge=shipping_charge, surcharges=surcharges,
        order_total=OrderTotalCalculator().calculate(basket, shipping_charge, surcharges=surcharges),
        order_number=number, installation_basket_line_ids=line_ids,
    )
    basket.submit()
    return order


def _actor_for(shipment: Shipment, staff):
    """The vendor's own user where it has one (as on the site), else a staff member."""
    return shipment.partner.users.order_by("pk").first() or staff


def _advance(shipment: Shipment, state: str, staff) -> None:
    user = _actor_for(shipment, staff)
    if state == "pending":
        return
    if state == "cancelled":
        services.shipment_cancel(shipment=shipment, user=user, reason="ناموجود در انبار فروشنده / out of stock")
        return
    if state == "cancelled_by_customer":
        # P5: the customer cancels each part herself; the last one cancels the order.
        services.shipment_cancel_by_customer(shipment=shipment, user=shipment.order.user,
                                             reason="نظرم عوض شد / I changed my mind")
        return
    services.shipment_confirm(shipment=shipment, user=user)
    if state == "confirmed":
        return
    services.shipment_ship(shipment=shipment, user=user, tracking_reference=f"POST-{shipment.order.number[-4:]}-"
                           f"{shipment.pk}", carrier="پست پیشتاز")
    if state == "shipped":
        return
    for item in shipment.lines.filter(installation_requested=True):
        services.installation_mark_done(shipment_line=item, user=user)
    services.shipment_deliver(shipment=shipment, user=user)


def _backdate(order, days_ago: int, late: bool) -> None:
    """History for the performance page: the order was placed `days_ago` days ago and was
    delivered a day before its promised date (or, for a late one, three days after it)."""
    placed = timezone.now() - dt.timedelta(days=days_ago)
    promise_days = {s.pk: (s.promised_by - timezone.localdate(order.date_placed)).days for s in order.shipments.all()}
    Order.objects.filter(pk=order.pk).update(date_placed=placed)
    for shipment in order.shipments.all():
        days = promise_days[shipment.pk]
        delivered = placed + dt.timedelta(days=days + 3 if late else max(days - 1, 1))
        stamps = {
            "confirmed_at": placed + dt.timedelta(hours=3) if shipment.confirmed_at else None,
            "shipped_at": placed + dt.timedelta(days=1) if shipment.shipped_at else None,
            "delivered_at": delivered if shipment.delivered_at else None,
        }
        Shipment.objects.filter(pk=shipment.pk).update(
            created=placed, promised_by=timezone.localdate(placed) + dt.timedelta(days=days), **stamps
        )
        for to_status, stamp in (("pending", placed), ("confirmed", stamps["confirmed_at"]),
                                 ("shipped", stamps["shipped_at"]), ("delivered", stamps["delivered_at"])):
            if stamp is not None:
                shipment.events.filter(to_status=to_status).update(created=stamp)
        if stamps["delivered_at"] is not None:
            for item in shipment.lines.all():
                ShipmentLine.objects.filter(pk=item.pk).update(
                    release_due_at=stamps["delivered_at"] + dt.timedelta(days=item.return_window_days)
                )


def _seed_claim_and_payout(customer, roshan, staff) -> None:
    line = (
        ShipmentLine.objects.filter(shipment__order__number=CLAIM_ORDER, shipment__status=Shipment.Status.DELIVERED)
        .order_by("pk").first()
    )
    if line is not None and not line.claims.exists():
        services.warranty_claim_open(
            shipment_line=line, customer=customer, kind="repair",
            description="از هفته گذشته دکمه روشن/خاموش کار نمی‌کند. / The power switch stopped working last week.",
        )
    if roshan is None or Payout.objects.filter(idempotency_key=PAYOUT_KEY).exists():
        # Made by an earlier run: a demo order added since must not ask for it again
        # (half of what is available now is another amount under the same key).
        return
    available = services.vendor_balance(partner=roshan)["available"]
    amount = (available / 2).quantize(Decimal("0.01"))
    if amount > 0:
        services.payout_create(partner=roshan, amount=amount, user=staff, idempotency_key=PAYOUT_KEY)

