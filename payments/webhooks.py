"""Stripe webhooks: verify, store once by Stripe's event id, then apply.

The signature is checked with no transaction open (it is local: no call to Stripe); the
event row and everything it changes are written in one short transaction, and a replayed
event hits the unique event id and changes nothing.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from payments import gateway
from payments.intents import apply_intent, locked_payment
from payments.models import Payment, StripeWebhookEvent
from payments.refunds import apply_charge_refunded


def webhook_receive(*, payload: bytes, signature: str | None) -> str:
    """Verify, store once, then apply a Stripe event. Returns what happened, for the log."""
    event = gateway.verify_webhook(payload, signature)
    event_type = event.get("type", "")
    obj = (event.get("data") or {}).get("object") or {}
    try:
        with transaction.atomic():
            record = StripeWebhookEvent.objects.create(event_id=event["id"], type=event_type, payload=event)
            outcome = _dispatch(event_type, obj, event["id"])
            record.outcome = outcome
            record.save(update_fields=["outcome"])
    except IntegrityError:
        return "duplicate"
    return outcome


def _dispatch(event_type: str, obj: dict, event_id: str) -> str:
    if event_type.startswith("payment_intent."):
        payment_pk = Payment.objects.filter(stripe_payment_intent_id=obj.get("id")).values_list("pk", flat=True).first()
        if payment_pk is None:
            return "unknown payment"
        payment = locked_payment(payment_pk)
        if event_type == "payment_intent.payment_failed" and obj.get("status") == "requires_payment_method":
            obj = {**obj, "last_payment_error": obj.get("last_payment_error") or {"message": "declined"}}
        before = payment.status
        apply_intent(payment, obj, source="webhook", event_id=event_id)
        return f"{before} -> {payment.status}"
    if event_type == "charge.refunded":
        return apply_charge_refunded(obj, event_id)
    return "ignored"
