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

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from django.contrib import messages
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from payments.errors import NotPayable

logger = logging.getLogger(__name__)

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


# --------------------------------------------------------------------------- listeners
# Apps that follow money without owning the payable (gift points, issue 10) subscribe here
# from their AppConfig.ready. A listener runs inside the payment's (or refund's) transaction,
# in a savepoint: if it fails, the payment still stands and the failure is logged.
@dataclass(frozen=True)
class PaidEvent:
    """Money was received for `payable`. `key` names this payment once and for all
    ("payment:<pk>" by card, "job-receipt:<pk>" in cash, "cod-shipment:<pk>" on delivery)."""

    payable: models.Model
    key: str
    amount: Decimal
    currency: str
    method: str  # "card" or "cash"
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RefundedEvent:
    """Money was given back for `payable`; `payment_key` names the payment it came from,
    when one payment is known (a card refund), else None."""

    payable: models.Model
    key: str
    amount: Decimal
    currency: str
    payment_key: str | None = None
    user: Any = None


_PAID_LISTENERS: list[Callable[[PaidEvent], None]] = []
_REFUNDED_LISTENERS: list[Callable[[RefundedEvent], None]] = []


def listen(*, paid: Callable[[PaidEvent], None] | None = None,
           refunded: Callable[[RefundedEvent], None] | None = None) -> None:
    """Subscribe to every payable's payments and refunds (once per listener)."""
    if paid is not None and paid not in _PAID_LISTENERS:
        _PAID_LISTENERS.append(paid)
    if refunded is not None and refunded not in _REFUNDED_LISTENERS:
        _REFUNDED_LISTENERS.append(refunded)


def _call(listeners: list, event: PaidEvent | RefundedEvent) -> None:
    for listener in listeners:
        try:
            with transaction.atomic():
                listener(event)
        except Exception:
            logger.exception("Payable listener %s failed on %s", getattr(listener, "__name__", listener), event.key)


def announce_paid(event: PaidEvent) -> None:
    """Tell the listeners money was received (card, cash, or collected on delivery)."""
    _call(_PAID_LISTENERS, event)


def announce_refunded(event: RefundedEvent) -> None:
    """Tell the listeners money was given back."""
    _call(_REFUNDED_LISTENERS, event)
