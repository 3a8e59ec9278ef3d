"""The ledger accounts of gift points, and the programme's terms in force."""

from __future__ import annotations

from decimal import Decimal

from ledger import codes
from ledger.models import Account
from ledger.services import account_get_or_create
from referrals.models import POINTS, ProgrammeSettings


def current_settings() -> ProgrammeSettings:
    """The newest settings row, or the defaults when nobody has saved any yet."""
    return ProgrammeSettings.objects.order_by("-created", "-pk").first() or ProgrammeSettings()


def pending_account(user_id: int) -> Account:
    # Pending points never go below zero: a refund takes back at most what is pending.
    return account_get_or_create(code=codes.points_pending(user_id), currency=POINTS,
                                 name=f"Points pending: customer {user_id}", floor=Decimal("0"))


def available_account(user_id: int) -> Account:
    # No floor: a refund after the points were spent may leave it negative (issue 10
    # point 5); spending passes a minimum of zero instead.
    return account_get_or_create(code=codes.points_available(user_id), currency=POINTS,
                                 name=f"Points available: customer {user_id}", floor=None)


def platform_account(code: str) -> Account:
    names = {
        codes.PLATFORM_REFERRAL_EXPENSE: "Gift points granted (referral programme)",
        codes.PLATFORM_GIFT_REDEMPTION: "Gift points redeemed for gifts",
        codes.PLATFORM_POINTS_EXPIRED: "Gift points expired",
    }
    return account_get_or_create(code=code, currency=POINTS, name=names.get(code, code), floor=None)
