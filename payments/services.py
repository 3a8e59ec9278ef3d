"""Payment writes: start a card payment, apply what Stripe says, refund, take webhooks.

Rules (Y1 and the payments issue): amounts come from the payable on the server; every
PaymentIntent is created with an idempotency key derived from payable, purpose and
attempt; a Stripe event is stored under its unique id before any side effect; states
only move forward, so events applied in any order end in the same state; refunds never
exceed what was captured less what was refunded, under a row lock.

Lock order, the same on every path so no two can deadlock: the payable first (order,
service job), then its payment rows. `payment_start` and refunds run inside the payable's
lock; the paths that start from a payment (webhooks, the browser's return, the pay page)
read the payment without a lock to find its payable, lock the payable, then lock the
payment (`_locked_payment`), before `_apply_intent` hands a success to the payable.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from payments import gateway
from payments.errors import AlreadyPaid, GatewayUnavailable, RefundNotAllowed
from payments.models import Payment, PaymentEvent, PaymentRefund, StripeWebhookEvent
from payments.money import from_minor, to_minor
from payments.payables import adapter_for

logger = logging.getLogger(__name__)
Status = Payment.Status

# How far along each status is; a status never moves to a lower rank (FAILED and
# PENDING share one, since a declined card can be retried on the same intent).
_RANK = {
    Status.PENDING: 0,
    Status.FAILED: 0,
    Status.REQUIRES_ACTION: 1,
    Status.PROCESSING: 2,
    Status.CANCELED: 3,
    Status.SUCCEEDED: 4,
}

_INTENT_STATUS = {
    "requires_payment_method": Status.PENDING,
    "requires_confirmation": Status.PENDING,
    "requires_action": Status.REQUIRES_ACTION,
    "processing": Status.PROCESSING,
    "requires_capture": Status.PROCESSING,
    "succeeded": Status.SUCCEEDED,
    "canceled": Status.CANCELED,
}


def _log(payment: Payment, kind: str, *, old: str = "", note: str = "", user=None, event_id: str = "") -> None:
    PaymentEvent.objects.create(
        payment=payment,
        kind=kind,
        from_status=old,
        to_status=payment.status,
        note=note[:500],
        created_by=user if getattr(user, "is_authenticated", False) else None,
        stripe_event_id=event_id,
    )


def _locked_payable(payable: models.Model) -> models.Model:
    return type(payable).objects.select_for_update().get(pk=payable.pk)


def _locked_payment(payment_pk: int) -> Payment:
    """Lock the payment's payable, then the payment (see the lock order above). Reading the
    payment unlocked first is safe: which payable a payment belongs to never changes."""
    payable = Payment.objects.get(pk=payment_pk).payable
    if payable is not None:
        _locked_payable(payable)
    return Payment.objects.select_for_update().get(pk=payment_pk)


def payment_start(*, payable: models.Model, user, purpose: str = Payment.Purpose.FULL) -> Payment:
    """The live card payment for this payable and purpose, creating its intent if needed.

    Calling it twice (a double-clicked Pay, a reloaded page) returns the same payment and
    intent. If Stripe cannot be reached, nothing is written and GatewayUnavailable says so.
    """
    adapter = adapter_for(payable)
    content_type = ContentType.objects.get_for_model(payable)
    with transaction.atomic():
        payable = _locked_payable(payable)
        existing = list(
            Payment.objects.select_for_update()
            .filter(payable_type=content_type, payable_id=payable.pk, purpose=purpose)
            .order_by("-attempt")
        )
        live = next((p for p in existing if p.status != Status.CANCELED), None)
        if live is not None and live.status == Status.SUCCEEDED:
            raise AlreadyPaid(_("This has already been paid."))
        adapter.check_payable(payable)
        due = adapter.amount_due(payable, purpose)
        if live is not None:
            unchanged = live.amount == due.amount and live.currency == due.currency
            if unchanged and live.status != Status.FAILED:
                return live
            # A declined attempt, or an amount that changed before anything was charged:
            # cancel that intent at Stripe first, so only one intent can ever be charged.
            intent = gateway.cancel_payment_intent(live.stripe_payment_intent_id)
            if intent.get("status") == "succeeded":
                return _apply_intent(live, intent, source="retry")
            old = live.status
            live.status = Status.CANCELED
            live.save(update_fields=["status", "updated"])
            _log(live, "superseded", old=old, note="declined, retried" if unchanged else "amount changed")
        attempt = (existing[0].attempt + 1) if existing else 1
        key = f"{content_type.app_label}.{content_type.model}:{payable.pk}:{purpose}:{attempt}"
        intent = gateway.create_payment_intent(
            amount_minor=to_minor(due.amount, due.currency),
            currency=due.currency,
            idempotency_key=key,
            metadata={"payable": f"{content_type.app_label}.{content_type.model}:{payable.pk}", "purpose": purpose},
        )
        payment = Payment.objects.create(
            payable_type=content_type,
            payable_id=payable.pk,
            user_id=adapter.owner_id(payable),
            purpose=purpose,
            amount=due.amount,
            currency=due.currency,
            attempt=attempt,
            idempotency_key=key,
            stripe_payment_intent_id=intent["id"],
        )
        _log(payment, "created", note=f"intent {intent['id']}", user=user)
        return payment


def payment_prepare(*, payable: models.Model, user, purpose: str = Payment.Purpose.FULL) -> tuple[Payment, str]:
    """The payment to show on a pay page, with its intent's client secret.

    The intent is read back from Stripe first, so a card declined in the browser since
    the last visit is recorded and the shopper gets a fresh attempt, not a dead intent.
    The client secret is handed to the card form and never stored on our side.
    """
    payment = payment_start(payable=payable, user=user, purpose=purpose)
    intent = gateway.retrieve_payment_intent(payment.stripe_payment_intent_id)
    with transaction.atomic():
        payment = _apply_intent(_locked_payment(payment.pk), intent, source="page")
    if payment.status == Status.FAILED:
        payment = payment_start(payable=payable, user=user, purpose=purpose)
        intent = gateway.retrieve_payment_intent(payment.stripe_payment_intent_id)
    if payment.status == Status.SUCCEEDED:
        raise AlreadyPaid(_("This has already been paid."))
    return payment, intent["client_secret"]


def _intent_amount_matches(payment: Payment, intent: dict) -> bool:
    received = intent.get("amount_received", intent.get("amount"))
    return (
        intent.get("currency", "").upper() == payment.currency.upper()
        and received == to_minor(payment.amount, payment.currency)
    )


def _apply_intent(payment: Payment, intent: dict, *, source: str, event_id: str = "") -> Payment:
    """Move `payment` (locked) towards what the intent says, never backwards."""
    target = _INTENT_STATUS.get(intent.get("status", ""), payment.status)
    error = intent.get("last_payment_error") or {}
    if target == Status.PENDING and error:
        target = Status.FAILED
    old = payment.status
    if payment.status in (Status.SUCCEEDED, Status.CANCELED) or _RANK[target] < _RANK[payment.status]:
        if target != payment.status:
            _log(payment, "ignored", old=old, note=f"{source}: {intent.get('status')} after {old}", event_id=event_id)
        return payment
    if target == Status.SUCCEEDED and not _intent_amount_matches(payment, intent):
        logger.error("Amount mismatch on %s: intent %s", payment.pk, intent.get("id"))
        _log(
            payment,
            "amount_mismatch",
            old=old,
            note=f"{source}: intent amount {intent.get('amount')} {intent.get('currency')} "
            f"does not match {payment.amount} {payment.currency}",
            event_id=event_id,
        )
        return payment
    if target == payment.status and not (target == Status.FAILED and error.get("message") != payment.failure_message):
        return payment
    payment.status = target
    payment.failure_code = error.get("code", "") if target == Status.FAILED else ""
    payment.failure_message = (error.get("message") or "")[:500] if target == Status.FAILED else ""
    if isinstance(intent.get("latest_charge"), str):
        payment.stripe_charge_id = intent["latest_charge"]
    if target == Status.SUCCEEDED:
        payment.succeeded_at = timezone.now()
    payment.save()
    _log(payment, source, old=old, note=payment.failure_message, event_id=event_id)
    if target == Status.SUCCEEDED:
        adapter_for(payment.payable).on_paid(_locked_payable(payment.payable), payment)
    return payment


def order_expire_unpaid(*, order, reason: str = "payment window closed") -> bool:
    """Cancel a card order nobody paid for and give its stock back. Returns True if cancelled.

    The intent is cancelled at Stripe first; if Stripe says it was paid after all, the
    payment is recorded instead and the order stays.
    """
    from payments.payables import ORDER_AWAITING_PAYMENT

    content_type = ContentType.objects.get_for_model(order)
    live = list(
        Payment.objects.filter(payable_type=content_type, payable_id=order.pk).exclude(status=Status.CANCELED)
    )
    intents = {p.pk: gateway.cancel_payment_intent(p.stripe_payment_intent_id) for p in live}
    with transaction.atomic():
        order = _locked_payable(order)
        if order.status != ORDER_AWAITING_PAYMENT:
            return False
        for payment in Payment.objects.select_for_update().filter(pk__in=intents):
            payment = _apply_intent(payment, intents[payment.pk], source="expiry")
            if payment.status == Status.SUCCEEDED:
                return False
            if payment.status != Status.CANCELED:
                old = payment.status
                payment.status = Status.CANCELED
                payment.save(update_fields=["status", "updated"])
                _log(payment, "expired", old=old, note=reason)
        for line in order.lines.select_related("stockrecord"):
            if line.stockrecord_id:
                line.stockrecord.cancel_allocation(line.quantity)
        order.set_status("Cancelled")
        return True


def payment_sync(*, payment: Payment, source: str = "browser") -> Payment:
    """Ask Stripe for the intent's state and apply it (the browser's return path)."""
    intent = gateway.retrieve_payment_intent(payment.stripe_payment_intent_id)
    with transaction.atomic():
        return _apply_intent(_locked_payment(payment.pk), intent, source=source)


def refund_create(
    *, payment: Payment, amount: Decimal, user, reason: str = "", idempotency_key: str | None = None
) -> PaymentRefund:
    """Refund `amount` of a captured card payment through Stripe.

    The payment row stays locked across the Stripe call, so two staff refunding at once
    are serialised and the second sees the first's refund. If Stripe refuses or cannot be
    reached, nothing is recorded and RefundFailed carries the reason.

    `idempotency_key` names the business event the refund belongs to (a service job's
    cancellation, say): a caller whose transaction rolled back after Stripe refunded
    retries with the same key and gets Stripe's first refund back, never a second one.
    Without it the key is derived from the payment's refund count and the amount.
    """
    amount = Decimal(amount)
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if locked.status != Status.SUCCEEDED:
            raise RefundNotAllowed(_("Only a completed payment can be refunded."))
        if amount <= 0:
            raise RefundNotAllowed(_("Enter an amount greater than zero."))
        if amount > locked.refundable_amount:
            raise RefundNotAllowed(
                _("At most %(amount)s %(currency)s can still be refunded.")
                % {"amount": locked.refundable_amount, "currency": locked.currency}
            )
        number = locked.refunds.count() + 1
        key = (
            f"refund:{idempotency_key}" if idempotency_key
            else f"refund:{locked.idempotency_key}:{number}:{to_minor(amount, locked.currency)}"
        )
        stripe_refund = gateway.create_refund(
            intent_id=locked.stripe_payment_intent_id,
            amount_minor=to_minor(amount, locked.currency),
            idempotency_key=key,
        )
        recorded = PaymentRefund.objects.filter(stripe_refund_id=stripe_refund["id"]).first()
        if recorded is not None:
            return recorded  # Stripe replayed a refund we already hold (same key)
        refund = PaymentRefund.objects.create(
            payment=locked,
            amount=amount,
            currency=locked.currency,
            stripe_refund_id=stripe_refund["id"],
            reason=reason[:255],
            created_by=user,
        )
        locked.amount_refunded += amount
        locked.save(update_fields=["amount_refunded", "updated"])
        _log(locked, "refund", old=locked.status, note=f"{amount} {locked.currency} {reason}".strip(), user=user)
        _payable_refunded(locked, refund, user)
        return refund


def _payable_refunded(payment: Payment, refund: PaymentRefund, user) -> None:
    """Let the payable react to a refund in the same transaction (an order takes its
    vendors' shares back); adapters without `on_refunded` need nothing."""
    hook = getattr(adapter_for(payment.payable), "on_refunded", None)
    if hook is None:
        return
    try:
        # A savepoint: the money is back with the customer at Stripe already, so a failure
        # on the payable's side must not undo our record of that refund; it is logged
        # on the payment's history for staff instead.
        with transaction.atomic():
            hook(payment.payable, refund, user if getattr(user, "is_authenticated", False) else None)
    except Exception as error:
        logger.exception("Refund %s recorded, but the payable could not follow it", refund.pk)
        _log(payment, "refund_followup_failed", old=payment.status, note=f"refund {refund.pk}: {error}"[:500])


def _apply_charge_refunded(charge: dict, event_id: str) -> str:
    """Bring our refund total up to Stripe's (refunds made in Stripe's own dashboard)."""
    intent_id = charge.get("payment_intent")
    payment = Payment.objects.select_for_update().filter(stripe_payment_intent_id=intent_id).first()
    if payment is None:
        return "unknown payment"
    stripe_total = from_minor(int(charge.get("amount_refunded", 0)), payment.currency)
    missing = stripe_total - payment.amount_refunded
    if missing <= 0:
        return "already recorded"
    missing = min(missing, payment.amount - payment.amount_refunded)
    refund = PaymentRefund.objects.create(
        payment=payment, amount=missing, currency=payment.currency, source=PaymentRefund.Source.STRIPE,
        reason="charge.refunded",
    )
    payment.amount_refunded += missing
    payment.save(update_fields=["amount_refunded", "updated"])
    _log(payment, "refund", old=payment.status, note=f"{missing} {payment.currency} from Stripe", event_id=event_id)
    _payable_refunded(payment, refund, None)
    return "refund recorded"


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
        payment = _locked_payment(payment_pk)
        if event_type == "payment_intent.payment_failed" and obj.get("status") == "requires_payment_method":
            obj = {**obj, "last_payment_error": obj.get("last_payment_error") or {"message": "declined"}}
        before = payment.status
        _apply_intent(payment, obj, source="webhook", event_id=event_id)
        return f"{before} -> {payment.status}"
    if event_type == "charge.refunded":
        return _apply_charge_refunded(obj, event_id)
    return "ignored"


__all__ = [
    "GatewayUnavailable",
    "payment_prepare",
    "payment_start",
    "payment_sync",
    "refund_create",
    "webhook_receive",
]
