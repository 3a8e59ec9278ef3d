"""The payment methods a checkout can offer.

Pay-on-delivery is the embedded method: it needs no gateway. The Stripe gateway joins
this registry in the payments issue; `CHAARSOO_CHECKOUT_PAYMENT_METHODS` chooses which
of the registered methods a checkout offers, in order.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class PaymentMethod:
    code: str
    label: str | Promise
    description: str | Promise


PAY_ON_DELIVERY = PaymentMethod(
    code="cod",
    label=_("Pay on delivery"),
    description=_("Pay the courier by card or cash when your parcel arrives."),
)

REGISTRY: dict[str, PaymentMethod] = {PAY_ON_DELIVERY.code: PAY_ON_DELIVERY}


def available_payment_methods() -> list[PaymentMethod]:
    codes = getattr(settings, "CHAARSOO_CHECKOUT_PAYMENT_METHODS", ["cod"])
    return [REGISTRY[code] for code in codes if code in REGISTRY]
