"""The cancellation fee schedule (S8), computed by one function and nothing else.

- Before a provider is assigned (requested, quoted, accepted, finding a provider) a
  cancellation is free, whether or not something was paid: it is all refunded.
- Once a provider is assigned and before they are dispatched: the service's handling fee.
- After dispatch (visit scheduled or work started): the call-out fee plus the work done
  so far, as the provider recorded it.
- Fees never exceed the job's value (locked price plus accepted extras, S12).
- A provider who cancels, or the platform (no provider found in time), costs the customer
  nothing. Staff cancelling for a caller (A2) follow the customer's schedule.
- A warranty redo costs the customer nothing to cancel at any stage (S11: the redo is
  free for the customer; the visit is owed because of the first provider's failure), even
  when the customer accepted extra work on it that would otherwise cap the fees above 0.

The same schedule is shown to the customer before they confirm and recorded as line items
by `services.job_cancel`. The fees are copied from the service onto the job at request
time, so an editor changing the service later never changes a job already booked.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from services_catalog.models import ZERO, Job, JobCharge, money

CUSTOMER = "customer"
PROVIDER = "provider"
STAFF = "staff"
SYSTEM = "system"
CANCELLERS = (CUSTOMER, PROVIDER, STAFF, SYSTEM)

STAGE_BEFORE_ASSIGNMENT = "before_assignment"
STAGE_ASSIGNED = "assigned"
STAGE_DISPATCHED = "dispatched"

_STAGE_OF_STATUS = {
    Job.Status.REQUESTED: STAGE_BEFORE_ASSIGNMENT,
    Job.Status.QUOTED: STAGE_BEFORE_ASSIGNMENT,
    Job.Status.ACCEPTED: STAGE_BEFORE_ASSIGNMENT,
    Job.Status.MATCHING: STAGE_BEFORE_ASSIGNMENT,
    Job.Status.ASSIGNED: STAGE_ASSIGNED,
    Job.Status.DISPATCHED: STAGE_DISPATCHED,
    Job.Status.IN_PROGRESS: STAGE_DISPATCHED,
}


@dataclass(frozen=True)
class FeeLine:
    kind: str  # a JobCharge.Kind value
    description: str | Promise
    amount: Decimal


@dataclass(frozen=True)
class CancellationQuote:
    stage: str
    cancelled_by: str
    lines: tuple[FeeLine, ...]
    fee_total: Decimal
    refund_total: Decimal  # paid money that goes back to the customer
    amount_due: Decimal  # fees not covered by what was paid: still owed by the customer
    currency: str
    as_of: datetime.datetime

    @property
    def is_free(self) -> bool:
        return self.fee_total == ZERO


def cancellation_stage(status: str) -> str:
    """Which part of the schedule applies to a job in `status` (only open jobs can be cancelled)."""
    try:
        return _STAGE_OF_STATUS[status]
    except KeyError:
        raise ValueError(f"A job in status {status!r} cannot be cancelled") from None


def fee_lines(
    *,
    stage: str,
    cancelled_by: str,
    handling_fee: Decimal,
    callout_fee: Decimal,
    work_done: Decimal,
    job_value: Decimal,
    is_redo: bool = False,
) -> tuple[FeeLine, ...]:
    """The fee lines of the schedule; pure, so it can be tested row by row."""
    if cancelled_by not in CANCELLERS:
        raise ValueError(f"Unknown canceller {cancelled_by!r}")
    if cancelled_by in (PROVIDER, SYSTEM) or stage == STAGE_BEFORE_ASSIGNMENT or is_redo:
        return ()
    if stage == STAGE_ASSIGNED:
        wanted = [(JobCharge.Kind.CANCELLATION_FEE, _("Handling fee (provider already assigned)"), handling_fee)]
    elif stage == STAGE_DISPATCHED:
        wanted = [
            (JobCharge.Kind.CALLOUT_FEE, _("Call-out fee (provider already dispatched)"), callout_fee),
            (JobCharge.Kind.WORK_DONE, _("Work done before cancellation"), work_done),
        ]
    else:
        raise ValueError(f"Unknown stage {stage!r}")
    # Never more than the job is worth: fill lines in order up to the cap.
    room = max(money(job_value), ZERO)
    lines: list[FeeLine] = []
    for kind, description, amount in wanted:
        charged = min(money(amount), room)
        if charged > ZERO:
            lines.append(FeeLine(kind=kind, description=description, amount=charged))
            room -= charged
    return tuple(lines)


def cancellation_quote(*, job: Job, cancelled_by: str, now: datetime.datetime | None = None) -> CancellationQuote:
    """What cancelling `job` now would cost, and what would be refunded (S8).

    Reads only the job's own fields (no queries), so it is the same before confirmation
    and at cancellation, and testable on unsaved jobs.
    """
    stage = cancellation_stage(job.status)
    lines = fee_lines(
        stage=stage,
        cancelled_by=cancelled_by,
        handling_fee=job.handling_fee,
        callout_fee=job.callout_fee,
        work_done=job.work_done_amount,
        job_value=job.value,
        is_redo=job.is_redo,
    )
    fee_total = sum((line.amount for line in lines), ZERO)
    paid = job.net_paid
    return CancellationQuote(
        stage=stage,
        cancelled_by=cancelled_by,
        lines=lines,
        fee_total=fee_total,
        refund_total=max(paid - fee_total, ZERO),
        amount_due=max(fee_total - paid, ZERO),
        currency=job.currency,
        as_of=now or timezone.now(),
    )
