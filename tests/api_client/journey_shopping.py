"""The shopping part of the customer's journey (issue 17), as plain functions driving the
client generated from /api/schema/ (only generated operations; the Stripe side is what
Stripe's mobile SDK and Stripe's webhook do). The lead chains these with the accounts and
services journeys; tests/api_client/test_journey_shopping.py runs them on their own.

Each function asserts what a real app would rely on and returns what the next part needs.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib
import json
import time
from collections.abc import Callable
from types import ModuleType

import httpx

from tests.api_client.conftest import operation

GOOD_CARD = "4242424242424242"
TEST_ADDRESS = {
    "first_name": "Sara", "last_name": "Ahmadi", "line1": "Valiasr Street 12", "line4": "Tehran",
    "state": "Tehran", "postcode": "۱۴۳۴۸۴۳۳۱۱", "phone_number": "+989121234567", "country": "IR",
}
MAX_PRODUCT_PAGES = 5


def _models(pkg: ModuleType) -> ModuleType:
    return importlib.import_module(f"{pkg.__name__}.models")


def _ok(response, status: int = 200):
    assert response.status_code == status, (response.status_code, response.content[:500])
    return response.parsed


def _browse(pkg: ModuleType, client, category: int | None):
    """Every product on the first pages of the catalogue (or of one category)."""
    products_list = operation(pkg, "catalogue", "catalogue_products_list")
    kwargs = {"category": category} if category is not None else {}
    for page in range(1, MAX_PRODUCT_PAGES + 1):
        listing = _ok(products_list.sync_detailed(client=client, page=page, **kwargs))
        yield from listing.results
        if not listing.next_:
            return


def _key(idempotency: str | None, name: str) -> dict:
    """The `idempotency_key` argument of a creating or paying POST, when the journey sends
    keys (a mobile app does, so that a retry after a lost answer is not a second order)."""
    return {"idempotency_key": f"{idempotency}-{name}"} if idempotency else {}


def _fill_basket(pkg: ModuleType, client, category: int | None, idempotency: str | None = None):
    """Add available products until the basket holds two vendors' goods and at least one
    line the vendor installs (installation chosen on it)."""
    add = operation(pkg, "shop", "shop_basket_lines_create")
    change = operation(pkg, "shop", "shop_basket_lines_partial_update")
    remove = operation(pkg, "shop", "shop_basket_lines_destroy")
    models = _models(pkg)
    basket = None
    for product in _browse(pkg, client, category):
        if not product.availability.is_available_to_buy or product.price is None:
            continue
        before = {group.vendor.id for group in basket.vendors} if basket else set()
        installing = bool(basket) and any(line.installation and line.installation.chosen for line in basket.lines)
        basket = _ok(add.sync_detailed(client=client, body=models.AddLine(product=product.id, quantity=1),
                                       **_key(idempotency, f"line-{product.id}")), 201)
        line = next(line for line in basket.lines if line.product == product.id)
        if line.installation is not None and not installing:
            basket = _ok(change.sync_detailed(id=line.id, client=client,
                                              body=models.PatchedChangeLine(installation=True)))
        elif line.vendor is not None and line.vendor.id in before:
            basket = _ok(remove.sync_detailed(id=line.id, client=client))  # one more line of a vendor we have
        installing = any(line.installation and line.installation.chosen for line in basket.lines)
        if len(basket.vendors) >= 2 and installing:
            return basket
    raise AssertionError("the catalogue has no two vendors' goods with one offering installation")


def _deliver_webhook(stripe_client, *, intent_id: str, webhook_url: str, webhook_secret: str) -> None:
    """What Stripe does once the payment succeeds: a signed payment_intent.succeeded event."""
    intent = stripe_client.v1.payment_intents.retrieve(intent_id).to_dict()
    event = {"id": f"evt_journey_{intent_id}", "object": "event", "type": "payment_intent.succeeded",
             "data": {"object": intent}, "created": int(time.time())}
    payload = json.dumps(event)
    stamp = int(time.time())
    signature = hmac.new(webhook_secret.encode(), f"{stamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    response = httpx.post(webhook_url, content=payload, timeout=30, headers={
        "Content-Type": "application/json", "Stripe-Signature": f"t={stamp},v1={signature}"})
    assert response.status_code == 200, response.text


def shopper_buys_from_two_vendors(
    pkg: ModuleType,
    api_client: Callable[..., object],
    token: str,
    prefix: str,
    stripe_client,
    *,
    webhook_url: str,
    webhook_secret: str,
    category: int | None = None,
    voucher_code: str | None = None,
    idempotency: str | None = None,
) -> dict:
    """Browse the catalogue, fill a basket with two vendors' goods (one installed), apply
    the voucher if there is one, check out to a new address paying by card, pay through the
    intent's client secret (as Stripe's SDK does), let the webhook complete it, and see the
    order paid with one shipment per vendor. Returns {"order_number", "shipments", "vendors"}.

    With `idempotency` (a key prefix) every creating or paying POST sends an
    Idempotency-Key, and placing the order is sent twice: the second answer must be the
    first one replayed, not a second order."""
    client = api_client(token=token, prefix=prefix)
    models = _models(pkg)
    basket = _fill_basket(pkg, client, category, idempotency)
    if voucher_code:
        basket = _ok(operation(pkg, "shop", "shop_basket_vouchers_create").sync_detailed(
            client=client, body=models.VoucherCode(code=voucher_code)), 201)
        assert basket.vouchers and basket.discounts
        assert basket.totals.discounts.amount != "0.00"

    options = _ok(operation(pkg, "shop", "shop_checkout_retrieve").sync_detailed(client=client))
    assert "card" in [method.code for method in options.payment_methods]
    assert len(options.vendors) == 2 and all(group.promised_by for group in options.vendors)
    place_order = models.PlaceOrder(
        new_shipping_address=models.AddressInput(**TEST_ADDRESS),
        shipping_method=options.shipping_methods[0].code,
        payment_method="card",
    )
    checkout = operation(pkg, "shop", "shop_checkout_create")
    placed = checkout.sync_detailed(client=client, body=place_order, **_key(idempotency, "order"))
    order = _ok(placed, 201)
    assert order.payment.due_now and order.total.amount == options.totals.total.amount
    assert any(line.installation_requested for line in order.lines)
    if idempotency:
        # The app lost the answer and sends the same request again: the first order comes back.
        again = checkout.sync_detailed(client=client, body=place_order, **_key(idempotency, "order"))
        assert again.status_code == 201 and again.headers.get("Idempotent-Replayed") == "true"
        assert again.content == placed.content and again.parsed.number == order.number

    intent = _ok(operation(pkg, "payments", "payments_intent_create").sync_detailed(
        kind=order.payment.kind, reference=order.payment.reference, client=client, **_key(idempotency, "intent")))
    assert intent.amount.amount == order.total.amount and intent.client_secret
    # Stripe's SDK in the app: attach the card to the intent and confirm it.
    method = stripe_client.v1.payment_methods.create(
        {"type": "card", "card": {"number": GOOD_CARD, "exp_month": 12, "exp_year": 2035, "cvc": "123"}})
    stripe_client.v1.payment_intents.update(intent.payment_intent, {"payment_method": method.id})
    stripe_client.v1.payment_intents.confirm(intent.payment_intent)
    _deliver_webhook(stripe_client, intent_id=intent.payment_intent, webhook_url=webhook_url,
                     webhook_secret=webhook_secret)

    paid = _ok(operation(pkg, "shop", "shop_orders_retrieve").sync_detailed(number=order.number, client=client))
    assert not paid.payment.due_now and paid.receipts and paid.receipts[0].amount.amount == order.total.amount
    assert len(paid.shipments) == 2
    listed = _ok(operation(pkg, "shop", "shop_orders_list").sync_detailed(client=client))
    assert [summary.number for summary in listed.results].count(order.number) == 1
    return {
        "order_number": order.number,
        "shipments": [shipment.id for shipment in paid.shipments],
        "vendors": [shipment.vendor.id for shipment in paid.shipments],
    }


def vendors_ship(
    pkg: ModuleType,
    api_client: Callable[..., object],
    *,
    vendor_tokens: list[str],
    customer_token: str,
    prefix: str,
    order_number: str,
) -> dict:
    """Each vendor finds its shipment of the order, confirms it, ships it with a tracking
    number and marks it delivered; the customer then sees every shipment delivered with its
    tracking. Returns {"tracking": {shipment id: tracking reference}}."""
    models = _models(pkg)
    tracking: dict[int, str] = {}
    for vendor_token in vendor_tokens:
        vendor = api_client(token=vendor_token, prefix=prefix)
        shipments = _ok(operation(pkg, "vendor", "vendor_shipments_list").sync_detailed(client=vendor))
        mine = [shipment for shipment in shipments.results if shipment.order_number == order_number]
        assert len(mine) == 1, "each vendor has one shipment of the order"
        shipment = mine[0]
        _ok(operation(pkg, "vendor", "vendor_shipments_confirm_create").sync_detailed(id=shipment.id, client=vendor))
        reference = f"IR-POST-{shipment.id:06d}"
        shipped = _ok(operation(pkg, "vendor", "vendor_shipments_ship_create").sync_detailed(
            id=shipment.id, client=vendor, body=models.Ship(tracking_reference=reference, carrier="Iran Post")))
        assert shipped.tracking_reference == reference
        _ok(operation(pkg, "vendor", "vendor_shipments_deliver_create").sync_detailed(id=shipment.id, client=vendor))
        tracking[shipment.id] = reference

    customer = api_client(token=customer_token, prefix=prefix)
    order = _ok(operation(pkg, "shop", "shop_orders_retrieve").sync_detailed(number=order_number, client=customer))
    assert {shipment.id: shipment.tracking_reference for shipment in order.shipments} == tracking
    assert all(shipment.status.value == "delivered" for shipment in order.shipments)
    return {"tracking": tracking}
