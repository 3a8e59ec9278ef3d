"""Every ledger account code, in one place. Domain apps name their accounts through these
functions, so a report, a check or a balance page can find any account by its code."""

from __future__ import annotations

# The platform's own accounts (one per currency; the code is the same, the currency column differs).
PLATFORM_SALES = "platform:sales"
PLATFORM_SERVICES = "platform:services"
PLATFORM_COMMISSION = "platform:commission"
PLATFORM_FINES = "platform:fines"
PLATFORM_PAYOUTS = "platform:payouts"
# Gift points (referrals/): what the programme costs, what redemptions consume, what expired.
PLATFORM_REFERRAL_EXPENSE = "platform:referral-expense"
PLATFORM_GIFT_REDEMPTION = "platform:gift-redemption"
PLATFORM_POINTS_EXPIRED = "platform:points-expired"


def vendor_held(partner_pk: int) -> str:
    """A vendor's earnings still inside the return window."""
    return f"vendor:{partner_pk}:held"


def vendor_available(partner_pk: int) -> str:
    """A vendor's earnings it may be paid out (may go negative after a fine or refund)."""
    return f"vendor:{partner_pk}:available"


def provider_available(provider_pk: int) -> str:
    """A service provider's earnings (may go negative after a fine or claw-back)."""
    return f"provider:{provider_pk}:available"


def office_available(office_pk: int) -> str:
    """A partner office's share of errand fees it may be paid out (offices/)."""
    return f"office:{office_pk}:available"


def points_pending(user_pk: int) -> str:
    """A customer's gift points still inside the refund window of what earned them."""
    return f"points:{user_pk}:pending"


def points_available(user_pk: int) -> str:
    """A customer's gift points they may spend."""
    return f"points:{user_pk}:available"
