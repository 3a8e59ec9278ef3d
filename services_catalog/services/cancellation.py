"""Cancellation (S8): by the customer, the provider, staff, or the system when a job expires."""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.permissions import Ability
from payments.models import Payment
from payments.services import payment_intents_cancel, payments_expire, payments_of
from services_catalog import conf, matching
from services_catalog.errors import InvalidTransition, NotAllowed
from services_catalog.fees import SYSTEM, CancellationQuote, cancellation_quote
from services_catalog.models import ZERO, ChangeOrder, Job, JobCharge, Quote, money
from services_catalog.selectors import billed_total
from services_catalog.services._common import (
    Action,
    Status,
    _can,
    _decimal,
    _fire,
    _is_customer,
    _is_job_provider,
    _is_party,
    _locked,
    _notify_customer,
    _notify_provider,
    _now,
    _purpose_label,
)
from services_catalog.services.billing import _refund, _settle
from services_catalog.services.matching import _match
from services_catalog.services.refunds import send_card_refunds

logger = logging.getLogger(__name__)


def _canceller(job: Job, user) -> str:
    """Whose side cancels (the fee depends on it): the customer, the provider, or staff
    who manage jobs (cancelling for either side)."""
    if _is_customer(user, job):
        return Job.CancelledBy.CUSTOMER
    if _is_job_provider(user, job):
        return Job.CancelledBy.PROVIDER
    if _can(user, Ability.MANAGE_JOBS):
        return Job.CancelledBy.STAFF
    raise NotAllowed(_("Only the customer, the assigned provider or staff can cancel job %(number)s.")
                     % {"number": job.number})


def job_cancellation_preview(*, job: Job, user, now: datetime.datetime | None = None) -> CancellationQuote:
    """What cancelling would cost `user`'s side now: shown before they confirm (S8)."""
    job = Job.objects.select_related("provider").get(pk=job.pk)
    if not job.can_cancel():
        raise InvalidTransition(_("Job %(number)s can no longer be cancelled.") % {"number": job.number})
    return cancellation_quote(job=job, cancelled_by=_canceller(job, user), now=_now(now))


def job_cancel(
    *,
    job: Job,
    user,
    reason: str,
    now: datetime.datetime | None = None,
    expected_fee: Decimal | None = None,
) -> Job:
    """S8: cancel at any open stage. Fees follow `fees.cancellation_quote`, are recorded
    as statement lines, and the rest of what was paid is refunded (by card through
    payments/). Pass the fee the customer saw as `expected_fee`: if it changed meanwhile
    (the provider was dispatched), nothing happens and FeeChanged asks them to look again.
    Cancelling a cancelled job changes nothing.

    The card refunds are booked in the transaction and sent to Stripe after it has
    committed (`refunds`): call this with no transaction open."""
    now = _now(now)
    with transaction.atomic():
        job = _locked(job)
        if job.status == Status.CANCELLED:
            return job
        if not job.can_cancel():
            raise InvalidTransition(_("Job %(number)s can no longer be cancelled.") % {"number": job.number})
        quote = cancellation_quote(job=job, cancelled_by=_canceller(job, user), now=now)
        if expected_fee is not None and money(_decimal(expected_fee, field=_("Fee")), job.currency) != quote.fee_total:
            raise InvalidTransition(
                _("The cancellation fee is now %(fee)s %(currency)s. Please review it and confirm again.")
                % {"fee": quote.fee_total, "currency": quote.currency},
                code="fee_changed",
            )
        _cancel(job, quote=quote, actor=user, reason=(reason or "").strip(), now=now)
    send_card_refunds(job=job)
    return job


def _cancel(job: Job, *, quote: CancellationQuote, actor, reason: str, now: datetime.datetime) -> None:
    """Cancel the locked `job`. The card refunds are only booked: once its transaction has
    committed, the caller sends them (`refunds.send_card_refunds`)."""
    billed = billed_total(job)
    if billed != ZERO:
        JobCharge.objects.create(job=job, kind=JobCharge.Kind.CANCELLATION_CREDIT, amount=-billed,
                                 description=str(_("Agreed price released")))
    for line in quote.lines:
        JobCharge.objects.create(job=job, kind=line.kind, amount=line.amount, description=str(line.description))
    job.change_orders.filter(status=ChangeOrder.Status.PROPOSED).update(
        status=ChangeOrder.Status.DECLINED, decided_at=now
    )
    job.quotes.filter(status=Quote.Status.SENT).update(status=Quote.Status.SUPERSEDED)
    matching.release(job)
    _fire(job, Action.CANCELLED, actor=actor, note=reason, allowed=_is_party, cancelled_by=quote.cancelled_by,
          cancel_reason=reason, cancelled_at=now)
    if quote.refund_total > ZERO:
        # Booked now; the card part goes to Stripe after the caller's transaction commits.
        _refund(job, quote.refund_total, user=actor, reason=reason or "cancelled", event="cancel")
    _notify_customer(job, "services_job_cancelled", cancellation=quote, reason=reason,
                     cash_refund_due=job.cash_refund_due)
    if quote.cancelled_by != Job.CancelledBy.PROVIDER:
        _notify_provider(job, "services_provider_job_cancelled", reason=reason)
    if quote.amount_due > ZERO:
        _notify_customer(job, "services_payment_due", amount=quote.amount_due, purpose=_purpose_label(job))
    _settle(job, actor=actor, now=now)


def expire_unmatched_jobs(*, now: datetime.datetime | None = None, hours: int | None = None) -> list[Job]:
    """Cancel, with a full refund, the jobs no provider took within `hours` (settings:
    CHAARSOO_JOB_MATCH_HOURS) or whose date has passed. Each gets one last matching try.

    Each job is its own transaction, committed before its card refunds go to Stripe; a
    refund Stripe refuses stays pending for the next attempt (`send_job_card_refunds`)
    without stopping the others.
    """
    now = _now(now)
    hours = conf.match_hours() if hours is None else hours
    cutoff = now - datetime.timedelta(hours=hours)
    today = timezone.localtime(now).date()
    waiting = Job.objects.filter(status=Status.MATCHING).values_list("pk", "matching_since", "preferred_date")
    due = [pk for pk, since, day in waiting if (since and since <= cutoff) or day < today]
    expired: list[Job] = []
    for pk in due:
        try:
            with transaction.atomic():
                job = _locked(Job(pk=pk))
                if job.status != Status.MATCHING:
                    continue
                if job.preferred_date >= today and _match(job, actor=None, now=now):
                    continue
                quote = cancellation_quote(job=job, cancelled_by=SYSTEM, now=now)
                _cancel(job, quote=quote, actor=None, now=now,
                        reason=str(_("No provider was free for this date and slot.")))
            send_card_refunds(job=job)
            expired.append(job)
        except Exception:
            logger.exception("Could not expire unmatched job %s", pk)
    return expired


def expire_unpaid_jobs(*, now: datetime.datetime | None = None, hours: int | None = None) -> list[Job]:
    """Cancel (free) accepted jobs whose upfront payment or deposit did not arrive within
    `hours` (settings: CHAARSOO_JOB_PAYMENT_HOURS).

    Like shop's `order_expire_unpaid`, and through the same two payments services, every
    card payment still under way is first cancelled at Stripe, outside any lock
    (`payment_intents_cancel`), then closed in the job's transaction (`payments_expire`);
    if Stripe says one was paid after all, the payment is recorded instead (the job goes on
    to matching) and the job is kept. A job whose payment Stripe is still processing, that
    Stripe cannot be asked about, or whose customer started a new attempt meanwhile, waits
    for the next run. A payment row that never reached Stripe is simply closed. A payment
    that lands after the cancellation is refunded (`_settle`). Each job is its own
    transaction, so one failure never stops the others.
    """
    now = _now(now)
    hours = conf.payment_hours() if hours is None else hours
    cutoff = now - datetime.timedelta(hours=hours)
    expired: list[Job] = []
    for pk in Job.objects.filter(status=Status.ACCEPTED, accepted_at__lte=cutoff).values_list("pk", flat=True):
        try:
            intents = _stop_card_payments(pk)
            with transaction.atomic():
                job = _locked(Job(pk=pk))
                if job.status != Status.ACCEPTED:
                    continue
                if not payments_expire(payable=job, intents=intents, reason="payment window closed"):
                    continue  # paid after all (recorded: the job moves on), or still under way
                if _card_payments_under_way(job).exists():
                    continue  # a new attempt started meanwhile: the next run decides
                quote = cancellation_quote(job=job, cancelled_by=SYSTEM, now=now)
                _cancel(job, quote=quote, actor=None, now=now,
                        reason=str(_("The payment did not arrive in time.")))
            send_card_refunds(job=job)
            expired.append(job)
        except Exception:
            logger.exception("Could not expire unpaid job %s", pk)
    return expired


def _card_payments_under_way(job: Job):
    """The job's card payments that could still be charged (neither cancelled nor paid)."""
    return payments_of(job).exclude(status__in=[Payment.Status.CANCELED, Payment.Status.SUCCEEDED])


def _stop_card_payments(job_pk: int) -> dict[int, dict]:
    """Step one of closing the job's card payments still under way: payments cancels each
    intent at Stripe (a payment row without an intent yet needs no call) and returns what
    Stripe answered, for `payments_expire` in the job's transaction. Runs before that
    transaction, with no lock held and no transaction open around the Stripe calls."""
    return payment_intents_cancel(payable=Job(pk=job_pk))
