"""The payment methods a checkout can offer.

Pay-on-delivery is the embedded method: it needs no gateway. Card payment goes through
Stripe (payments/) and is offered only when its keys are set.
`CHAARSOO_CHECKOUT_PAYMENT_METHODS` chooses which methods a checkout offers, in order.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from payments.gateway import stripe_configured


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

CARD = PaymentMethod(
    code="card",
    label=_("Pay by card"),
    description=_("Pay now with a debit or credit card through Stripe's secure form."),
)

REGISTRY: dict[str, PaymentMethod] = {PAY_ON_DELIVERY.code: PAY_ON_DELIVERY, CARD.code: CARD}


def is_offered(code: str) -> bool:
    if code == CARD.code:
        return stripe_configured()
    return code in REGISTRY


def available_payment_methods() -> list[PaymentMethod]:
    """The configured methods, in order; card only when the Stripe keys are set."""
    codes = getattr(settings, "CHAARSOO_CHECKOUT_PAYMENT_METHODS", ["cod"])
    return [REGISTRY[code] for code in codes if code in REGISTRY and is_offered(code)]
