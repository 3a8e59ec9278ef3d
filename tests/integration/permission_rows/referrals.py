"""Permission matrix rows of the referral programme (issue 10): staff pages need
manage_referrals (finance); the API is the signed-in customer's own."""

from tests.helpers.matrix import FINANCE, SIGNED_IN, allowed

STAFF = allowed(FINANCE)

ROWS = {
    **{f"referrals-dashboard:{name}": STAFF for name in (
        "report", "settings", "review", "referral-block", "gift-list", "gift-create", "gift-edit",
        "redemption-list", "redemption-ship", "redemption-deliver", "redemption-cancel",
    )},
    **{f"referrals-api:{name}": SIGNED_IN for name in (
        "code", "balances", "statement", "gifts", "redemptions",
    )},
}
