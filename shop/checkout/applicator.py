"""Checkout surcharges: the installation add-on (P1, issue 4 point 6).

Products whose vendor contract says they need installation are offered it at checkout
for the contract's price (per unit). The lines the shopper ticks are kept in the
checkout session; their installation is charged as one Oscar surcharge with the code
"installation", so the order total (and the card payment) include it, and the order
records it in `order.surcharges`.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import applicator as oscar_applicator
from oscar.apps.checkout.surcharges import BaseSurcharge
from oscar.apps.checkout.utils import CheckoutSessionData
from oscar.core import prices

from vendors.services import INSTALLATION_SURCHARGE_CODE, installation_quote

SESSION_NAMESPACE = "installation"
SESSION_KEY = "line_ids"

SurchargeList = oscar_applicator.SurchargeList
SurchargePrice = oscar_applicator.SurchargePrice


def chosen_installation_line_ids(request) -> set[int]:
    """The basket lines the shopper asked to have installed (from the checkout session)."""
    if request is None or not hasattr(request, "session"):
        return set()
    return {int(pk) for pk in CheckoutSessionData(request)._get(SESSION_NAMESPACE, SESSION_KEY, []) or []}


def store_installation_line_ids(request, line_ids: Iterable[int]) -> None:
    CheckoutSessionData(request)._set(SESSION_NAMESPACE, SESSION_KEY, sorted({int(pk) for pk in line_ids}))


class InstallationCharge(BaseSurcharge):
    name = _("Installation")
    code = INSTALLATION_SURCHARGE_CODE

    def __init__(self, line_ids: Iterable[int]) -> None:
        self.line_ids = set(line_ids)

    def calculate(self, basket, **kwargs) -> prices.Price:
        total = sum(installation_quote(basket=basket, line_ids=self.line_ids).values(), Decimal("0.00"))
        return prices.Price(currency=basket.currency, excl_tax=total, incl_tax=total)


def installation_surcharges(basket, chosen: set[int]) -> tuple:
    if chosen and installation_quote(basket=basket, line_ids=chosen):
        return (InstallationCharge(chosen),)
    return ()


class SurchargeApplicator(oscar_applicator.SurchargeApplicator):
    def get_surcharges(self, basket, **kwargs):
        return installation_surcharges(basket, chosen_installation_line_ids(self.request))


class ChosenLinesSurchargeApplicator(oscar_applicator.SurchargeApplicator):
    """The same surcharges for a checkout that knows its chosen lines without a session
    (the API keeps them with the basket lines)."""

    def __init__(self, request=None, context=None, *, line_ids: Iterable[int]) -> None:
        super().__init__(request, context)
        self.line_ids = {int(pk) for pk in line_ids}

    def get_surcharges(self, basket, **kwargs):
        return installation_surcharges(basket, self.line_ids)
