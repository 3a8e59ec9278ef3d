"""Refunds: staff (or a domain rule) give money back through Stripe; refunds made in
Stripe's own dashboard are recorded from its webhook.

A refund never exceeds what was captured less what was refunded: the amount is reserved
on the payment (`amount_refunded`) under its row lock, in a short transaction that also
writes the refund as `pending` and commits. Stripe is called with no transaction open and
no lock held; its answer is recorded in a new short transaction. If Stripe refuses or
cannot be reached, the pending refund is removed and the reservation released (the
failure is logged on the payment's history), so nothing half-written remains; retrying
derives the same idempotency key, so Stripe refunds at most once.
"""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from core import clock
from core.errors import DomainError
from core.money import from_minor, to_minor
from core.permissions import Ability, require_ability
from payments import gateway
from payments.errors import NotAllowed, RefundFailed, RefundNotAllowed
from payments.intents import locked_payment
from payments.machine import PAYMENT, REFUND
from payments.models import Payment, PaymentRefund
from payments.payables import RefundedEvent, adapter_for, announce_refunded

logger = logging.getLogger(__name__)
Status = Payment.Status


def _person(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def refund_create(
    *, payment: Payment, amount: Decimal, user: Any, reason: str = "", idempotency_key: str | None = None
) -> PaymentRefund:
    """Refund `amount` of a captured card payment through Stripe.

    `user` is the person deciding the refund and must hold `refund_payment`; a domain
    rule or the system (a job's cancellation policy, a duplicate payment) passes None.

    `idempotency_key` names the business event the refund belongs to (a service job's
    cancellation, say): the same key again returns the refund already made, or re-sends
    the one still pending, never a second one. Without it the key is derived from the
    payment's refund count and the amount.
    """
    if user is not None:
        require_ability(user, Ability.REFUND_PAYMENT, error=NotAllowed)
    amount = Decimal(amount)
    refund = _reserve(payment=payment, amount=amount, user=user, reason=reason, idempotency_key=idempotency_key)
    if refund.status == PaymentRefund.Status.DONE:
        return refund
    return _send(refund, user=user)


def refund_resend(*, refund: PaymentRefund) -> PaymentRefund:
    """Send again a refund left pending (the process stopped between writing it and
    recording Stripe's answer), under its own idempotency key, so Stripe pays it at most
    once. For staff tooling and a periodic duty; call it with no transaction open."""
    refund = PaymentRefund.objects.select_related("payment").get(pk=refund.pk)
    if refund.status == PaymentRefund.Status.DONE:
        return refund
    return _send(refund, user=None)


def refunds_pending(
    *, older_than: datetime.timedelta | None = None, now: datetime.datetime | None = None
) -> list[PaymentRefund]:
    """Refunds written but not yet answered by Stripe (normally none, or in flight).

    `older_than` leaves out the ones written less than that long ago (by `now`): a refund
    that young is most likely still in flight, and a periodic duty must not send it again
    while its own request is waiting for Stripe."""
    pending = PaymentRefund.objects.filter(status=PaymentRefund.Status.PENDING)
    if older_than is not None:
        pending = pending.filter(created__lte=clock.now(now) - older_than)
    return list(pending.select_related("payment").order_by("created", "pk"))


# How old a pending refund must be before the periodic duty sends it again.
RESEND_AFTER = datetime.timedelta(minutes=5)


def refunds_resend_pending(
    *, older_than: datetime.timedelta = RESEND_AFTER, now: datetime.datetime | None = None
) -> tuple[int, list[str]]:
    """The periodic duty: send again each refund left pending for longer than `older_than`
    (a process stopped between writing it and recording Stripe's answer). Call it with no
    transaction open. Returns how many were completed, and one line per failure (Stripe
    refused or was unreachable: that refund is released and logged on its payment)."""
    done = 0
    failures: list[str] = []
    for refund in refunds_pending(older_than=older_than, now=now):
        try:
            refund_resend(refund=refund)
        except RefundFailed as error:
            logger.warning("Pending refund %s not completed: %s", refund.pk, error.message)
            failures.append(f"refund {refund.pk}: {error.message}")
            continue
        done += 1
    return done, failures


def _send(refund: PaymentRefund, *, user: Any) -> PaymentRefund:
    """Call Stripe with no transaction open, then record its answer (or undo the intent)."""
    try:
        stripe_refund = gateway.create_refund(
            intent_id=refund.payment.stripe_payment_intent_id,
            amount_minor=to_minor(refund.amount, refund.currency),
            idempotency_key=refund.idempotency_key,
        )
    except RefundFailed as error:
        _abandon(refund, error)
        raise
    return _record(refund, stripe_refund, user=user)


def _reserve(
    *, payment: Payment, amount: Decimal, user: Any, reason: str, idempotency_key: str | None
) -> PaymentRefund:
    """Short transaction: check, write the pending refund, reserve its amount, commit."""
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if idempotency_key:
            key = f"refund:{idempotency_key}"
            known = PaymentRefund.objects.filter(idempotency_key=key).first()
            if known is not None:
                return known  # done: the refund already made; pending: send it again
        if locked.status != Status.SUCCEEDED:
            raise RefundNotAllowed(_("Only a completed payment can be refunded."))
        if amount <= 0:
            raise RefundNotAllowed(_("Enter an amount greater than zero."))
        if amount > locked.refundable_amount:
            raise RefundNotAllowed(
                _("At most %(amount)s %(currency)s can still be refunded.")
                % {"amount": locked.refundable_amount, "currency": locked.currency}
            )
        if not idempotency_key:
            number = locked.refunds.count() + 1
            key = f"refund:{locked.idempotency_key}:{number}:{to_minor(amount, locked.currency)}"
        refund = PaymentRefund.objects.create(
            payment=locked,
            amount=amount,
            currency=locked.currency,
            reason=reason[:255],
            created_by=_person(user),
            status=PaymentRefund.Status.PENDING,
            idempotency_key=key,
        )
        Payment.objects.filter(pk=locked.pk).update(amount_refunded=F("amount_refunded") + amount)
        return refund


def _abandon(refund: PaymentRefund, error: RefundFailed) -> None:
    """Stripe refused or could not be reached: remove the pending refund and release its
    reservation, in one short transaction, and say so on the payment's history."""
    with transaction.atomic():
        payment = locked_payment(refund.payment_id)
        deleted, _rows = PaymentRefund.objects.filter(pk=refund.pk, status=PaymentRefund.Status.PENDING).delete()
        if deleted:
            payment.amount_refunded -= refund.amount
            payment.save(update_fields=["amount_refunded", "updated"])
            PAYMENT.log(payment, "refund_failed", note=f"{refund.amount} {refund.currency}: {error.message}")


def _record(refund: PaymentRefund, stripe_refund: dict, *, user: Any) -> PaymentRefund:
    """Short transaction: Stripe refunded; mark the refund done and let the payable follow."""
    with transaction.atomic():
        payment = locked_payment(refund.payment_id)
        refund = PaymentRefund.objects.select_for_update().get(pk=refund.pk)
        if refund.status == PaymentRefund.Status.DONE:
            return refund  # a concurrent retry of the same key recorded it first
        held = PaymentRefund.objects.filter(stripe_refund_id=stripe_refund["id"]).first()
        if held is not None:
            # Stripe replayed a refund we already hold (same key): release this copy.
            refund.delete()
            payment.amount_refunded -= refund.amount
            payment.save(update_fields=["amount_refunded", "updated"])
            return held
        refund.stripe_refund_id = stripe_refund["id"]
        refund.status = PaymentRefund.Status.DONE
        refund.save(update_fields=["stripe_refund_id", "status"])
        PAYMENT.fire(payment, REFUND, actor=_person(user), locked=True,
                     note=f"{refund.amount} {refund.currency} {refund.reason}".strip())
        _payable_refunded(payment, refund, user)
        return refund


def _payable_refunded(payment: Payment, refund: PaymentRefund, user: Any) -> None:
    """Let the payable react to a refund in the same transaction (an order takes its
    vendors' shares back); adapters without `on_refunded` need nothing."""
    hook = getattr(adapter_for(payment.payable), "on_refunded", None)
    announce_refunded(RefundedEvent(payable=payment.payable, key=f"refund:{refund.pk}", amount=refund.amount,
                                    currency=refund.currency, payment_key=f"payment:{payment.pk}",
                                    user=_person(user)))
    if hook is None:
        return
    try:
        # A savepoint: the money is back with the customer at Stripe already, so a failure
        # on the payable's side must not undo our record of that refund; it is logged
        # on the payment's history for staff instead.
        with transaction.atomic():
            hook(payment.payable, refund, _person(user))
    except Exception as error:
        logger.exception("Refund %s recorded, but the payable could not follow it", refund.pk)
        PAYMENT.log(payment, "refund_followup_failed", note=f"refund {refund.pk}: {error}"[:500])


def apply_charge_refunded(charge: dict, event_id: str) -> str:
    """Bring our refund total up to Stripe's (refunds made in Stripe's own dashboard).
    Runs in the webhook's transaction; no Stripe call."""
    intent_id = charge.get("payment_intent")
    payment_pk = Payment.objects.filter(stripe_payment_intent_id=intent_id).values_list("pk", flat=True).first()
    if payment_pk is None:
        return "unknown payment"
    payment = locked_payment(payment_pk)
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
    PAYMENT.fire(payment, REFUND, locked=True, note=f"{missing} {payment.currency} from Stripe",
                 event_fields={"stripe_event_id": event_id})
    _payable_refunded(payment, refund, None)
    return "refund recorded"


def refund_intent_send(intent: Any, *, reason: str) -> bool:
    """Send one pending `CardRefundIntent` (a job's, a shipment's) through `refund_create`
    and record the result on it. Call it with no transaction open. False when Stripe
    refused or could not be reached: the intent stays pending with the error, and the next
    attempt sends the same key (the system decided the refund, so no user is named)."""
    intents = type(intent).objects.filter(pk=intent.pk, sent_at__isnull=True)
    try:
        refund = refund_create(payment=intent.payment, amount=intent.amount, user=None, reason=reason[:255],
                               idempotency_key=intent.idempotency_key)
    except DomainError as error:
        logger.warning("%s %s not sent: %s", type(intent).__name__, intent.pk, error.message)
        intents.update(attempts=intent.attempts + 1, last_error=str(error.message)[:2000])
        return False
    intents.update(sent_at=clock.now(), payment_refund=refund, attempts=intent.attempts + 1, last_error="")
    return True
