"""Card refunds of jobs (S8, Y1): booked in the job's transaction, sent to Stripe after it.

Money is never sent to Stripe inside an open database transaction. A service that gives
money back to a card:
1. inside its transaction (the job row locked) books the refund: the statement line and a
   `JobCardRefund` row, the intent, keyed by the business event (`_book_card_refund`);
2. commits;
3. only then calls `send_card_refunds(job=...)`, which sends each pending intent to
   Stripe through payments' `refund_intent_send` (its own short transactions) and
   records the result on the intent.

A refund Stripe refuses, or whose answer is lost, stays pending with its error; the next
attempt (the `send_job_card_refunds` command, run with the periodic duties, or any later
step of the same job) sends the same idempotency key, so Stripe returns its first refund
and never pays twice. Views that lead here are `transaction.non_atomic_requests`, so no
request transaction is open around the Stripe call; a caller that cannot avoid one (the
payable adapter's `on_paid`, inside payments' transaction) defers the sending to
`transaction.on_commit` (`send_card_refunds_after_commit`).
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Sum

from payments.models import Payment
from payments.services import refund_intent_send
from services_catalog.models import ZERO, Job, JobCardRefund


def _job_payments(job: Job):
    """The job's captured card payments, newest first (refunds go to them in this order)."""
    return Payment.objects.filter(
        payable_type=ContentType.objects.get_for_model(Job), payable_id=job.pk, status=Payment.Status.SUCCEEDED
    ).order_by("-succeeded_at", "-pk")


def _pending_for(payment: Payment) -> Decimal:
    """What is already booked against `payment` but not yet recorded by payments/."""
    total = JobCardRefund.objects.filter(payment=payment, sent_at__isnull=True).aggregate(total=Sum("amount"))
    return total["total"] or ZERO


def _refundable(payment: Payment) -> Decimal:
    return payment.refundable_amount - _pending_for(payment)


def _book_card_refund(job: Job, *, payment: Payment, amount: Decimal, reason: str, key: str) -> JobCardRefund:
    """Write the intent in the caller's transaction (the same key again returns the first)."""
    intent, _created = JobCardRefund.objects.get_or_create(
        idempotency_key=key,
        defaults={"job": job, "payment": payment, "amount": amount, "currency": payment.currency,
                  "reason": reason[:255]},
    )
    return intent


def send_card_refunds(*, job: Job | int) -> list[JobCardRefund]:
    """Send `job`'s pending card refunds to Stripe and record each result. Call it with no
    transaction open (after the transaction that booked them has committed). Returns the
    intents still pending (Stripe refused or could not be reached: the next run retries)."""
    job_pk = job if isinstance(job, int) else job.pk
    left: list[JobCardRefund] = []
    for intent in JobCardRefund.objects.filter(job_id=job_pk, sent_at__isnull=True).select_related("payment"):
        if not _send(intent):
            left.append(intent)
    return left


def _send(intent: JobCardRefund) -> bool:
    return refund_intent_send(intent, reason=intent.reason)


def send_card_refunds_after_commit(job: Job) -> None:
    """From inside a transaction the caller does not own: send once it has committed."""
    transaction.on_commit(partial(send_card_refunds, job=job.pk))


def send_pending_card_refunds() -> int:
    """Retry every job's pending card refunds (a periodic duty). Returns how many are left."""
    left = 0
    job_ids = JobCardRefund.objects.filter(sent_at__isnull=True).values_list("job_id", flat=True).distinct()
    for job_pk in list(job_ids):
        left += len(send_card_refunds(job=job_pk))
    return left
