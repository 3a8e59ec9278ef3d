"""Permission matrix rows of the shopper's API (issue 17 point 2): every signed-in user has
a basket, an address book and orders of their own, so each route is open to any signed-in
role and refused to visitors; another customer's order or line answers 404
(tests/functional/test_api_shop_*.py prove the object scoping; the order and shipment
cancellations of P5 too: a vendor, provider or staff member cancels only orders they
placed themselves as customers)."""

from tests.helpers.matrix import SIGNED_IN

ROWS: dict = {
    **{f"shop-api:{name}": SIGNED_IN for name in (
        "basket", "basket-lines", "basket-line", "basket-vouchers", "basket-voucher", "addresses", "checkout",
        "orders", "order", "line-claims", "order-cancel", "shipment-cancel",
    )},
    "payments-api:intent": SIGNED_IN,
}
