"""Every write the vendor domain knows (issue 4; rules P1–P4, S10, S11, S17).

Conventions (architecture.md): keyword-only functions inside `transaction.atomic`;
contested rows locked with `select_for_update` in a fixed order (order, then shipment,
then its lines; stock records by pk); typed errors from vendors.errors; side effects
(notifications, page-cache retirement, Stripe transfers) after commit. Transitions are
named, checked against who fires them, logged as ShipmentEvents and idempotent: firing
one twice returns the same shipment and posts, sends and logs nothing more.

Money: every posting goes through ledger.services with an idempotency key naming the
business event ("vendor-sale:<order line id>", "vendor-release:<order line id>",
"vendor-payout:<key>", "vendor-fine:…", "vendor-refund:…"), so a repeat posts nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from oscar.apps.order.exceptions import InvalidOrderStatus
from oscar.core.loading import get_class, get_model

from core.page_cache import invalidate_all
from core.quality import quality_policy
from core.templatetags.locale_format import date as format_date
from ledger import services as ledger
from ledger.errors import InsufficientFunds
from ledger.models import Account, Transfer
from notifications.services import notify
from vendors.errors import (
    ApplicationAlreadyDecided,
    ClaimAlreadyOpen,
    ClaimNotAllowed,
    InstallationNotRequested,
    InstallationPriceChanged,
    InsufficientStock,
    InvalidTransition,
    NotAllowed,
    OrderNotPaid,
    PayoutNotAllowed,
    ReasonRequired,
    RefundNotAllowed,
    StockRefused,
    TrackingRequired,
    VendorError,
    VendorSuspended,
    WarrantyExpired,
)
from vendors.models import (
    CategoryTerm,
    Contract,
    DeliveryPromise,
    Payout,
    ProductTerm,
    Shipment,
    ShipmentEvent,
    ShipmentLine,
    VendorApplication,
    VendorSanction,
    WarrantyClaim,
    WarrantyClaimPhoto,
    iban_normalise,
    region_key,
)

logger = logging.getLogger(__name__)

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Order = get_model("order", "Order")
OrderCreator = get_class("order.utils", "OrderCreator")

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
INSTALLATION_SURCHARGE_CODE = "installation"

# Oscar's order pipeline (settings.OSCAR_ORDER_STATUS_PIPELINE), walked one step at a
# time as the order's shipments progress.
ORDER_PENDING_PAYMENT = "Pending payment"
ORDER_PROGRESS = ("Pending", "Being processed", "Shipped", "Delivered")
ORDER_CANCELLED = "Cancelled"

APPLICATION_FIELDS = (
    "company_name", "company_name_en", "registration_number", "contact_name", "email", "phone", "address",
    "bank_account_holder", "iban", "stripe_account_id", "message",
)

# Ledger account codes (contract in /tmp/chaarsoo-interfaces.md).
PLATFORM_SALES = "platform:sales"
PLATFORM_COMMISSION = "platform:commission"
PLATFORM_FINES = "platform:fines"
PLATFORM_PAYOUTS = "platform:payouts"


# ================================================================== who may act
def _actor(user):
    return user if getattr(user, "is_authenticated", False) else None


def _is_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


def vendor_for_user(user) -> Partner | None:
    """The partner this user works for (the first of user.partners), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return user.partners.order_by("pk").first()


def user_can_act_for(*, user, partner: Partner) -> bool:
    """Staff may act for any vendor; a vendor user only for its own partner."""
    if _is_staff(user):
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return partner.users.filter(pk=user.pk).exists()


def _require_vendor_or_staff(user, partner: Partner) -> None:
    if not user_can_act_for(user=user, partner=partner):
        raise NotAllowed(_("Only %(vendor)s's own staff or the platform's staff can do this.") % {"vendor": partner})


def _require_staff(user) -> None:
    if not _is_staff(user):
        raise NotAllowed(_("Only the platform's staff can do this."))


# ================================================================== applications
def application_submit(*, data: dict, categories: Iterable = (), applicant=None) -> VendorApplication:
    """Store a business's application to sell (issue 4 point 1)."""
    fields = {name: (data.get(name) or "").strip() for name in APPLICATION_FIELDS}
    fields["iban"] = iban_normalise(fields["iban"])
    application = VendorApplication(**fields, applicant=_actor(applicant))
    try:
        application.full_clean(exclude=["categories", "applicant", "partner", "decided_by"])
    except ValidationError as exc:
        messages = [str(message) for messages in exc.message_dict.values() for message in messages]
        raise VendorError(" ".join(messages), code="application_invalid") from exc
    with transaction.atomic():
        application.save()
        application.categories.set(list(categories))
    return application


def _vendor_user_for(application: VendorApplication):
    """The applicant, else the account with the application's email, else a new account
    (it has no password yet: the vendor sets one through "forgotten password")."""
    if application.applicant_id:
        return application.applicant
    User = get_user_model()
    existing = User.objects.filter(email__iexact=application.email, is_active=True).order_by("pk").first()
    if existing is not None:
        return existing
    base = application.email.split("@")[0][:100] or "vendor"
    username = base
    while User.objects.filter(username=username).exists():
        username = f"{base}-{get_random_string(6).lower()}"
    user = User(username=username, email=application.email, first_name=application.contact_name[:150])
    user.set_unusable_password()
    user.save()
    return user


def application_approve(
    *, application: VendorApplication, staff_user, commission_rate: Decimal | None = None
) -> Partner:
    """Approve: the business becomes an active partner with a contract and a vendor user
    who can use the seller dashboard. Approving twice returns the same partner."""
    _require_staff(staff_user)
    with transaction.atomic():
        application = VendorApplication.objects.select_for_update().get(pk=application.pk)
        if application.status == VendorApplication.Status.APPROVED:
            return application.partner
        if application.status != VendorApplication.Status.PENDING:
            raise ApplicationAlreadyDecided(_("This application was already rejected."))
        if commission_rate is not None and not (Decimal("0") <= Decimal(commission_rate) <= Decimal("1")):
            raise VendorError(_("The commission rate must be between 0 and 1."), code="invalid_commission_rate")
        partner = Partner.objects.create(
            name=application.company_name[:128], stripe_account_id=application.stripe_account_id
        )
        contract_fields: dict[str, Any] = {"partner": partner}
        if commission_rate is not None:
            contract_fields["commission_rate"] = Decimal(commission_rate)
        Contract.objects.create(**contract_fields)
        user = _vendor_user_for(application)
        partner.users.add(user)
        user.user_permissions.add(
            Permission.objects.get(codename="dashboard_access", content_type__app_label="partner")
        )
        application.status = VendorApplication.Status.APPROVED
        application.partner = partner
        application.decided_by = staff_user
        application.decided_at = timezone.now()
        application.save(update_fields=["status", "partner", "decided_by", "decided_at"])
        return partner


def application_reject(*, application: VendorApplication, staff_user, reason: str) -> VendorApplication:
    _require_staff(staff_user)
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(_("Say why the application is rejected; the applicant is told."))
    with transaction.atomic():
        application = VendorApplication.objects.select_for_update().get(pk=application.pk)
        if application.status == VendorApplication.Status.REJECTED:
            return application
        if application.status != VendorApplication.Status.PENDING:
            raise ApplicationAlreadyDecided(_("This application was already approved."))
        application.status = VendorApplication.Status.REJECTED
        application.decision_reason = reason
        application.decided_by = staff_user
        application.decided_at = timezone.now()
        application.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
        return application


# ================================================================== suspension
def vendor_suspend(*, partner: Partner, staff_user=None, reason: str, claim: WarrantyClaim | None = None) -> None:
    """Suspend a vendor: its products leave the storefront and can't be bought; its users
    can still sign in and see what they're owed. `staff_user=None` is the quality policy
    acting on its own. Suspending a suspended vendor changes nothing."""
    if staff_user is not None:
        _require_staff(staff_user)
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(_("Say why the vendor is suspended; the vendor is told."))
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        if partner.is_suspended:
            return
        partner.status = Partner.Status.SUSPENDED
        partner.suspended_reason = reason
        partner.suspended_at = timezone.now()
        partner.save(update_fields=["status", "suspended_reason", "suspended_at"])
        VendorSanction.objects.create(
            partner=partner, kind=VendorSanction.Kind.SUSPENSION, reason=reason, claim=claim,
            created_by=_actor(staff_user),
        )
        # Cached listings still show its products until retired.
        transaction.on_commit(invalidate_all)


def vendor_reinstate(*, partner: Partner, staff_user) -> None:
    _require_staff(staff_user)
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        if not partner.is_suspended:
            return
        partner.status = Partner.Status.ACTIVE
        partner.suspended_reason = ""
        partner.suspended_at = None
        partner.save(update_fields=["status", "suspended_reason", "suspended_at"])
        transaction.on_commit(invalidate_all)


# ================================================================== contract terms
def _contract(partner: Partner) -> Contract:
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


def contract_warranty_days(*, partner: Partner, product) -> int:
    """P1: the product's own term, else its category's, else the contract default."""
    contract = _contract(partner)
    product_term = _product_term(contract, product)
    if product_term is not None and product_term.warranty_days is not None:
        return product_term.warranty_days
    category_term = _category_term(contract, product, "warranty_days")
    if category_term is not None:
        return category_term.warranty_days
    return contract.default_warranty_days


def contract_commission_rate(*, partner: Partner, product) -> Decimal:
    """The category's commission term, else the contract default."""
    contract = _contract(partner)
    category_term = _category_term(contract, product, "commission_rate")
    if category_term is not None:
        return category_term.commission_rate
    return contract.commission_rate


def delivery_days(*, partner: Partner, region: str) -> int:
    """P2: the promise for the region (matched ignoring case, spacing, letter forms), else
    the contract's default."""
    contract = _contract(partner)
    key = region_key(region)
    if key and contract.pk is not None:
        promise = DeliveryPromise.objects.filter(contract=contract, region_key=key).first()
        if promise is not None:
            return promise.days
    return contract.default_delivery_days


def promised_delivery_date(*, partner: Partner, region: str, from_date: dt.date | None = None) -> dt.date:
    return (from_date or timezone.localdate()) + dt.timedelta(days=delivery_days(partner=partner, region=region))


def basket_delivery_promises(*, basket, region: str = "") -> list[dict]:
    """Per vendor in the basket: {"partner", "lines", "days", "promised_by"}, in basket order."""
    groups: OrderedDict[int, list] = OrderedDict()
    for line in basket.all_lines():
        if line.stockrecord_id is None:
            continue
        groups.setdefault(line.stockrecord.partner_id, []).append(line)
    partners = Partner.objects.in_bulk(list(groups))
    today = timezone.localdate()
    promises = []
    for partner_id, lines in groups.items():
        partner = partners[partner_id]
        days = delivery_days(partner=partner, region=region)
        promises.append(
            {"partner": partner, "lines": lines, "days": days, "promised_by": today + dt.timedelta(days=days)}
        )
    return promises


# ================================================================== stock
def stock_set(*, stockrecord, num_in_stock: int, price: Decimal | None, user) -> StockRecord:
    """Set a vendor's stock level (and price). P3: never above the contracted quantity;
    never below what is already sold and not yet shipped."""
    _require_vendor_or_staff(user, stockrecord.partner)
    if num_in_stock is None or int(num_in_stock) < 0:
        raise StockRefused(_("Enter a stock level of zero or more."))
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


# ================================================================== installation
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


# ================================================================== placing an order
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
                % {"product": product.get_title(), "vendor": record.partner.name}
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
                ShipmentEvent.objects.create(shipment=shipment, from_status="", to_status=shipment.status,
                                             note="order placed")
                new_shipments.append(shipment)
        # A card order waiting for payment isn't the vendors' business yet: they hear of
        # it when it is paid (on_order_status_changed).
        if order.status != ORDER_PENDING_PAYMENT:
            for shipment in new_shipments:
                _notify_vendor(shipment.partner, "vendor_new_order_lines", _shipment_context(shipment))
        if new_shipments:
            _notify_customer(order, "customer_order_placed", {"order": order, "shipments": list(order.shipments.all())})
        return list(order.shipments.select_related("partner").order_by("pk"))


# ================================================================== notifications
def vendor_contact_phone(partner: Partner) -> str | None:
    """The phone the vendor gave when applying (the latest approved application)."""
    return (
        VendorApplication.objects.filter(partner=partner, status=VendorApplication.Status.APPROVED)
        .exclude(phone="")
        .order_by("-decided_at", "-pk")
        .values_list("phone", flat=True)
        .first()
    )


def _notify_vendor(partner: Partner, event: str, context: dict) -> None:
    users = list(partner.users.filter(is_active=True).order_by("pk"))
    phone = vendor_contact_phone(partner)
    context = {"partner": partner, **context}
    if not users and phone:
        notify(event=event, phone=phone, context=context)
    for index, user in enumerate(users):
        # The vendor's business phone is texted once, not once per user.
        notify(event=event, recipient=user, phone=phone if index == 0 else None, context=context)


def _customer_phone(order) -> str | None:
    address = order.shipping_address
    number = getattr(address, "phone_number", None) if address is not None else None
    return str(number) if number else None


def _notify_customer(order, event: str, context: dict) -> None:
    if order.user_id is None and not order.guest_email:
        return
    notify(
        event=event,
        recipient=order.user,
        email=None if order.user_id else order.guest_email,
        phone=_customer_phone(order),
        context={"order": order, **context},
    )


def _shipment_context(shipment: Shipment) -> dict:
    return {
        "shipment": shipment,
        "order": shipment.order,
        "lines": list(shipment.lines.select_related("line").order_by("pk")),
        "address": shipment.order.shipping_address,
    }


# ================================================================== shipment transitions
def _lock_for_transition(shipment: Shipment) -> tuple[Any, Shipment]:
    """Lock the order, then the shipment (always in that order: sibling shipments of one
    order moving at once must agree on the order's status)."""
    order = Order.objects.select_for_update().get(pk=shipment.order_id)
    locked = Shipment.objects.select_for_update().select_related("partner").get(pk=shipment.pk)
    locked.order = order
    return order, locked


def _log(shipment: Shipment, from_status: str, user, note: str = "") -> None:
    ShipmentEvent.objects.create(
        shipment=shipment, from_status=from_status, to_status=shipment.status, note=note[:2000],
        created_by=_actor(user),
    )


def _refuse(shipment: Shipment, message: str) -> InvalidTransition:
    """`message` names the refused step and takes the shipment's current %(status)s."""
    return InvalidTransition(message % {"status": shipment.get_status_display()})


def _check_order_open(order) -> None:
    if order.status == ORDER_PENDING_PAYMENT:
        raise OrderNotPaid(_("Order %(number)s is waiting for the customer's payment.") % {"number": order.number})
    if order.status == ORDER_CANCELLED:
        raise InvalidTransition(_("Order %(number)s was cancelled.") % {"number": order.number})


def _order_sync_status(order) -> None:
    """Move the Oscar order along its pipeline as its shipments progress: processing once
    one is confirmed, shipped when all are on their way, delivered when all arrived,
    cancelled when every shipment was cancelled."""
    statuses = list(order.shipments.values_list("status", flat=True))
    active = [status for status in statuses if status != Shipment.Status.CANCELLED]
    if not active:
        target = ORDER_CANCELLED
    elif all(status == Shipment.Status.DELIVERED for status in active):
        target = "Delivered"
    elif all(status in (Shipment.Status.SHIPPED, Shipment.Status.DELIVERED) for status in active):
        target = "Shipped"
    elif any(status != Shipment.Status.PENDING for status in active):
        target = "Being processed"
    else:
        return
    try:
        if target == ORDER_CANCELLED:
            if target in order.available_statuses():
                order.set_status(target)
            return
        if order.status not in ORDER_PROGRESS:
            return
        for status in ORDER_PROGRESS[ORDER_PROGRESS.index(order.status) + 1: ORDER_PROGRESS.index(target) + 1]:
            order.set_status(status)
    except InvalidOrderStatus:
        # A customised pipeline without these steps: shipments still carry the truth.
        logger.warning("Order %s can't move to %s from %s", order.number, target, order.status)


def shipment_confirm(*, shipment: Shipment, user) -> Shipment:
    """pending -> confirmed: the vendor accepts its part of the order."""
    with transaction.atomic():
        order, shipment = _lock_for_transition(shipment)
        _require_vendor_or_staff(user, shipment.partner)
        if shipment.status in (Shipment.Status.CONFIRMED, Shipment.Status.SHIPPED, Shipment.Status.DELIVERED):
            return shipment
        if not shipment.can_confirm():
            raise _refuse(shipment, _("This shipment is %(status)s, so it can't be confirmed."))
        _check_order_open(order)
        old = shipment.status
        shipment.status = Shipment.Status.CONFIRMED
        shipment.confirmed_at = timezone.now()
        shipment.save(update_fields=["status", "confirmed_at"])
        _log(shipment, old, user)
        _order_sync_status(order)
        return shipment


def shipment_ship(*, shipment: Shipment, user, tracking_reference: str, carrier: str = "") -> Shipment:
    """confirmed -> shipped, with the tracking reference the customer can follow. The
    stock allocated at checkout is consumed now."""
    tracking_reference = (tracking_reference or "").strip()
    if not tracking_reference:
        raise TrackingRequired(_("Enter the tracking reference the customer can follow."))
    with transaction.atomic():
        order, shipment = _lock_for_transition(shipment)
        _require_vendor_or_staff(user, shipment.partner)
        if shipment.status in (Shipment.Status.SHIPPED, Shipment.Status.DELIVERED):
            return shipment
        if not shipment.can_ship():
            if shipment.status == Shipment.Status.PENDING:
                raise InvalidTransition(_("Confirm the shipment before shipping it."))
            raise _refuse(shipment, _("This shipment is %(status)s, so it can't be shipped."))
        _check_order_open(order)
        old = shipment.status
        shipment.status = Shipment.Status.SHIPPED
        shipment.tracking_reference = tracking_reference[:128]
        shipment.carrier = (carrier or "").strip()[:100]
        shipment.shipped_at = timezone.now()
        shipment.save(update_fields=["status", "tracking_reference", "carrier", "shipped_at"])
        for item in shipment.lines.select_related("line__stockrecord").order_by("pk"):
            line = item.line
            if line.stockrecord_id and line.is_allocation_consumption_possible(line.quantity):
                line.consume_allocation(line.quantity)
        _log(shipment, old, user, note=f"{shipment.carrier} {shipment.tracking_reference}".strip())
        _order_sync_status(order)
        _notify_customer(order, "customer_shipment_shipped", _shipment_context(shipment))
        return shipment


def _vendor_accounts(partner: Partner, currency: str) -> tuple[Account, Account]:
    held = ledger.account_get_or_create(
        code=f"vendor:{partner.pk}:held", currency=currency, name=f"{partner.name}: held", floor=Decimal("0"),
        owner=partner,
    )
    available = ledger.account_get_or_create(
        code=f"vendor:{partner.pk}:available", currency=currency, name=f"{partner.name}: available", floor=None,
        owner=partner,
    )
    return held, available


def _platform_account(code: str, currency: str) -> Account:
    return ledger.account_get_or_create(code=code, currency=currency, name=code, floor=None)


def _legs(*pairs: tuple[Account, Decimal]) -> list[tuple[Account, Decimal]]:
    return [(account, amount) for account, amount in pairs if amount != 0]


def commission_for(*, price: Decimal, rate: Decimal) -> Decimal:
    """The platform's commission on a sale, rounded half up to the cent."""
    return (Decimal(price) * Decimal(rate)).quantize(CENT, rounding=ROUND_HALF_UP)


def _credit_sale(item: ShipmentLine, partner: Partner, currency: str, delivered_at: dt.datetime, user) -> None:
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
    commission = commission_for(price=price, rate=item.commission_rate)
    credit = price - commission + installation
    gross = price + installation
    if gross > 0:
        held, _available = _vendor_accounts(partner, currency)
        ledger.transfer_post(
            idempotency_key=f"vendor-sale:{item.line_id}",
            kind="vendor_sale",
            legs=_legs(
                (_platform_account(PLATFORM_SALES, currency), -gross),
                (held, credit),
                (_platform_account(PLATFORM_COMMISSION, currency), commission),
            ),
            memo=f"{item.line.order.number}: {item.line.title} × {item.line.quantity}",
            user=_actor(user),
            metadata={"order": item.line.order.number, "line": item.line_id, "partner": partner.pk},
        )
    item.commission_amount = commission
    item.credited_amount = credit
    item.held_amount = credit
    item.release_due_at = delivered_at + dt.timedelta(days=item.return_window_days)
    item.save(update_fields=["commission_amount", "credited_amount", "held_amount", "release_due_at"])


def shipment_deliver(*, shipment: Shipment, user) -> Shipment:
    """shipped -> delivered: the warranty starts, and the vendor's held payable is
    credited per line (released after the return window by payable_release_due)."""
    with transaction.atomic():
        order, shipment = _lock_for_transition(shipment)
        _require_vendor_or_staff(user, shipment.partner)
        if shipment.status == Shipment.Status.DELIVERED:
            return shipment
        if not shipment.can_deliver():
            raise _refuse(shipment, _("This shipment is %(status)s, so it can't be marked delivered."))
        _check_order_open(order)
        old = shipment.status
        shipment.status = Shipment.Status.DELIVERED
        shipment.delivered_at = timezone.now()
        shipment.save(update_fields=["status", "delivered_at"])
        items = ShipmentLine.objects.select_for_update().filter(shipment=shipment).order_by("pk")
        for item in items.select_related("line__order"):
            _credit_sale(item, shipment.partner, order.currency, shipment.delivered_at, user)
        _log(shipment, old, user)
        _order_sync_status(order)
        _notify_customer(order, "customer_shipment_delivered", _shipment_context(shipment))
        return shipment


def shipment_cancel(*, shipment: Shipment, user, reason: str) -> Shipment:
    """pending/confirmed -> cancelled (never once shipped); the stock goes back on sale."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(_("Say why the shipment is cancelled; the customer is told."))
    with transaction.atomic():
        order, shipment = _lock_for_transition(shipment)
        _require_vendor_or_staff(user, shipment.partner)
        if shipment.status == Shipment.Status.CANCELLED:
            return shipment
        if not shipment.can_cancel():
            raise InvalidTransition(_("This shipment has already left the vendor; arrange a return instead."))
        # An unpaid card order is cancelled as a whole by its payment expiry, which gives
        # its stock back once; cancelling a part of it here too would give it back twice.
        _check_order_open(order)
        old = shipment.status
        shipment.status = Shipment.Status.CANCELLED
        shipment.cancelled_at = timezone.now()
        shipment.cancel_reason = reason
        shipment.save(update_fields=["status", "cancelled_at", "cancel_reason"])
        for item in shipment.lines.select_related("line__stockrecord").order_by("pk"):
            if item.line.stockrecord_id:
                item.line.cancel_allocation(item.line.quantity)
        _log(shipment, old, user, note=reason)
        _order_sync_status(order)
        _notify_customer(order, "customer_shipment_cancelled", {**_shipment_context(shipment), "reason": reason})
        return shipment


def order_cancelled_close_shipments(*, order, note: str = "order cancelled") -> int:
    """An order cancelled as a whole (e.g. an unpaid card order expired by payments/)
    closes its vendors' shipments that haven't left yet, so no vendor prepares goods for
    it. Stock is not touched: whoever cancelled the order released it. Returns how many
    shipments were closed; a second call closes none."""
    closed = 0
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status != ORDER_CANCELLED:
            return 0
        shipments = Shipment.objects.select_for_update().filter(
            order=order, status__in=[Shipment.Status.PENDING, Shipment.Status.CONFIRMED]
        )
        for shipment in shipments.order_by("pk"):
            old = shipment.status
            shipment.status = Shipment.Status.CANCELLED
            shipment.cancelled_at = timezone.now()
            shipment.cancel_reason = note
            shipment.save(update_fields=["status", "cancelled_at", "cancel_reason"])
            _log(shipment, old, None, note=note)
            closed += 1
    return closed


def on_order_status_changed(sender, order, old_status, new_status, **kwargs) -> None:
    """Receiver for Oscar's `order_status_changed` signal (we don't own its sender;
    connected in VendorsConfig.ready): a paid card order tells its vendors, a cancelled order
    closes their shipments."""
    if new_status == ORDER_CANCELLED:
        order_cancelled_close_shipments(order=order)
    elif old_status == ORDER_PENDING_PAYMENT:
        for shipment in Shipment.objects.filter(order=order).select_related("partner", "order").order_by("pk"):
            _notify_vendor(shipment.partner, "vendor_new_order_lines", _shipment_context(shipment))


def installation_mark_done(*, shipment_line: ShipmentLine, user) -> ShipmentLine:
    """The vendor's installation task (P1) is done."""
    with transaction.atomic():
        item = ShipmentLine.objects.select_for_update().select_related("shipment__partner", "line").get(
            pk=shipment_line.pk
        )
        _require_vendor_or_staff(user, item.shipment.partner)
        if not item.installation_requested:
            raise InstallationNotRequested(_("The customer didn't ask for installation of this item."))
        if item.installation_status == ShipmentLine.InstallationStatus.DONE:
            return item
        if item.shipment.status not in (Shipment.Status.SHIPPED, Shipment.Status.DELIVERED):
            raise InvalidTransition(_("Install the item once it has been shipped to the customer."))
        item.installation_status = ShipmentLine.InstallationStatus.DONE
        item.installed_at = timezone.now()
        item.save(update_fields=["installation_status", "installed_at"])
        ShipmentEvent.objects.create(
            shipment=item.shipment, from_status=item.shipment.status, to_status=item.shipment.status,
            note=f"installation done: {item.line.title}", created_by=_actor(user),
        )
        return item


# ================================================================== payables
def payable_release_due(*, now: dt.datetime | None = None) -> int:
    """Move HELD -> AVAILABLE for every delivered line whose return window has passed.
    Returns how many lines were released. Safe to run again (and concurrently): each line
    is locked and released once, under the key "vendor-release:<order line id>"."""
    now = now or timezone.now()
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
                held, available = _vendor_accounts(partner, item.shipment.order.currency)
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


def vendor_balance(*, partner: Partner) -> dict:
    """{"held", "available", "currency"}: what the platform owes the vendor, before and
    after the return window."""
    balances = dict(
        Account.objects.filter(code__in=[f"vendor:{partner.pk}:held", f"vendor:{partner.pk}:available"])
        .values_list("code", "balance")
    )
    return {
        "held": balances.get(f"vendor:{partner.pk}:held", ZERO),
        "available": balances.get(f"vendor:{partner.pk}:available", ZERO),
        "currency": settings.OSCAR_DEFAULT_CURRENCY,
    }


# ================================================================== payouts
def payout_create(*, partner: Partner, amount: Decimal, user, idempotency_key: str) -> Payout:
    """Pay the vendor out of its AVAILABLE balance (never below zero). Recorded at once;
    sent as a Stripe Connect transfer after commit when the vendor has a connected account
    and Stripe is configured. The same key again returns the same payout."""
    _require_vendor_or_staff(user, partner)
    amount = Decimal(amount)
    if amount <= 0 or amount != amount.quantize(CENT):
        raise PayoutNotAllowed(_("Enter an amount greater than zero, in whole cents."))
    if not idempotency_key:
        raise PayoutNotAllowed(_("A payout needs an idempotency key."))
    currency = settings.OSCAR_DEFAULT_CURRENCY
    existing = Payout.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.partner_id != partner.pk or existing.amount != amount:
            raise PayoutNotAllowed(_("This payout request was already used for another payout; reload the page."))
        return existing
    try:
        with transaction.atomic():
            payout = Payout.objects.create(
                partner=partner, amount=amount, currency=currency, idempotency_key=idempotency_key,
                created_by=_actor(user),
            )
            _held, available = _vendor_accounts(partner, currency)
            try:
                ledger.transfer_move(
                    idempotency_key=payout.ledger_key,
                    kind="vendor_payout",
                    source=available,
                    destination=_platform_account(PLATFORM_PAYOUTS, currency),
                    amount=amount,
                    memo=f"payout to {partner.name}",
                    user=_actor(user),
                    metadata={"payout": payout.pk, "partner": partner.pk},
                    source_minimum=Decimal("0"),
                )
            except InsufficientFunds as exc:
                raise PayoutNotAllowed(
                    _("Only %(available)s %(currency)s is available to pay out.")
                    % {"available": ledger.account_balance(account=available), "currency": currency}
                ) from exc
    except IntegrityError:
        # The same key was recorded by a concurrent request: that payout is this payout.
        existing = Payout.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing
    if partner.stripe_account_id and _stripe_configured():
        transaction.on_commit(lambda: payout_send(payout=payout))
    return payout


def _stripe_configured() -> bool:
    from payments.gateway import stripe_configured

    return stripe_configured()


def _stripe_client():
    """A Stripe client built exactly as payments.gateway builds its own."""
    import stripe

    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        max_network_retries=settings.STRIPE_MAX_NETWORK_RETRIES,
        http_client=stripe.RequestsClient(timeout=settings.STRIPE_TIMEOUT_SECONDS),
    )


def payout_send(*, payout: Payout) -> Payout:
    """Send a recorded payout to the vendor's Stripe Connect account.

    Only a "recorded" payout of a vendor with a connected account is sent; Stripe gets an
    idempotency key derived from the payout's, so a retry never pays twice. Stripe
    refusing the transfer marks the payout failed and reverses its ledger debit (the money
    is available to the vendor again); an unreachable Stripe leaves it recorded, to retry.
    """
    import stripe

    from payments.money import to_minor

    with transaction.atomic():
        payout = Payout.objects.select_for_update().select_related("partner").get(pk=payout.pk)
        if payout.status != Payout.Status.RECORDED or not payout.partner.stripe_account_id:
            return payout
        try:
            transfer = _stripe_client().v1.transfers.create(
                {
                    "amount": to_minor(payout.amount, payout.currency),
                    "currency": payout.currency.lower(),
                    "destination": payout.partner.stripe_account_id,
                    "metadata": {"payout": str(payout.pk), "partner": str(payout.partner_id)},
                },
                {"idempotency_key": f"payout:{payout.idempotency_key}"},
            )
        except stripe.APIConnectionError as exc:
            logger.warning("Stripe unreachable for payout %s: %s", payout.pk, exc)
            payout.failure_message = str(_("Stripe could not be reached; the payout will be retried."))
            payout.save(update_fields=["failure_message"])
            return payout
        except stripe.StripeError as exc:
            logger.warning("Stripe refused payout %s: %s", payout.pk, exc)
            payout.status = Payout.Status.FAILED
            payout.failure_message = (getattr(exc, "user_message", None) or str(exc) or type(exc).__name__)[:2000]
            payout.save(update_fields=["status", "failure_message"])
            ledger.transfer_reverse(
                transfer=Transfer.objects.get(idempotency_key=payout.ledger_key),
                idempotency_key=f"vendor-payout-failed:{payout.idempotency_key}",
                memo=f"Stripe refused payout {payout.pk}",
            )
            return payout
        payout.status = Payout.Status.SENT
        payout.stripe_transfer_id = transfer.id
        payout.failure_message = ""
        payout.sent_at = timezone.now()
        payout.save(update_fields=["status", "stripe_transfer_id", "failure_message", "sent_at"])
        return payout


# ================================================================== fines and refunds
def _fine(*, partner: Partner, amount: Decimal, reason: str, user, claim: WarrantyClaim | None,
          key: str) -> VendorSanction:
    existing = VendorSanction.objects.filter(kind=VendorSanction.Kind.FINE, ledger_transfer_key=key).first()
    if existing is not None:
        return existing
    currency = settings.OSCAR_DEFAULT_CURRENCY
    sanction = VendorSanction.objects.create(
        partner=partner, kind=VendorSanction.Kind.FINE, amount=amount, currency=currency, reason=reason,
        claim=claim, created_by=_actor(user), ledger_transfer_key=key,
    )
    _held, available = _vendor_accounts(partner, currency)
    # A fine may take the balance below zero: the vendor then owes the platform, and
    # later sales pay it back before any payout.
    ledger.transfer_move(
        idempotency_key=key,
        kind="vendor_fine",
        source=available,
        destination=_platform_account(PLATFORM_FINES, currency),
        amount=amount,
        memo=reason[:200],
        user=_actor(user),
        metadata={"sanction": sanction.pk, "partner": partner.pk},
    )
    return sanction


def vendor_fine(
    *, partner: Partner, amount: Decimal, reason: str, staff_user, claim: WarrantyClaim | None = None,
    idempotency_key: str | None = None,
) -> VendorSanction:
    """Staff fine a vendor (S10, P3): debited from its AVAILABLE balance to platform:fines.
    A claim is fined once; pass `idempotency_key` so a repeated form fines once too."""
    _require_staff(staff_user)
    amount = Decimal(amount)
    reason = (reason or "").strip()
    if amount <= 0 or amount != amount.quantize(CENT):
        raise VendorError(_("Enter a fine greater than zero, in whole cents."), code="invalid_fine")
    if not reason:
        raise ReasonRequired(_("Say why the vendor is fined; the vendor is told."))
    with transaction.atomic():
        if claim is not None:
            key = f"vendor-fine:claim:{claim.pk}"
        elif idempotency_key:
            key = f"vendor-fine:{idempotency_key}"
        else:
            key = f"vendor-fine:{partner.pk}:{get_random_string(16)}"
        return _fine(partner=partner, amount=amount, reason=reason, user=staff_user, claim=claim, key=key)


def order_refund_debit(*, line, amount: Decimal, user, idempotency_key: str | None = None) -> None:
    """A refund of a delivered line takes the vendor's share back: from HELD while the
    return window is open, from AVAILABLE after; the platform returns its commission share.
    Nothing was credited for an undelivered line, so nothing is debited. The key defaults
    to the line and amount; pass the refund's own id when one line is refunded the same
    amount twice."""
    if user is not None:
        _require_staff(user)
    amount = Decimal(amount)
    if amount <= 0 or amount != amount.quantize(CENT):
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
        vendor_share = (amount * item.credited_amount / gross).quantize(CENT, rounding=ROUND_HALF_UP)
        commission_share = amount - vendor_share
        currency = item.shipment.order.currency
        held, available = _vendor_accounts(item.shipment.partner, currency)
        source = held if item.released_at is None else available
        ledger.transfer_post(
            idempotency_key=key,
            kind="vendor_refund",
            legs=_legs(
                (source, -vendor_share),
                (_platform_account(PLATFORM_COMMISSION, currency), -commission_share),
                (_platform_account(PLATFORM_SALES, currency), amount),
            ),
            memo=f"refund {item.shipment.order.number}: {item.line.title}",
            user=_actor(user),
            metadata={"line": item.line_id, "partner": item.shipment.partner_id},
        )
        item.refunded_amount += amount
        if source == held:
            item.held_amount -= vendor_share
        item.save(update_fields=["refunded_amount", "held_amount"])


def order_refund_allocate(*, order, amount: Decimal, user, idempotency_key: str) -> Decimal:
    """Spread a refund of a paid order over its lines and take each share back from its
    vendor (issue 4 point 8). Called by the payments app for every card refund of an
    order, staff's or one made in Stripe's own dashboard.

    A refund names no lines, so it falls first on lines not yet delivered (what is usually
    refunded before it arrives: recorded on the line, so delivery later credits the vendor
    only what was not refunded), then on delivered lines (debited from the vendor's
    balance), each in line order and up to what is still refundable on it. Returns the
    part that fell on vendors' lines; the rest (shipping) was never a vendor's."""
    remaining = Decimal(amount)
    allocated = Decimal("0.00")
    items = list(
        ShipmentLine.objects.select_for_update()
        .filter(shipment__order=order)
        .exclude(shipment__status=Shipment.Status.CANCELLED)
        .select_related("line", "shipment")
        .order_by("line_id")
    )
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


# ================================================================== warranty claims
def warranty_claim_open(
    *, shipment_line: ShipmentLine, customer, kind: str, description: str, photos: Iterable = ()
) -> WarrantyClaim:
    """P1: the customer asks for a replacement or repair of a delivered line within its
    warranty. A claim after the warranty ends is refused with the end date shown."""
    item = ShipmentLine.objects.select_related("shipment__partner", "shipment__order", "line").get(
        pk=shipment_line.pk
    )
    order = item.shipment.order
    if not getattr(customer, "is_authenticated", False) or order.user_id != customer.pk:
        raise NotAllowed(_("Only the customer who ordered this item can open a claim for it."), code="claim_forbidden")
    if kind not in WarrantyClaim.Kind.values:
        raise ClaimNotAllowed(_("Choose replacement or repair."))
    description = (description or "").strip()
    if not description:
        raise ClaimNotAllowed(_("Describe what is wrong with the item."))
    ends_on = item.warranty_ends_on()
    if ends_on is None:
        raise ClaimNotAllowed(_("The warranty starts when the item is delivered; you can open a claim after that."))
    if timezone.localdate() > ends_on:
        raise WarrantyExpired(
            _("The warranty for “%(product)s” ended on %(date)s, so a claim can no longer be opened.")
            % {"product": item.line.title, "date": format_date(ends_on, "j F Y")},
            ends_on=ends_on,
        )
    try:
        with transaction.atomic():
            item = ShipmentLine.objects.select_for_update().get(pk=item.pk)
            if item.claims.filter(status=WarrantyClaim.Status.OPEN).exists():
                raise ClaimAlreadyOpen(_("A claim for this item is already open; the vendor will answer it."))
            claim = WarrantyClaim.objects.create(
                shipment_line=item, customer=customer, kind=kind, description=description
            )
            for photo in photos:
                WarrantyClaimPhoto.objects.create(claim=claim, image=photo)
            context = {"claim": claim, "order": order, "line": claim.shipment_line.line}
            _notify_vendor(claim.partner, "vendor_claim_opened", context)
            _notify_customer(order, "customer_claim_opened", context)
    except IntegrityError as exc:
        raise ClaimAlreadyOpen(_("A claim for this item is already open; the vendor will answer it.")) from exc
    return claim


def _claim_locked(claim: WarrantyClaim) -> WarrantyClaim:
    return (
        WarrantyClaim.objects.select_for_update()
        .select_related("shipment_line__shipment__partner", "shipment_line__shipment__order", "shipment_line__line")
        .get(pk=claim.pk)
    )


def _apply_quality_policy(claim: WarrantyClaim) -> None:
    """P3/S11: a confirmed failure fines the vendor a share of the line's value; too many
    in the policy's window suspend it."""
    policy = quality_policy("vendor")
    partner = claim.partner
    fine = policy.fine_for(claim.shipment_line.line.line_price_incl_tax)
    if fine > 0:
        _fine(
            partner=partner, amount=fine, reason=_("Warranty claim #%(claim)s upheld") % {"claim": claim.pk},
            user=None, claim=claim, key=f"vendor-fine:claim:{claim.pk}",
        )
    since = timezone.now() - dt.timedelta(days=policy.window_days)
    failures = WarrantyClaim.objects.filter(
        shipment_line__shipment__partner=partner, upheld=True, responded_at__gte=since
    ).count()
    if policy.should_suspend(failures):
        vendor_suspend(
            partner=partner,
            reason=_("%(count)d warranty claims upheld within %(days)d days")
            % {"count": failures, "days": policy.window_days},
            claim=claim,
        )


def warranty_claim_respond(*, claim: WarrantyClaim, user, accept: bool, response: str) -> WarrantyClaim:
    """The vendor (or staff) accepts or rejects an open claim. Accepting means the goods
    failed: the claim is upheld and the quality policy applies. Answering again the same
    way changes nothing."""
    response = (response or "").strip()
    with transaction.atomic():
        claim = _claim_locked(claim)
        _require_vendor_or_staff(user, claim.partner)
        if claim.status != WarrantyClaim.Status.OPEN:
            same = claim.upheld if accept else claim.status == WarrantyClaim.Status.REJECTED
            if same:
                return claim
            raise InvalidTransition(_("This claim was already answered."))
        if not accept and not response:
            raise ReasonRequired(_("Tell the customer why the claim is rejected."))
        claim.status = WarrantyClaim.Status.ACCEPTED if accept else WarrantyClaim.Status.REJECTED
        claim.upheld = bool(accept)
        claim.vendor_response = response
        claim.responded_by = _actor(user)
        claim.responded_at = timezone.now()
        claim.save(update_fields=["status", "upheld", "vendor_response", "responded_by", "responded_at"])
        if accept:
            _apply_quality_policy(claim)
        _notify_customer(
            claim.shipment_line.shipment.order, "customer_claim_answered",
            {"claim": claim, "line": claim.shipment_line.line},
        )
        return claim


def warranty_claim_uphold(*, claim: WarrantyClaim, staff_user, response: str) -> WarrantyClaim:
    """Staff overrule a vendor's rejection: the goods failed after all (counts for the
    quality policy like an acceptance). Upholding twice changes nothing."""
    _require_staff(staff_user)
    response = (response or "").strip()
    if not response:
        raise ReasonRequired(_("Say why the claim is upheld; vendor and customer are told."))
    with transaction.atomic():
        claim = _claim_locked(claim)
        if claim.upheld:
            return claim
        if claim.status not in (WarrantyClaim.Status.OPEN, WarrantyClaim.Status.REJECTED):
            raise InvalidTransition(_("This claim was already resolved."))
        claim.status = WarrantyClaim.Status.ACCEPTED
        claim.upheld = True
        claim.vendor_response = response
        claim.responded_by = staff_user
        claim.responded_at = timezone.now()
        claim.save(update_fields=["status", "upheld", "vendor_response", "responded_by", "responded_at"])
        _apply_quality_policy(claim)
        _notify_customer(
            claim.shipment_line.shipment.order, "customer_claim_answered",
            {"claim": claim, "line": claim.shipment_line.line},
        )
        return claim


def warranty_claim_resolve(*, claim: WarrantyClaim, user) -> WarrantyClaim:
    """An accepted claim is done: the item was replaced or repaired."""
    with transaction.atomic():
        claim = _claim_locked(claim)
        _require_vendor_or_staff(user, claim.partner)
        if claim.status == WarrantyClaim.Status.RESOLVED:
            return claim
        if claim.status != WarrantyClaim.Status.ACCEPTED:
            raise InvalidTransition(_("Only an accepted claim can be marked resolved."))
        claim.status = WarrantyClaim.Status.RESOLVED
        claim.resolved_at = timezone.now()
        claim.save(update_fields=["status", "resolved_at"])
        return claim


__all__ = [
    "application_submit", "application_approve", "application_reject", "vendor_suspend", "vendor_reinstate",
    "contract_warranty_days", "contract_commission_rate", "delivery_days", "promised_delivery_date",
    "basket_delivery_promises", "basket_installation_options", "installation_quote", "stock_set", "order_place",
    "order_split_into_shipments", "shipment_confirm", "shipment_ship", "shipment_deliver", "shipment_cancel",
    "installation_mark_done", "payable_release_due", "vendor_balance", "payout_create", "payout_send",
    "warranty_claim_open", "warranty_claim_respond", "warranty_claim_uphold", "warranty_claim_resolve",
    "vendor_fine", "order_refund_debit", "vendor_for_user", "user_can_act_for", "vendor_contact_phone",
    "commission_for",
]
