"""The one place that talks to Stripe. Everything else sees plain dicts and our errors."""

from __future__ import annotations

import logging
from typing import Any

import stripe
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from payments.errors import GatewayUnavailable, InvalidWebhook, RefundFailed

logger = logging.getLogger(__name__)


def stripe_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_PUBLISHABLE_KEY)


def _client() -> stripe.StripeClient:
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        max_network_retries=settings.STRIPE_MAX_NETWORK_RETRIES,
        http_client=stripe.RequestsClient(timeout=settings.STRIPE_TIMEOUT_SECONDS),
    )


def _unreachable(exc: Exception) -> GatewayUnavailable:
    logger.warning("Stripe call failed: %s", exc)
    return GatewayUnavailable()


def create_payment_intent(*, amount_minor: int, currency: str, idempotency_key: str, metadata: dict) -> dict:
    try:
        intent = _client().v1.payment_intents.create(
            {
                "amount": amount_minor,
                "currency": currency.lower(),
                "payment_method_types": ["card"],
                "metadata": metadata,
            },
            {"idempotency_key": idempotency_key},
        )
    except stripe.StripeError as exc:
        raise _unreachable(exc) from exc
    return intent.to_dict()


def retrieve_payment_intent(intent_id: str) -> dict:
    try:
        return _client().v1.payment_intents.retrieve(intent_id).to_dict()
    except stripe.StripeError as exc:
        raise _unreachable(exc) from exc


def cancel_payment_intent(intent_id: str) -> dict:
    try:
        return _client().v1.payment_intents.cancel(intent_id).to_dict()
    except stripe.InvalidRequestError:
        # Already canceled or finished on Stripe's side: the caller re-reads the intent.
        return retrieve_payment_intent(intent_id)
    except stripe.StripeError as exc:
        raise _unreachable(exc) from exc


def create_refund(*, intent_id: str, amount_minor: int, idempotency_key: str) -> dict:
    try:
        refund = _client().v1.refunds.create(
            {"payment_intent": intent_id, "amount": amount_minor}, {"idempotency_key": idempotency_key}
        )
    except stripe.InvalidRequestError as exc:
        raise RefundFailed(
            _("Stripe refused the refund: %(reason)s") % {"reason": exc.user_message or str(exc)}
        ) from exc
    except stripe.StripeError as exc:
        raise RefundFailed(
            _("Stripe could not be reached, so nothing was refunded. Try again shortly.")
        ) from exc
    return refund.to_dict()


def verify_webhook(payload: bytes, signature: str | None) -> dict[str, Any]:
    """The event, if `Stripe-Signature` is valid for our endpoint secret and fresh."""
    if not settings.STRIPE_WEBHOOK_SECRET:
        raise InvalidWebhook(_("Webhooks are not configured (STRIPE_WEBHOOK_SECRET is empty)."))
    if not signature:
        raise InvalidWebhook(_("The Stripe-Signature header is missing."))
    try:
        event = stripe.Webhook.construct_event(
            payload, signature, settings.STRIPE_WEBHOOK_SECRET, tolerance=settings.STRIPE_WEBHOOK_TOLERANCE
        )
    except (ValueError, stripe.SignatureVerificationError) as exc:
        raise InvalidWebhook(_("The webhook signature is not valid.")) from exc
    return event.to_dict()
