"""The vendor domain's state machines, declared once (core.transitions).

SHIPMENT: a vendor's part of an order. pending -> confirmed -> shipped -> delivered, or
cancelled before it leaves; "close" is the system cancelling the open shipments of an
order cancelled as a whole; "customer_cancel" is the order's customer cancelling a
shipment that hasn't left (P5); "install" logs a line's installation without moving.

CLAIM: a warranty claim (P1). open -> accepted / rejected by the vendor; staff holding
judge_warranty may uphold an open or rejected claim (it becomes accepted: the goods
failed); an accepted claim is resolved once the item was replaced or repaired.

Who may fire: a vendor's own users pass the party rule `is_vendor_party` (the service
passes it as `allowed`); platform staff need the transition's named ability.
"customer_cancel" names no ability: only the order's customer fires it, through the
party rule `shipment_customer` (vendors.services.shipment_cancel_by_customer passes it).
"""

from __future__ import annotations

from typing import Any

from core.permissions import Ability
from core.transitions import StateMachine, Transition
from vendors.errors import InvalidTransition, NotAllowed
from vendors.models import ClaimEvent, Shipment, ShipmentEvent, WarrantyClaim

S = Shipment.Status
C = WarrantyClaim.Status
ACT = Ability.ACT_FOR_VENDOR


def is_vendor_party(user: Any, partner: Any) -> bool:
    """The user is an active user of `partner` (the vendor itself, not platform staff)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return partner.users.filter(pk=user.pk).exists()


def shipment_party(user: Any, shipment: Shipment) -> bool:
    return is_vendor_party(user, shipment.partner)


def shipment_customer(user: Any, shipment: Shipment) -> bool:
    """The user is the customer who placed the shipment's order (P5)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return shipment.order.user_id == user.pk


def claim_party(user: Any, claim: WarrantyClaim) -> bool:
    return is_vendor_party(user, claim.partner)


SHIPMENT: StateMachine[Shipment] = StateMachine(
    model=Shipment,
    event_model=ShipmentEvent,
    event_fk="shipment",
    invalid=InvalidTransition,
    not_allowed=NotAllowed,
    select_related=("partner",),
    transitions={
        "confirm": Transition("confirm", sources={S.PENDING}, target=S.CONFIRMED, ability=ACT),
        "ship": Transition("ship", sources={S.CONFIRMED}, target=S.SHIPPED, ability=ACT),
        "deliver": Transition("deliver", sources={S.SHIPPED}, target=S.DELIVERED, ability=ACT),
        "cancel": Transition("cancel", sources={S.PENDING, S.CONFIRMED}, target=S.CANCELLED, ability=ACT),
        # P5: the order's customer, before the shipment leaves (party rule shipment_customer).
        "customer_cancel": Transition("customer_cancel", sources={S.PENDING, S.CONFIRMED}, target=S.CANCELLED),
        # The system, for an order cancelled as a whole (no actor: no permission to check).
        "close": Transition("close", sources={S.PENDING, S.CONFIRMED}, target=S.CANCELLED, ability=ACT),
        # Logged without moving; a line's installation is idempotent on the line itself.
        "install": Transition("install", sources={S.SHIPPED, S.DELIVERED}, target=None, ability=ACT,
                              idempotent=False),
    },
)
# The first event of every shipment (written with SHIPMENT.log when the order is split).
SHIPMENT_PLACED = "place"

CLAIM: StateMachine[WarrantyClaim] = StateMachine(
    model=WarrantyClaim,
    event_model=ClaimEvent,
    event_fk="claim",
    invalid=InvalidTransition,
    not_allowed=NotAllowed,
    select_related=("shipment_line__shipment__partner", "shipment_line__shipment__order", "shipment_line__line"),
    transitions={
        "accept": Transition("accept", sources={C.OPEN}, target=C.ACCEPTED, ability=ACT),
        "reject": Transition("reject", sources={C.OPEN}, target=C.REJECTED, ability=ACT),
        "uphold": Transition("uphold", sources={C.OPEN, C.REJECTED}, target=C.ACCEPTED,
                             ability=Ability.JUDGE_WARRANTY),
        "resolve": Transition("resolve", sources={C.ACCEPTED}, target=C.RESOLVED, ability=ACT),
    },
)
# The first event of every claim (written with CLAIM.log when the customer opens it).
CLAIM_OPENED = "open"
