"""Permission matrix rows of /api/v1/auth/ (issue 17 point 1-3): signing up, activating,
resetting a password and signing in are open to everyone (bad input answers 400, never a
refusal); sign-out, refresh, devices and phone verification are the signed-in user's own
(another customer's device answers 404: tests/integration/test_customers_auth_api.py)."""

from tests.helpers.matrix import EVERYONE, SIGNED_IN

ROWS = {
    **{f"auth-api:{name}": EVERYONE for name in (
        "register", "activate", "password-reset", "password-reset-confirm", "sign-in",
    )},
    **{f"auth-api:{name}": SIGNED_IN for name in (
        "sign-out", "refresh", "devices", "devices-revoke-others", "device-revoke", "phone-request", "phone-confirm",
    )},
}
