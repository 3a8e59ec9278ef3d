"""Selling: the contract terms that apply to a product (P1 warranty, commission,
installation, P2 delivery promises, P3 contracted quantities), the vendor's stock, and
placing one order for a basket of several vendors' goods, split into one shipment per
vendor (issue 4 points 2-5)."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from core.bounds import MAX_INT
from core.permissions import Ability
from shop import order_status
from vendors.errors import InstallationPriceChanged, InsufficientStock, StockRefused, VendorSuspended
from vendors.machines import SHIPMENT, SHIPMENT_PLACED
from vendors.models import CategoryTerm, Contract, DeliveryPromise, ProductTerm, Shipment, ShipmentLine, region_key
from vendors.services._common import (
    Order,
    Partner,
    StockRecord,
    notify_customer,
    notify_vendor,
    require_vendor_or,
    shipment_context,
)

OrderCreator = get_class("order.utils", "OrderCreator")

ZERO = Decimal("0.00")
INSTALLATION_SURCHARGE_CODE = "installation"


# ------------------------------------------------------------------ contract terms
def _contract(partner: Any) -> Contract:
    """The partner's contract; a partner without one (created outside onboarding) is held
    to the default terms."""
    try:
        return partner.contract
    except Contract.DoesNotExist:
        return Contract(partner=partner)


def _category_paths(product) -> list[str]:
    """The paths of the product's categories and all their ancestors (terms set on a
    parent category apply to its subcategories)."""
    Category = get_model("catalogue", "Category")
    step = Category.steplen
    paths: set[str] = set()
    for path in product.categories.values_list("path", flat=True):
        paths.update(path[:end] for end in range(step, len(path) + 1, step))
    return sorted(paths)


def _category_term(contract: Contract, product, field: str) -> CategoryTerm | None:
    """The most specific category term that sets `field` (deepest category; ties by path)."""
    if contract.pk is None:
        return None
    paths = _category_paths(product)
    if not paths:
        return None
    terms = (
        CategoryTerm.objects.filter(contract=contract, category__path__in=paths, **{f"{field}__isnull": False})
        .select_related("category")
        .order_by("-category__depth", "category__path")
    )
    return terms.first()


def _product_term(contract: Contract, product) -> ProductTerm | None:
    if contract.pk is None:
        return None
    return ProductTerm.objects.filter(contract=contract, product=product).first()


def contract_warranty_days(*, partner: Any, product) -> int:
    """P1: the product's own term, else its category's, else the contract default."""
    contract = _contract(partner)
    return _warranty_days(contract, product, _product_term(contract, product))


def _warranty_days(contract: Contract, product, product_term: ProductTerm | None) -> int:
    if product_term is not None and product_term.warranty_days is not None:
        return product_term.warranty_days
    category_term = _category_term(contract, product, "warranty_days")
    if category_term is not None:
        return category_term.warranty_days
    return contract.default_warranty_days


def contract_commission_rate(*, partner: Any, product) -> Decimal:
    """The category's commission term, else the contract default."""
    contract = _contract(partner)
    category_term = _category_term(contract, product, "commission_rate")
    if category_term is not None:
        return category_term.commission_rate
    return contract.commission_rate


def delivery_days(*, partner: Any, region: str) -> int:
    """P2: the promise for the region (matched ignoring case, spacing, letter forms), else
    the contract's default."""
    contract = _contract(partner)
    key = region_key(region)
    if key and contract.pk is not None:
        promise = DeliveryPromise.objects.filter(contract=contract, region_key=key).first()
        if promise is not None:
            return promise.days
    return contract.default_delivery_days


def promised_delivery_date(*, partner: Any, region: str, from_date: dt.date | None = None) -> dt.date:
    return (from_date or timezone.localdate()) + dt.timedelta(days=delivery_days(partner=partner, region=region))


def basket_delivery_promises(*, basket, region: str = "") -> list[dict]:
    """Per vendor in the basket: {"partner", "lines", "days", "promised_by"}, in basket order."""
    groups: OrderedDict[int, list] = OrderedDict()
    for line in basket.all_lines():
        if line.stockrecord_id is None:
            continue
        groups.setdefault(line.stockrecord.partner_id, []).append(line)
    # The basket's lines usually come with their vendor and its contract (shop.partner.strategy
    # prefetches them); any vendor without them is fetched here, in one query, not one per vendor.
    partners = {}
    for partner_id, lines in groups.items():
        partner = lines[0].stockrecord._state.fields_cache.get("partner")
        if partner is not None and "contract" in partner._state.fields_cache:
            partners[partner_id] = partner
    missing = [partner_id for partner_id in groups if partner_id not in partners]
    if missing:
        partners.update(Partner.objects.select_related("contract").in_bulk(missing))
    today = timezone.localdate()
    promises = []
    for partner_id, lines in groups.items():
        partner = partners[partner_id]
        days = delivery_days(partner=partner, region=region)
        promises.append(
            {"partner": partner, "lines": lines, "days": days, "promised_by": today + dt.timedelta(days=days)}
        )
    return promises


# ------------------------------------------------------------------ stock
def stock_set(*, stockrecord: Any, num_in_stock: int, price: Decimal | None, user: Any) -> Any:
    """Set a vendor's stock level (and price). P3: never above the contracted quantity;
    never below what is already sold and not yet shipped."""
    require_vendor_or(user, stockrecord.partner, Ability.ACT_FOR_VENDOR)
    if num_in_stock is None or int(num_in_stock) < 0:
        raise StockRefused(_("Enter a stock level of zero or more."))
    if int(num_in_stock) > MAX_INT:
        raise StockRefused(_("Enter a stock level of at most %(max)s.") % {"max": MAX_INT})
    if price is not None and Decimal(price) < 0:
        raise StockRefused(_("A price can't be negative."))
    num_in_stock = int(num_in_stock)
    with transaction.atomic():
        record = StockRecord.objects.select_for_update().select_related("partner", "product").get(pk=stockrecord.pk)
        allocated = record.num_allocated or 0
        if num_in_stock < allocated:
            raise StockRefused(
                _("%(count)d units of “%(product)s” are sold and not yet shipped; stock can't go below that.")
                % {"count": allocated, "product": record.product.get_title()}
            )
        term = _product_term(_contract(record.partner), record.product)
        if term is not None and term.contracted_quantity is not None and num_in_stock > term.contracted_quantity:
            raise StockRefused(
                _("Your contract allows at most %(limit)d units of “%(product)s” in stock.")
                % {"limit": term.contracted_quantity, "product": record.product.get_title()}
            )
        record.num_in_stock = num_in_stock
        fields = ["num_in_stock", "date_updated"]
        if price is not None:
            record.price = Decimal(price)
            fields.append("price")
        record.save(update_fields=fields)
        return record


# ------------------------------------------------------------------ installation
def basket_installation_options(*, basket) -> list[dict]:
    """Basket lines whose product needs installation under its vendor's contract (P1):
    [{"line", "product", "unit_price", "price"}] where price = unit price × quantity."""
    options = []
    for line in basket.all_lines():
        if line.stockrecord_id is None:
            continue
        term = _product_term(_contract(line.stockrecord.partner), line.product)
        if term is None or not term.needs_installation:
            continue
        unit = term.unit_installation_price
        options.append({"line": line, "product": line.product, "unit_price": unit, "price": unit * line.quantity})
    return options


def installation_quote(*, basket, line_ids: Iterable[int]) -> dict[int, Decimal]:
    """Basket line id -> installation price, for the chosen lines that offer installation."""
    chosen = {int(pk) for pk in line_ids}
    return {o["line"].pk: o["price"] for o in basket_installation_options(basket=basket) if o["line"].pk in chosen}


def _installation_charged(surcharges) -> Decimal:
    total = ZERO
    for charge in surcharges or ():
        if getattr(charge.surcharge, "code", "") == INSTALLATION_SURCHARGE_CODE:
            total += charge.price.incl_tax
    return total


# ------------------------------------------------------------------ placing an order
class _VendorOrderCreator(OrderCreator):
    """Oscar's OrderCreator, remembering which order line came from which basket line
    and turning a refused allocation (the database constraint) into a clear error."""

    def __init__(self) -> None:
        self.order_line_for_basket_line: dict[int, int] = {}

    def create_line_models(self, order, basket_line, extra_line_fields=None):
        order_line = super().create_line_models(order, basket_line, extra_line_fields)
        self.order_line_for_basket_line[basket_line.pk] = order_line.pk
        return order_line

    def update_stock_records(self, line):
        try:
            with transaction.atomic():
                super().update_stock_records(line)
        except IntegrityError as exc:
            raise InsufficientStock(_sold_out_message(line.product, 0), product=line.product) from exc


def _sold_out_message(product, free: int) -> str:
    if free <= 0:
        return _("“%(product)s” has just sold out. Remove it from your basket to continue.") % {
            "product": product.get_title()
        }
    return _("Only %(count)d of “%(product)s” are left. Lower the quantity in your basket to continue.") % {
        "count": free, "product": product.get_title()
    }


def _lock_and_check_stock(basket) -> None:
    """Lock the basket's stock records (pk order, so concurrent checkouts can't deadlock)
    and refuse if a vendor was suspended or fewer units are free than the basket needs.
    The locks are held until the order's transaction commits, so N buyers of the last K
    units are served one after another and exactly K succeed."""
    needed: dict[int, int] = defaultdict(int)
    products: dict[int, Any] = {}
    for line in basket.all_lines():
        if line.stockrecord_id is None:
            raise InsufficientStock(
                _("“%(product)s” is no longer sold. Remove it from your basket to continue.")
                % {"product": line.product.get_title()},
                product=line.product,
            )
        needed[line.stockrecord_id] += line.quantity
        products[line.stockrecord_id] = line.product
    records = (
        StockRecord.objects.select_for_update(of=("self",))
        .select_related("partner")
        .filter(pk__in=list(needed))
        .order_by("pk")
    )
    for record in records:
        product = products[record.pk]
        if record.partner.is_suspended:
            raise VendorSuspended(
                _("“%(product)s” can no longer be bought from %(vendor)s. Remove it from your basket to continue.")
                % {"product": product.get_title(), "vendor": record.partner.display_name}
            )
        if not product.get_product_class().track_stock:
            continue
        free = (record.num_in_stock or 0) - (record.num_allocated or 0)
        if needed[record.pk] > free:
            raise InsufficientStock(_sold_out_message(product, free), product=product)


def order_place(
    *,
    basket,
    user,
    shipping_address,
    shipping_method,
    shipping_charge,
    order_total,
    billing_address=None,
    surcharges=None,
    order_number: str | None = None,
    status: str | None = None,
    request=None,
    installation_basket_line_ids: Iterable[int] = (),
    **order_kwargs,
) -> Order:
    """Place one Oscar order for a whole basket (every vendor, one payment) and split it
    into per-vendor shipments, all in one transaction. The checkout (shop.checkout) and
    the tests place orders through here.

    Raises InsufficientStock / VendorSuspended (nothing is written) when the basket
    can no longer be bought as it is, and InstallationPriceChanged when the installation
    surcharge doesn't match the contract's prices.
    """
    chosen = set(installation_basket_line_ids)
    with transaction.atomic():
        _lock_and_check_stock(basket)
        quote = installation_quote(basket=basket, line_ids=chosen)
        expected = sum(quote.values(), ZERO)
        if expected != _installation_charged(surcharges):
            raise InstallationPriceChanged(
                _("Installation prices have changed since you chose them. Review your order and place it again.")
            )
        creator = _VendorOrderCreator()
        order = creator.place_order(
            basket=basket,
            total=order_total,
            shipping_method=shipping_method,
            shipping_charge=shipping_charge,
            user=user,
            shipping_address=shipping_address,
            billing_address=billing_address,
            order_number=order_number,
            status=status,
            request=request,
            surcharges=surcharges,
            **order_kwargs,
        )
        installation_line_ids = {creator.order_line_for_basket_line[pk] for pk in quote}
        order_split_into_shipments(order=order, installation_line_ids=installation_line_ids)
    return order


def order_split_into_shipments(*, order, installation_line_ids: Iterable[int] = frozenset()) -> list[Shipment]:
    """One Shipment per vendor of the order, each line snapshotting its warranty days,
    commission rate, return window and installation choice. Idempotent: lines already
    split are left alone, and only new shipments notify."""
    installation_line_ids = set(installation_line_ids)
    with transaction.atomic():
        region = order.shipping_address.state if order.shipping_address_id else ""
        placed_on = timezone.localdate(order.date_placed) if order.date_placed else timezone.localdate()
        lines_by_partner: OrderedDict[int, list] = OrderedDict()
        for line in order.lines.select_related("partner", "product").order_by("pk"):
            if line.partner_id is None:
                continue
            lines_by_partner.setdefault(line.partner_id, []).append(line)
        already_split = set(ShipmentLine.objects.filter(line__order=order).values_list("line_id", flat=True))
        new_shipments: list[Shipment] = []
        for lines in lines_by_partner.values():
            partner = lines[0].partner
            contract = _contract(partner)
            shipment, created = Shipment.objects.get_or_create(
                order=order,
                partner=partner,
                defaults={"promised_by": promised_delivery_date(partner=partner, region=region, from_date=placed_on)},
            )
            for line in lines:
                if line.pk in already_split:
                    continue
                term = _product_term(contract, line.product)
                installs = line.pk in installation_line_ids and term is not None and term.needs_installation
                ShipmentLine.objects.create(
                    shipment=shipment,
                    line=line,
                    warranty_days=contract_warranty_days(partner=partner, product=line.product),
                    commission_rate=contract_commission_rate(partner=partner, product=line.product),
                    return_window_days=contract.return_window_days,
                    installation_requested=installs,
                    installation_price=(term.unit_installation_price * line.quantity) if installs else ZERO,
                    installation_status=(
                        ShipmentLine.InstallationStatus.TO_DO if installs else ShipmentLine.InstallationStatus.NONE
                    ),
                )
            if created:
                SHIPMENT.log(shipment, SHIPMENT_PLACED, from_status="", note="order placed")
                new_shipments.append(shipment)
        # A card order waiting for payment isn't the vendors' business yet: they hear of
        # it when it is paid (on_order_status_changed).
        if order.status != order_status.PENDING_PAYMENT:
            for shipment in new_shipments:
                notify_vendor(shipment.partner, "vendor_new_order_lines", shipment_context(shipment))
        if new_shipments:
            notify_customer(order, "customer_order_placed", {"order": order, "shipments": list(order.shipments.all())})
        return list(order.shipments.select_related("partner").order_by("pk"))


def product_promises(*, partner: Any, product, region: str = "") -> dict:
    """What the product page promises for `partner`'s offer (P1, P2): the warranty length,
    whether the vendor installs it and at what price, and the delivery time to `region`
    (None: region unknown, then `from_days` is the quickest the contract promises)."""
    contract = _contract(partner)
    term = _product_term(contract, product)
    installs = term is not None and term.needs_installation
    promised_days = [promise.days for promise in contract.delivery_promises.all()] if contract.pk else []
    return {
        "partner": partner,
        "warranty_days": _warranty_days(contract, product, term),
        "installation": installs,
        "installation_price": term.unit_installation_price if installs else None,
        "delivery_days": delivery_days(partner=partner, region=region) if region else None,
        "from_days": min([*promised_days, contract.default_delivery_days]),
        "region": region,
    }
