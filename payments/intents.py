"""Card payments: start one, apply what Stripe says, close the open ones of a payable.

Rules (Y1 and the payments issue): amounts come from the payable on the server; every
PaymentIntent is created with an idempotency key derived from payable, purpose and
attempt; states only move forward (payments.machine), so events applied in any order end
in the same state.

Money is never sent to Stripe inside an open database transaction. Each service here
orders its work as: decide and write our row in a short transaction (commit), call Stripe
with no transaction and no row lock held, record Stripe's answer in a new short
transaction. A Stripe failure in between leaves a state the next attempt picks up: a
payment row without an intent yet is re-sent with its own idempotency key (or removed
when the failure is reported at once), so at most one intent is ever created per attempt.
Views reaching these services are `transaction.non_atomic_requests` (ATOMIC_REQUESTS is
on); called inside a caller's transaction, they still work, holding that transaction open.

Lock order, the same on every path so no two can deadlock: the payable first (order,
service job), then its payment rows (`locked_payment`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core import clock
from core.money import to_minor
from payments import gateway
from payments.errors import AlreadyPaid, GatewayUnavailable, NotPayable
from payments.machine import EXPIRE, FINAL, PAYMENT, SUPERSEDE, TO_STATUS
from payments.models import Payment
from payments.payables import PaidEvent, PayableAdapter, adapter_for, announce_paid

logger = logging.getLogger(__name__)
Status = Payment.Status

_INTENT_STATUS = {
    "requires_payment_method": Status.PENDING,
    "requires_confirmation": Status.PENDING,
    "requires_action": Status.REQUIRES_ACTION,
    "processing": Status.PROCESSING,
    "requires_capture": Status.PROCESSING,
    "succeeded": Status.SUCCEEDED,
    "canceled": Status.CANCELED,
}
# Rounds of "supersede a stale intent, then create one" payment_start may need.
_START_ROUNDS = 3


# --------------------------------------------------------------------------- locks
def locked_payable(payable: models.Model) -> models.Model:
    return type(payable)._default_manager.select_for_update().get(pk=payable.pk)


def locked_payment(payment_pk: int) -> Payment:
    """Lock the payment's payable, then the payment (see the lock order above). Reading the
    payment unlocked first is safe: which payable a payment belongs to never changes."""
    payable = Payment.objects.get(pk=payment_pk).payable
    if payable is not None:
        locked_payable(payable)
    return Payment.objects.select_for_update().get(pk=payment_pk)


def payments_of(payable: models.Model) -> QuerySet[Payment]:
    return Payment.objects.filter(payable_type=ContentType.objects.get_for_model(payable), payable_id=payable.pk)


# --------------------------------------------------------------------------- start
@dataclass
class _Step:
    """What payment_start's short transaction decided: `ready` (return it), `create` (send
    its intent to Stripe) or `supersede` (cancel its intent at Stripe, then go again)."""

    action: str
    payment: Payment
    note: str = ""


def payment_start(*, payable: models.Model, user: Any, purpose: str = Payment.Purpose.FULL) -> Payment:
    """The live card payment for this payable and purpose, creating its intent if needed.

    Calling it twice (a double-clicked Pay, a reloaded page) returns the same payment and
    intent. If Stripe cannot be reached, nothing stays written and GatewayUnavailable says so.
    """
    adapter = adapter_for(payable)
    for _round in range(_START_ROUNDS):
        step = _start_decide(payable, adapter, purpose)
        if step.action == "ready":
            return step.payment
        if step.action == "create":
            return _send_intent(step.payment, user=user)
        paid = _supersede(step.payment, note=step.note)
        if paid is not None:
            return paid
    raise GatewayUnavailable()  # Stripe kept answering with intents we could not replace


def _start_decide(payable: models.Model, adapter: PayableAdapter, purpose: str) -> _Step:
    """Short transaction, no Stripe call: the payment to use, or the step needed first."""
    content_type = ContentType.objects.get_for_model(payable)
    with transaction.atomic():
        payable = locked_payable(payable)
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
                return _Step("ready" if live.stripe_payment_intent_id else "create", live)
            note = "declined, retried" if unchanged else "amount changed"
            if live.stripe_payment_intent_id:
                # Cancel that intent at Stripe first, so only one intent can ever be charged.
                return _Step("supersede", live, note)
            # Never reached Stripe: nobody holds its client secret, nothing can charge it.
            PAYMENT.fire(live, SUPERSEDE, locked=True, note=f"{note}; no intent yet")
        attempt = (existing[0].attempt + 1) if existing else 1
        payment = Payment.objects.create(
            payable_type=content_type,
            payable_id=payable.pk,
            user_id=adapter.owner_id(payable),
            purpose=purpose,
            amount=due.amount,
            currency=due.currency,
            attempt=attempt,
            idempotency_key=f"{content_type.app_label}.{content_type.model}:{payable.pk}:{purpose}:{attempt}",
        )
        return _Step("create", payment)


def _send_intent(payment: Payment, *, user: Any) -> Payment:
    """Create the committed payment's intent at Stripe (no transaction open), then record
    its id. The idempotency key is the payment's own, so a retry gets the same intent."""
    try:
        intent = gateway.create_payment_intent(
            amount_minor=to_minor(payment.amount, payment.currency),
            currency=payment.currency,
            idempotency_key=payment.idempotency_key,
            metadata={"payable": payment.idempotency_key.rsplit(":", 2)[0], "purpose": payment.purpose},
        )
    except GatewayUnavailable:
        _forget_unsent(payment)
        raise
    with transaction.atomic():
        try:
            locked = locked_payment(payment.pk)
        except Payment.DoesNotExist:
            raise GatewayUnavailable() from None  # a concurrent failed attempt removed it
        if locked.stripe_payment_intent_id:
            return locked  # a concurrent double click recorded the same intent first
        closed = locked.status in FINAL
        if not closed:
            locked.stripe_payment_intent_id = intent["id"]
            locked.save(update_fields=["stripe_payment_intent_id", "updated"])
            PAYMENT.log(locked, "created", actor=user, note=f"intent {intent['id']}")
            return locked
        PAYMENT.log(locked, "ignored", note=f"intent {intent['id']} created after the payment was closed")
    # The payable's window closed while Stripe was creating the intent (payments_expire):
    # nobody may pay this intent, so cancel it (no transaction open) instead of handing it out.
    _cancel_quietly(intent["id"])
    raise NotPayable(_("This can no longer be paid."))


def _cancel_quietly(intent_id: str) -> None:
    try:
        gateway.cancel_payment_intent(intent_id)
    except GatewayUnavailable:
        logger.warning("Could not cancel intent %s of a closed payment", intent_id)


def _forget_unsent(payment: Payment) -> None:
    """Stripe failed before any intent was recorded: remove the row, so a failed start
    leaves nothing behind. If this fails too, the intent-less row is what the next start
    re-sends under the same key, which is just as safe."""
    try:
        with transaction.atomic():
            Payment.objects.filter(pk=payment.pk, stripe_payment_intent_id__isnull=True).delete()
    except Exception:  # the database failing too: the row stays, retryable
        logger.exception("Could not remove unsent payment %s", payment.pk)


def _supersede(payment: Payment, *, note: str) -> Payment | None:
    """Cancel `payment`'s intent at Stripe (no transaction), then record it. Returns the
    payment when Stripe says it was paid after all, else None (the caller goes again)."""
    intent = gateway.cancel_payment_intent(payment.stripe_payment_intent_id)
    with transaction.atomic():
        locked = locked_payment(payment.pk)
        if intent.get("status") == "succeeded":
            locked = apply_intent(locked, intent, source="retry")
            if locked.status == Status.SUCCEEDED:
                return locked
        if locked.status not in FINAL:
            PAYMENT.fire(locked, SUPERSEDE, locked=True, note=note)
    return None


def payment_prepare(*, payable: models.Model, user: Any, purpose: str = Payment.Purpose.FULL) -> tuple[Payment, str]:
    """The payment to show on a pay page, with its intent's client secret.

    The intent is read back from Stripe first, so a card declined in the browser since
    the last visit is recorded and the shopper gets a fresh attempt, not a dead intent.
    The client secret is handed to the card form and never stored on our side.
    """
    payment = payment_start(payable=payable, user=user, purpose=purpose)
    intent = gateway.retrieve_payment_intent(payment.stripe_payment_intent_id)
    with transaction.atomic():
        payment = apply_intent(locked_payment(payment.pk), intent, source="page")
    if payment.status == Status.FAILED:
        payment = payment_start(payable=payable, user=user, purpose=purpose)
        intent = gateway.retrieve_payment_intent(payment.stripe_payment_intent_id)
    if payment.status == Status.SUCCEEDED:
        raise AlreadyPaid(_("This has already been paid."))
    return payment, intent["client_secret"]


# --------------------------------------------------------------------------- apply
def _intent_amount_matches(payment: Payment, intent: dict) -> bool:
    received = intent.get("amount_received", intent.get("amount"))
    return (
        intent.get("currency", "").upper() == payment.currency.upper()
        and received == to_minor(payment.amount, payment.currency)
    )


def apply_intent(payment: Payment, intent: dict, *, source: str, event_id: str = "") -> Payment:
    """Move `payment` (locked, payable locked first) towards what the intent says, never
    backwards; a success is handed to the payable's adapter in the same transaction."""
    target = _INTENT_STATUS.get(intent.get("status", ""), payment.status)
    error = intent.get("last_payment_error") or {}
    if target == Status.PENDING and error:
        target = Status.FAILED
    old = payment.status
    name = TO_STATUS[target]
    if old in FINAL or (target != old and not PAYMENT.can_fire(payment, name)):
        if target != old:
            PAYMENT.log(payment, "ignored", note=f"{source}: {intent.get('status')} after {old}",
                        stripe_event_id=event_id)
        return payment
    if target == Status.SUCCEEDED and not _intent_amount_matches(payment, intent):
        logger.error("Amount mismatch on %s: intent %s", payment.pk, intent.get("id"))
        PAYMENT.log(
            payment, "amount_mismatch",
            note=f"{source}: intent amount {intent.get('amount')} {intent.get('currency')} "
            f"does not match {payment.amount} {payment.currency}",
            stripe_event_id=event_id,
        )
        return payment
    if target == old and not (target == Status.FAILED and error.get("message") != payment.failure_message):
        return payment
    failed = target == Status.FAILED
    fields: dict[str, Any] = {
        "failure_code": error.get("code", "") if failed else "",
        "failure_message": (error.get("message") or "")[:500] if failed else "",
    }
    if isinstance(intent.get("latest_charge"), str):
        fields["stripe_charge_id"] = intent["latest_charge"]
    if target == Status.SUCCEEDED:
        fields["succeeded_at"] = clock.now()
    note = f"{source}: {fields['failure_message']}" if fields["failure_message"] else source
    PAYMENT.fire(payment, name, locked=True, note=note, fields=fields, event_fields={"stripe_event_id": event_id})
    if target == Status.SUCCEEDED:
        payable = locked_payable(payment.payable)
        adapter_for(payment.payable).on_paid(payable, payment)
        announce_paid(PaidEvent(payable=payable, key=f"payment:{payment.pk}", amount=payment.amount,
                                currency=payment.currency, method="card"))
    return payment


def payment_sync(*, payment: Payment, source: str = "browser") -> Payment:
    """Ask Stripe for the intent's state (no transaction open) and apply it (the browser's
    return path)."""
    if not payment.stripe_payment_intent_id:
        return payment  # never reached Stripe: nothing to ask
    intent = gateway.retrieve_payment_intent(payment.stripe_payment_intent_id)
    with transaction.atomic():
        return apply_intent(locked_payment(payment.pk), intent, source=source)


# --------------------------------------------------------------------------- close
def payment_intents_cancel(*, payable: models.Model) -> dict[int, dict]:
    """Step one of closing a payable's open card payments (an unpaid order's window
    closed), with no transaction open: cancel each intent at Stripe. Returns Stripe's
    answer per payment, for `payments_expire`."""
    answers: dict[int, dict] = {}
    for payment in payments_of(payable).exclude(status__in=FINAL):
        if payment.stripe_payment_intent_id:
            answers[payment.pk] = gateway.cancel_payment_intent(payment.stripe_payment_intent_id)
        else:
            answers[payment.pk] = {}  # never reached Stripe
    return answers


def payments_expire(*, payable: models.Model, intents: dict[int, dict], reason: str) -> bool:
    """Step two, inside the caller's transaction with the payable locked: record what
    Stripe answered and cancel the payments. Returns False (the caller keeps the payable)
    when one was paid after all (recorded as paid), when Stripe is still processing one (it
    cannot be cancelled there; its outcome decides, at the next run), or when one reached
    Stripe after step one (its intent is live: the next run cancels it first).

    A payment that never reached Stripe (its row is written and committed before the intent
    is created) is cancelled like the others; `payment_start` then cancels the intent it
    may be creating at that moment instead of handing it out."""
    for payment in Payment.objects.select_for_update().filter(pk__in=intents).order_by("pk"):
        answer = intents[payment.pk]
        if payment.stripe_payment_intent_id and not answer:
            return False
        payment = apply_intent(payment, answer, source="expiry")
        if payment.status in (Status.SUCCEEDED, Status.PROCESSING):
            return False
        if payment.status not in FINAL:
            PAYMENT.fire(payment, EXPIRE, locked=True, note=reason)
    return True
