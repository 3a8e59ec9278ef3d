"""Redeeming points for a gift, and staff fulfilling or cancelling it (issue 10 point 4).

Redeeming locks the gift (stock) and, through ledger.services, the customer's available
points account, in one transaction: the stock is reserved and the points debited
together, or neither. Two redemptions of the same points at once: the second finds the
balance already spent (InsufficientFunds) and rolls back whole.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from core import clock
from core.permissions import Ability
from core.transitions import StateMachine, Transition
from ledger import codes
from ledger.errors import InsufficientFunds
from ledger.services import account_balance, transfer_move
from notifications.services import notify
from referrals.errors import NotEnoughPoints, OutOfStock, RedemptionInvalidTransition, RedemptionNotAllowed
from referrals.models import Gift, Redemption, RedemptionEvent
from referrals.services.accounts import available_account, platform_account

S = Redemption.Status
REDEMPTION = StateMachine(
    model=Redemption, event_model=RedemptionEvent, event_fk="redemption",
    invalid=RedemptionInvalidTransition, not_allowed=RedemptionNotAllowed,
    transitions={
        "ship": Transition("ship", sources={S.REQUESTED}, target=S.SHIPPED, ability=Ability.MANAGE_REFERRALS),
        "deliver": Transition("deliver", sources={S.SHIPPED}, target=S.DELIVERED, ability=Ability.MANAGE_REFERRALS),
        "cancel": Transition("cancel", sources={S.REQUESTED, S.SHIPPED}, target=S.CANCELLED,
                             ability=Ability.MANAGE_REFERRALS),
    },
)
NUMBER_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _number() -> str:
    while True:
        number = "G-" + "".join(secrets.choice(NUMBER_ALPHABET) for _position in range(7))
        if not Redemption.objects.filter(number=number).exists():
            return number


def available_points(user_id: int) -> int:
    return int(account_balance(account=available_account(user_id)))


def redemption_create(*, customer, gift: Gift, recipient_name: str, phone: str, address: str, postcode: str = "",
                      client_key: str | None = None) -> Redemption:
    """Reserve one of `gift` and debit its price from the customer's available points."""
    client_key = (client_key or "").strip()[:64] or None
    if client_key:
        earlier = Redemption.objects.filter(client_key=client_key, customer=customer).first()
        if earlier is not None:
            return earlier
    try:
        with transaction.atomic():
            locked = Gift.objects.select_for_update().get(pk=gift.pk)
            if not locked.is_active or locked.stock < 1:
                raise OutOfStock(_("%(gift)s is out of stock.") % {"gift": locked.title})
            redemption = Redemption.objects.create(
                number=_number(), customer=customer, gift=locked, points=locked.points_price,
                recipient_name=recipient_name.strip()[:150], phone=phone.strip()[:32], address=address.strip(),
                postcode=postcode.strip()[:20], client_key=client_key, created=clock.now(),
            )
            locked.stock -= 1
            locked.save(update_fields=["stock"])
            try:
                transfer_move(
                    idempotency_key=f"referrals:redeem:{redemption.pk}", kind="points_redeemed",
                    source=available_account(customer.pk),
                    destination=platform_account(codes.PLATFORM_GIFT_REDEMPTION),
                    amount=Decimal(locked.points_price), source_minimum=Decimal("0"), user=customer,
                    memo=f"{redemption.number}: {locked.title_en}", metadata={"redemption": redemption.pk},
                )
            except InsufficientFunds:
                raise NotEnoughPoints(
                    _("This gift costs %(price)s points; you have fewer available.") % {"price": locked.points_price}
                ) from None
            REDEMPTION.log(redemption, "requested", from_status="", actor=customer)
    except IntegrityError:
        # The same client key in a concurrent request: that one redeemed.
        earlier = Redemption.objects.filter(client_key=client_key, customer=customer).first() if client_key else None
        if earlier is None:
            raise
        return earlier
    _tell(redemption, "referrals_redemption_requested")
    return redemption


def redemption_ship(*, redemption: Redemption, staff_user, tracking_reference: str, carrier: str = "") -> Redemption:
    tracking_reference = (tracking_reference or "").strip()[:128]
    if not tracking_reference:
        raise RedemptionInvalidTransition(_("Enter the tracking reference the customer can follow."))
    fired = REDEMPTION.fire(redemption, "ship", actor=staff_user, note=tracking_reference,
                            fields={"tracking_reference": tracking_reference, "carrier": (carrier or "").strip()[:100]})
    if fired.changed:
        _tell(fired.obj, "referrals_redemption_shipped")
    return fired.obj


def redemption_deliver(*, redemption: Redemption, staff_user) -> Redemption:
    fired = REDEMPTION.fire(redemption, "deliver", actor=staff_user)
    if fired.changed:
        _tell(fired.obj, "referrals_redemption_delivered")
    return fired.obj


def redemption_cancel(*, redemption: Redemption, staff_user, reason: str) -> Redemption:
    """Cancel: the points come back to the customer and the gift back into stock."""
    with transaction.atomic():
        fired = REDEMPTION.fire(redemption, "cancel", actor=staff_user, note=reason,
                                fields={"cancel_reason": (reason or "").strip()[:300]})
        if fired.changed:
            obj = fired.obj
            gift = Gift.objects.select_for_update().get(pk=obj.gift_id)
            gift.stock += 1
            gift.save(update_fields=["stock"])
            transfer_move(
                idempotency_key=f"referrals:redeem-cancel:{obj.pk}", kind="points_redemption_cancelled",
                source=platform_account(codes.PLATFORM_GIFT_REDEMPTION), destination=available_account(obj.customer_id),
                amount=Decimal(obj.points), user=staff_user, memo=obj.number, metadata={"redemption": obj.pk},
            )
            _tell(obj, "referrals_redemption_cancelled")
    return fired.obj


def _tell(redemption: Redemption, event: str) -> None:
    notify(event=event, recipient=redemption.customer,
           context={"redemption": redemption, "gift": redemption.gift})
