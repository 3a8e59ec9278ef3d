"""The referral programme's writes; views, the API and commands call only these."""

from referrals.services.accounts import available_account, current_settings, pending_account, platform_account
from referrals.services.attribution import (
    SESSION_KEY,
    attribute_from_session,
    intake_attribute,
    referral_attribute,
    referrer_for_code,
    self_referral_reason,
)
from referrals.services.gifts import (
    REDEMPTION,
    available_points,
    redemption_cancel,
    redemption_create,
    redemption_deliver,
    redemption_ship,
)
from referrals.services.points import expire_points, on_paid, on_refunded, release_due_points
from referrals.services.staff import referral_block, settings_change

__all__ = [
    "REDEMPTION", "SESSION_KEY", "attribute_from_session", "available_account", "available_points",
    "current_settings", "expire_points", "intake_attribute", "on_paid", "on_refunded", "pending_account",
    "platform_account",
    "redemption_cancel", "redemption_create", "redemption_deliver", "redemption_ship", "referral_attribute",
    "referral_block", "referrer_for_code", "release_due_points", "self_referral_reason", "settings_change",
]
