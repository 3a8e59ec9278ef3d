"""The vendor domain's one Stripe call: a Stripe Connect transfer paying a vendor out.

Built like payments.gateway (same settings, same client); kept here because only payouts
use it. Callers must not hold a database transaction open while calling it (a slow Stripe
must never hold a row lock): vendors.services.payouts writes the payout and commits first.
Failures come back as two typed outcomes: Stripe unreachable (retry later) or refused.
"""

from __future__ import annotations

import stripe
from django.conf import settings


class TransferUnreachable(Exception):
    """Stripe could not be reached or answered with a server error: nothing is known to
    have happened; the same idempotency key may be retried."""


class TransferRefused(Exception):
    """Stripe refused the transfer (no such account, insufficient platform balance...);
    `str(exc)` is Stripe's message for people."""


def _client() -> stripe.StripeClient:
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        max_network_retries=settings.STRIPE_MAX_NETWORK_RETRIES,
        http_client=stripe.RequestsClient(timeout=settings.STRIPE_TIMEOUT_SECONDS),
    )


def create_transfer(*, amount_minor: int, currency: str, destination: str, metadata: dict[str, str],
                    idempotency_key: str) -> str:
    """Send `amount_minor` to the connected account `destination`; returns the transfer id."""
    try:
        transfer = _client().v1.transfers.create(
            {"amount": amount_minor, "currency": currency.lower(), "destination": destination, "metadata": metadata},
            {"idempotency_key": idempotency_key},
        )
    except stripe.APIConnectionError as exc:
        raise TransferUnreachable(str(exc)) from exc
    except stripe.StripeError as exc:
        raise TransferRefused((getattr(exc, "user_message", None) or str(exc) or type(exc).__name__)[:2000]) from exc
    return transfer.id
