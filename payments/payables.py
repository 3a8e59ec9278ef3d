"""What can be paid. One adapter per payable model; the payment services speak only to this.

"Charge this payable this amount" and "refund this much of it" work the same for shop
orders, service jobs (deposit now, balance later, S5), and later gift redemptions or
fines: each app registers an adapter (from its AppConfig.ready) saying how much is due
for a purpose, who owns it, whether it can be paid now, and what happens when it is paid.
payments/ imports no domain app: it learns about orders (shop/payables.py) and jobs
(services_catalog/payables.py) only through this registry.

An adapter may also register a `PayablePage`: then the one pay page and the one return
page (payments.views, `/payments/<kind>/<reference>/pay/` and `.../return/`) serve it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from django.contrib import messages
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from payments.errors import NotPayable

# Deprecated aliases of shop.order_status.PENDING_PAYMENT / PENDING, kept (as plain
# strings: payments imports no domain app) for callers not yet moved to shop.order_status.
ORDER_AWAITING_PAYMENT = "Pending payment"
ORDER_PAID = "Pending"


@dataclass(frozen=True)
class AmountDue:
    amount: Decimal
    currency: str


class PayableAdapter(Protocol):
    def amount_due(self, payable: models.Model, purpose: str) -> AmountDue: ...

    def owner_id(self, payable: models.Model) -> int | None: ...

    def check_payable(self, payable: models.Model) -> None: ...

    def on_paid(self, payable: models.Model, payment: Any) -> None: ...

    def describe(self, payable: models.Model) -> str: ...

    # Optional: `on_refunded(payable, refund, user)`, called in the refund's transaction.


class PayablePage(ABC):
    """What the pay page and the return page need of one kind of payable.

    Subclass it next to the adapter and register it with `register(..., page=...)`. The
    defaults fit a payable whose own page is `back_url`: success and "still confirming"
    go back there with a message.
    """

    # The URL segment: /payments/<kind>/<reference>/pay/.
    kind: str = ""
    # Rendered beside the card form with {"payable": ..., "purpose": ..., "amount": ...}
    # plus `context()`.
    summary_template: str = "payments/partials/summary.html"

    @abstractmethod
    def find(self, reference: str, user: Any) -> models.Model:
        """The signed-in user's own payable with this public reference; raise Http404
        for anybody else's (never reveal that it exists)."""

    @abstractmethod
    def reference(self, payable: models.Model) -> str:
        """The public reference of `payable` in the page's URL (an order or job number)."""

    def purpose(self, payable: models.Model) -> str | None:
        """The purpose the page charges now, or None when nothing is due."""
        return "full"

    def title(self, payable: models.Model) -> str:
        return str(_("Pay for %(what)s") % {"what": adapter_for(payable).describe(payable)})

    def context(self, payable: models.Model, purpose: str) -> dict[str, Any]:
        return {}

    @abstractmethod
    def back_url(self, payable: models.Model) -> str:
        """The payable's own page, where the customer goes back to."""

    def card_unavailable(
        self, request: HttpRequest, payable: models.Model, context: dict[str, Any]
    ) -> HttpResponse | None:
        """The answer when card payments are not configured; None means 404. To explain
        another way to pay, render "payments/pay.html" with `context` plus `no_card`."""
        return None

    def paid(self, request: HttpRequest, payable: models.Model) -> HttpResponse:
        messages.success(request, _("Thank you: your payment was received."))
        return redirect(self.back_url(payable))

    def processing(self, request: HttpRequest, payable: models.Model) -> HttpResponse:
        messages.info(request, _("Your bank is still confirming the payment; there is no need to pay again."))
        return redirect(self.back_url(payable))


_REGISTRY: dict[str, PayableAdapter] = {}
_PAGES: dict[str, PayablePage] = {}


def register(model_label: str, adapter: PayableAdapter, *, page: PayablePage | None = None) -> None:
    """Make `model_label` ("app_label.model") payable through `adapter`, and, given a
    `page`, payable on the shared pay page under `page.kind`."""
    _REGISTRY[model_label.lower()] = adapter
    if page is not None:
        if not page.kind:
            raise ValueError("A PayablePage needs a kind (its URL segment).")
        _PAGES[page.kind] = page


def adapter_for(payable: models.Model) -> PayableAdapter:
    try:
        return _REGISTRY[payable._meta.label_lower]
    except KeyError:
        raise NotPayable(_("This item cannot be paid online.")) from None


def page_for_kind(kind: str) -> PayablePage | None:
    return _PAGES.get(kind)
