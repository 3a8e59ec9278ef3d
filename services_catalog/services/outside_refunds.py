"""A job's card payment refunded from outside the job (issue 14, point 4): by staff on the
payments dashboard (or its staff API), or in Stripe's own dashboard (`charge.refunded`).

payments/ records the refund and calls the job's adapter (`JobPayable.on_refunded`), in
its transaction; this module makes the job follow:

- the refund goes on the job's statement and counts as refunded (`amount_refunded`);
- an open job with nothing left paid is cancelled (by Chaarsoo, no fees: the money is
  already back); an open job still partly paid stays, its balance owed again, with a
  staff-only event saying so — it is held for staff: the provider is credited only once
  the customer has paid in full again (`billing._settle` waits for that);
- a job whose provider was already credited has that credit reversed on the ledger in
  proportion to the money refunded (the provider is never credited for refunded money).

The job's own refunds (a cancellation, a duplicate payment: `refunds._book_card_refund`)
are already on its statement; they are recognised by their idempotency key and skipped.
"""

from __future__ import annotations

import contextlib
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from ledger.errors import ReversalExceedsOriginal
from ledger.models import Transfer
from ledger.services import transfer_reverse
from services_catalog.models import ZERO, Job, JobCardRefund, JobCharge, money
from services_catalog.services._common import Action, _fire, _locked, _log, _now

SETTLEMENT_KEY = "services:job:{pk}:settlement"


def job_card_refunded(*, job: Job, refund: Any, user: Any = None) -> Job:
    """Make `job` follow a refund of one of its card payments (`refund`: a payments
    PaymentRefund, already recorded). Idempotent per refund."""
    if refund.idempotency_key and JobCardRefund.objects.filter(idempotency_key=refund.idempotency_key).exists():
        return job  # the job's own refund: already on its statement
    job = _locked(job)
    marker = f"refund #{refund.pk}:"
    if job.events.filter(action=Action.REFUNDED_OUTSIDE, note__startswith=marker).exists():
        return job
    amount = money(refund.amount, job.currency)
    JobCharge.objects.create(job=job, kind=JobCharge.Kind.REFUND, amount=amount,
                             description=str(_("Refunded to your card by Chaarsoo")))
    job.amount_refunded += amount
    job.save(update_fields=["amount_refunded", "updated"])
    source = "Stripe" if refund.source == "stripe" else "staff"
    _log(job, Action.REFUNDED_OUTSIDE, actor=user, visible=False,
         note=f"{marker} {amount} {job.currency} by {source}; paid now {job.net_paid}")
    if job.status in Job.OPEN_STATUSES and job.net_paid <= ZERO and job.amount_paid > ZERO:
        _fire(job, Action.CANCELLED, actor=None,
              note=str(_("Cancelled: the payment was refunded in full.")),
              cancelled_by=Job.CancelledBy.STAFF, cancelled_at=_now(None),
              cancel_reason=str(_("The payment was refunded in full.")))
    _reverse_provider_credit(job, amount, refund_pk=refund.pk)
    return job


def _reverse_provider_credit(job: Job, amount: Decimal, *, refund_pk: int) -> None:
    settlement = Transfer.objects.filter(idempotency_key=SETTLEMENT_KEY.format(pk=job.pk)).first()
    if settlement is None:
        return  # not credited yet: billing._settle credits only a job paid in full again
    legs = list(settlement.legs.order_by("pk").values_list("amount", flat=True))
    credited = sum((leg for leg in legs if leg > 0), ZERO)
    measure = next(leg for leg in legs if leg > 0)
    wanted = money(measure * min(Decimal(1), amount / credited), job.currency) if credited else ZERO
    if wanted <= ZERO:
        return
    key = f"services:job:{job.pk}:refund:{refund_pk}:reversal"
    memo = f"Job {job.number}: {amount} {job.currency} refunded to the customer"
    try:
        transfer_reverse(transfer=settlement, idempotency_key=key, amount=wanted, memo=memo)
    except ReversalExceedsOriginal:
        # What is left of it; refused again only when it was already reversed in full.
        with contextlib.suppress(ReversalExceedsOriginal):
            transfer_reverse(transfer=settlement, idempotency_key=key, memo=memo)
