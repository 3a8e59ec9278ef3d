"""Factories for the vendor domain (issue 4), shared by the vendor test modules.

- `make_vendor(...)` / `VendorFactory(...)`: an active Partner with a Contract, a vendor
  user (dashboard access) and an approved application holding its business phone.
- `make_vendor_product(partner, price, stock, ...)`: a product sold by that vendor, with
  a ProductTerm when installation or a warranty override is asked for.
- `place_order(customer, [(product, qty)], ...)`: a real order placement through
  vendors.services.order_place (the same path the checkout uses), returning the order;
  `order.shipments` holds one Shipment per vendor.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

import factory
from django.contrib.auth.models import Permission
from oscar.core.loading import get_class, get_model

from tests.factories import ProductFactory, UserFactory
from vendors.models import Contract, DeliveryPromise, ProductTerm, VendorApplication

Partner = get_model("partner", "Partner")
Basket = get_model("basket", "Basket")
ShippingAddress = get_model("order", "ShippingAddress")
Country = get_model("address", "Country")

DEFAULT_PHONE = "+989120000101"
VENDOR_PHONE = "+989351112233"


def _dashboard_permission() -> Permission:
    return Permission.objects.get(codename="dashboard_access", content_type__app_label="partner")


class VendorFactory(factory.django.DjangoModelFactory):
    """An active vendor: Partner + Contract + one vendor user + an approved application.

    Contract terms are passed as `contract__commission_rate=...` etc.; the user as
    `user=<User>` (a fresh one otherwise).
    """

    name = factory.Sequence(lambda n: f"Vendor shop {n}")

    class Meta:
        model = Partner
        skip_postgeneration_save = True

    @factory.post_generation
    def contract(partner, create, extracted, **kwargs):
        if not create:
            return
        Contract.objects.create(partner=partner, **kwargs)

    @factory.post_generation
    def user(partner, create, extracted, **kwargs):
        if not create:
            return
        user = extracted or UserFactory()
        partner.users.add(user)
        user.user_permissions.add(_dashboard_permission())

    @factory.post_generation
    def application(partner, create, extracted, **kwargs):
        if not create:
            return
        VendorApplication.objects.create(
            company_name=partner.name, registration_number="10320000000", contact_name="Vendor contact",
            email=f"{partner.code}@vendors.example.com", phone=kwargs.get("phone", VENDOR_PHONE),
            address="Tehran", bank_account_holder=partner.name, iban="IR820540102680020817909002",
            status=VendorApplication.Status.APPROVED, partner=partner,
        )


def make_vendor(
    name: str | None = None,
    *,
    commission_rate: str | Decimal = "0.1000",
    warranty_days: int = 365,
    return_window_days: int = 14,
    delivery_days: int = 5,
    promises: dict[str, int] | None = None,
    stripe_account_id: str = "",
    user=None,
    phone: str = VENDOR_PHONE,
):
    """An active vendor with these contract terms and delivery promises per region; `phone`
    is the business phone of its (approved) application, where vendor texts go."""
    fields = {"stripe_account_id": stripe_account_id}
    if name:
        fields["name"] = name
    partner = VendorFactory(
        **fields,
        user=user,
        application__phone=phone,
        contract__commission_rate=Decimal(commission_rate),
        contract__default_warranty_days=warranty_days,
        contract__return_window_days=return_window_days,
        contract__default_delivery_days=delivery_days,
    )
    for region, days in (promises or {}).items():
        DeliveryPromise.objects.create(contract=partner.contract, region=region, days=days)
    return partner


def vendor_user(partner):
    return partner.users.order_by("pk").first()


def make_vendor_product(
    partner,
    price: str | Decimal = "100.00",
    stock: int = 10,
    needs_installation: bool = False,
    installation_price: str | Decimal | None = None,
    warranty_days: int | None = None,
    *,
    contracted_quantity: int | None = None,
    category=None,
    track_stock: bool = True,
):
    """A product sold by `partner` at `price` with `stock` units."""
    product = ProductFactory(stock__partner=partner, stock__price=Decimal(price), stock__num_in_stock=stock,
                             category=category)
    if not track_stock:
        ProductClass = get_model("catalogue", "ProductClass")
        product_class, _created = ProductClass.objects.get_or_create(
            slug="untracked", defaults={"name": "Untracked", "track_stock": False}
        )
        product.product_class = product_class
        product.save()
    if needs_installation or warranty_days is not None or contracted_quantity is not None:
        ProductTerm.objects.create(
            contract=partner.contract,
            product=product,
            needs_installation=needs_installation,
            installation_price=None if installation_price is None else Decimal(installation_price),
            warranty_days=warranty_days,
            contracted_quantity=contracted_quantity,
        )
    return product


def iran() -> Country:
    country, _created = Country.objects.get_or_create(
        iso_3166_1_a2="IR", defaults={"name": "Iran", "printable_name": "Iran", "is_shipping_country": True}
    )
    return country


def make_basket(customer, items: Sequence[tuple]):
    Selector = get_class("partner.strategy", "Selector")
    basket = Basket.objects.create(owner=customer)
    basket.strategy = Selector().strategy(user=customer)
    for product, quantity in items:
        basket.add_product(product, quantity)
    basket.reset_offer_applications()
    return basket


def place_order(
    customer,
    items: Sequence[tuple],
    region: str = "Tehran",
    installation_products: Iterable = (),
    *,
    phone: str = DEFAULT_PHONE,
    status: str | None = None,
    basket=None,
):
    """Place an order for `items` [(product, quantity)] exactly as the checkout does:
    vendors.services.order_place with Oscar's free shipping and, for the products in
    `installation_products`, the installation surcharge. Returns the order. Pass a
    `basket` filled earlier to check out that basket as it is (items are then ignored)."""
    from oscar.apps.shipping.methods import Free

    from shop.checkout.applicator import InstallationCharge, SurchargeList, SurchargePrice
    from vendors.services import order_place

    OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
    if basket is None:
        basket = make_basket(customer, items)
    address = ShippingAddress.objects.create(
        first_name="Sara", last_name="Ahmadi", line1="Valiasr Street 12", line4=region, state=region,
        postcode="14348-43311", country=iran(), phone_number=phone,
    )
    method = Free()
    shipping_charge = method.calculate(basket)
    wanted = {product.pk for product in installation_products}
    line_ids = [line.pk for line in basket.all_lines() if line.product_id in wanted]
    surcharges = None
    if line_ids:
        charge = InstallationCharge(line_ids)
        surcharges = SurchargeList([SurchargePrice(charge, charge.calculate(basket))])
    total = OrderTotalCalculator().calculate(basket, shipping_charge, surcharges=surcharges)
    order = order_place(
        basket=basket,
        user=customer,
        shipping_address=address,
        shipping_method=method,
        shipping_charge=shipping_charge,
        order_total=total,
        surcharges=surcharges,
        status=status,
        installation_basket_line_ids=line_ids,
    )
    basket.submit()
    return order


def deliver(shipment, user=None):
    """Confirm, ship and deliver a shipment through the real transitions (as its vendor)."""
    from vendors import services

    user = user or vendor_user(shipment.partner)
    services.shipment_confirm(shipment=shipment, user=user)
    services.shipment_ship(shipment=shipment, user=user, tracking_reference=f"TRK-{shipment.pk}")
    return services.shipment_deliver(shipment=shipment, user=user)
