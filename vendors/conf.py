"""The settings the vendor domain reads, in one place (tests override them with the
`settings` fixture; these read them at call time, never at import)."""

from __future__ import annotations

from django.conf import settings

from payments.gateway import stripe_configured


def currency() -> str:
    """The shop's currency: payouts, fines and balances are kept in it."""
    return settings.OSCAR_DEFAULT_CURRENCY


def stripe_ready() -> bool:
    """Whether payouts can be sent as Stripe Connect transfers (keys configured)."""
    return stripe_configured()
