"""Expected shopping failures for the API (basket, vouchers, checkout): each has a stable
code and a message a person can act on; the API returns them as `{"code", "detail"}`."""

from __future__ import annotations

from core.errors import DomainError


class ShopError(DomainError):
    code = "shop_error"


class NotAvailable(ShopError):
    """Oscar's stock and availability rules refuse this product or quantity."""

    code = "not_available"
    status_code = 409


class InstallationNotOffered(ShopError):
    code = "installation_not_offered"


class VoucherRefused(ShopError):
    code = "voucher_refused"


class BasketEmpty(ShopError):
    code = "basket_empty"
    status_code = 409


class BasketNotBuyable(ShopError):
    """Something in the basket can no longer be bought as it is (Oscar's basket check)."""

    code = "basket_not_buyable"
    status_code = 409


class PaymentMethodNotOffered(ShopError):
    code = "payment_method_not_offered"


class ShippingMethodNotOffered(ShopError):
    code = "shipping_method_not_offered"
