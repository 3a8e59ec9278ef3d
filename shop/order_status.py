"""Order status names, in one place: Oscar's pipeline setting is built from here, and
every service that moves an order uses these names. Plain constants (no model imports) so
settings can import this module."""

from __future__ import annotations

from django.utils.translation import gettext_noop

# Card orders wait here until Stripe confirms the payment (payments/).
PENDING_PAYMENT = gettext_noop("Pending payment")
PENDING = gettext_noop("Pending")
BEING_PROCESSED = gettext_noop("Being processed")
SHIPPED = gettext_noop("Shipped")
DELIVERED = gettext_noop("Delivered")
CANCELLED = gettext_noop("Cancelled")

INITIAL = PENDING
# A paid (or pay-on-delivery) order moves forward through these as its shipments do.
PROGRESS = (PENDING, BEING_PROCESSED, SHIPPED, DELIVERED)

PIPELINE: dict[str, tuple[str, ...]] = {
    PENDING_PAYMENT: (PENDING, CANCELLED),
    PENDING: (BEING_PROCESSED, CANCELLED),
    BEING_PROCESSED: (SHIPPED, CANCELLED),
    SHIPPED: (DELIVERED,),
    DELIVERED: (),
    CANCELLED: (),
}
