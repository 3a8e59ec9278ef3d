"""What every vendor capability shares: who may act, the vendor's ledger accounts, and
notifying a vendor or a customer. Private to vendors.services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.permissions import Ability, has_ability
from ledger import codes
from ledger import services as ledger
from ledger.models import Account
from notifications.services import notify
from vendors import selectors
from vendors.errors import NotAllowed
from vendors.machines import is_vendor_party
from vendors.models import Shipment

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Order = get_model("order", "Order")


# ------------------------------------------------------------------ who may act
def actor(user: Any) -> Any:
    """The user to record as the actor, or None (anonymous, or the system)."""
    return user if getattr(user, "is_authenticated", False) else None


def user_can_act_for(*, user: Any, partner: Any, ability: Ability = Ability.ACT_FOR_VENDOR) -> bool:
    """A vendor's own users act for it; platform staff only with the named `ability`
    (act_for_vendor for its shipments, claims and stock)."""
    return has_ability(user, ability) or is_vendor_party(user, partner)


def require_vendor_or(user: Any, partner: Any, ability: Ability = Ability.ACT_FOR_VENDOR) -> None:
    if not user_can_act_for(user=user, partner=partner, ability=ability):
        raise NotAllowed(_("Only %(vendor)s's own staff or the platform's staff can do this.") % {"vendor": partner})


def require(user: Any, ability: Ability) -> None:
    """Staff-only steps: NotAllowed unless `user` holds `ability`."""
    if not has_ability(user, ability):
        raise NotAllowed(_("You do not have permission to do this."))


# ------------------------------------------------------------------ ledger accounts
def vendor_accounts(partner: Any, currency: str) -> tuple[Account, Account]:
    """The vendor's HELD (within the return window, never negative) and AVAILABLE accounts."""
    held = ledger.account_get_or_create(
        code=codes.vendor_held(partner.pk), currency=currency, name=f"{partner.name}: held", floor=Decimal("0"),
        owner=partner,
    )
    available = ledger.account_get_or_create(
        code=codes.vendor_available(partner.pk), currency=currency, name=f"{partner.name}: available", floor=None,
        owner=partner,
    )
    return held, available


def platform_account(code: str, currency: str) -> Account:
    return ledger.account_get_or_create(code=code, currency=currency, name=code, floor=None)


def nonzero_legs(*pairs: tuple[Account, Decimal]) -> list[tuple[Account, Decimal]]:
    return [(account, amount) for account, amount in pairs if amount != 0]


# ------------------------------------------------------------------ notifications
def notify_vendor(partner: Any, event: str, context: dict) -> None:
    users = list(partner.users.filter(is_active=True).order_by("pk"))
    phone = selectors.vendor_contact_phone(partner)
    context = {"partner": partner, **context}
    if not users and phone:
        notify(event=event, phone=phone, context=context)
    for index, user in enumerate(users):
        # The vendor's business phone is texted once, not once per user.
        notify(event=event, recipient=user, phone=phone if index == 0 else None, context=context)


def _customer_phone(order: Any) -> str | None:
    address = order.shipping_address
    number = getattr(address, "phone_number", None) if address is not None else None
    return str(number) if number else None


def notify_customer(order: Any, event: str, context: dict) -> None:
    if order.user_id is None and not order.guest_email:
        return
    notify(
        event=event,
        recipient=order.user,
        email=None if order.user_id else order.guest_email,
        phone=_customer_phone(order),
        context={"order": order, **context},
    )


def shipment_context(shipment: Shipment) -> dict:
    return {
        "shipment": shipment,
        "order": shipment.order,
        "lines": list(shipment.lines.select_related("line").order_by("pk")),
        "address": shipment.order.shipping_address,
    }
