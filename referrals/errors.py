"""Expected failures of the referral programme, each with a stable code for the API."""

from __future__ import annotations

from core.errors import DomainError, InvalidTransition, NotAllowed


class ReferralError(DomainError):
    code = "referral_error"


class UnknownCode(ReferralError):
    code = "unknown_referral_code"


class SelfReferral(ReferralError):
    code = "self_referral"


class AlreadyReferred(ReferralError):
    code = "already_referred"
    status_code = 409


class OutOfStock(ReferralError):
    code = "gift_out_of_stock"
    status_code = 409


class NotEnoughPoints(ReferralError):
    code = "not_enough_points"
    status_code = 409


class RedemptionNotAllowed(NotAllowed):
    code = "redemption_not_allowed"


class RedemptionInvalidTransition(InvalidTransition):
    code = "redemption_invalid_transition"
