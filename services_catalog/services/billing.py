"""Payments and the provider's share (S5, S17): receipts, cash, settlement, refunds."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.permissions import Ability
from ledger import codes
from ledger.services import transfer_post
from payments.errors import NotPayable
from payments.payables import PaidEvent, RefundedEvent, announce_paid, announce_refunded
from services_catalog import job_hooks
from services_catalog.errors import InvalidTransition
from services_catalog.models import ZERO, Job, JobCharge, JobReceipt, money
from services_catalog.payables import amount_for, purpose_due
from services_catalog.selectors import amount_owed
from services_catalog.services._common import (
    Action,
    Status,
    _actor,
    _ledger_account,
    _locked,
    _log,
    _notify_customer,
    _now,
    _require,
    provider_account,
)
from services_catalog.services.matching import _start_matching
from services_catalog.services.refunds import (
    _book_card_refund,
    _job_payments,
    _refundable,
    send_card_refunds,
    send_card_refunds_after_commit,
)


def _receive(job: Job, *, purpose: str, amount: Decimal, method: str, payment=None, user=None,
             now: datetime.datetime) -> JobReceipt:
    receipt = JobReceipt.objects.create(
        job=job, purpose=purpose, method=method, amount=amount, currency=job.currency, payment=payment,
        received_by=_actor(user),
    )
    job.amount_paid += amount
    job.save(update_fields=["amount_paid", "updated"])
    _log(job, Action.PAID, actor=user, note=f"{purpose}: {amount} {job.currency} ({method})")
    _notify_customer(job, "services_receipt", receipt=receipt)
    if job.status == Status.ACCEPTED and job.net_paid >= job.upfront_amount():
        _start_matching(job, actor=user, now=now)
    # A job receives each purpose once, so the purpose names the business event of a
    # refund this payment may cause (paid after the job was cancelled).
    _settle(job, actor=user, now=now, refund_event=f"paid-after-cancel:{purpose}")
    return receipt


def job_payment_received(*, job: Job, payment, now: datetime.datetime | None = None) -> JobReceipt:
    """A card payment for `job` succeeded (called by the payable adapter's on_paid, with
    the job already locked by payments/). The same payment again changes nothing; a
    second payment for a purpose already settled (cash taken meanwhile) is refunded.

    payments/ calls this inside its own transaction, so a card refund it leads to (the
    duplicate, or a payment that landed after a cancellation) is booked here and sent to
    Stripe once that transaction has committed (`refunds.send_card_refunds_after_commit`)."""
    now = _now(now)
    with transaction.atomic():
        job = _locked(job)
        same = JobReceipt.objects.filter(payment=payment).first()
        if same is not None:
            return same
        existing = JobReceipt.objects.filter(job=job, purpose=payment.purpose).first()
        if existing is not None:
            _log(job, Action.DUPLICATE_PAYMENT_REFUNDED, note=f"{payment.amount} {payment.currency}")
            # Keyed by the business event (this payment was a duplicate).
            if _refundable(payment) > ZERO:
                _book_card_refund(job, payment=payment, amount=_refundable(payment),
                                  reason=f"job {job.number}: {payment.purpose} already paid",
                                  key=f"services:job:{job.pk}:duplicate:payment:{payment.pk}")
            result = existing
        else:
            result = _receive(job, purpose=payment.purpose, amount=payment.amount, method=JobReceipt.Method.CARD,
                              payment=payment, user=payment.user, now=now)
        if job.card_refunds.filter(sent_at__isnull=True).exists():
            send_card_refunds_after_commit(job)
        return result


def job_record_cash_payment(*, job: Job, staff_user, now: datetime.datetime | None = None,
                            method: str = JobReceipt.Method.CASH) -> JobReceipt:
    """Staff (record_cash) record that the amount now due was received in cash. Recording
    twice returns the receipt already recorded. A card refund this leads to (cash for a
    cancelled job's fee that a card had already covered) is sent to Stripe after the
    transaction has committed. `method` CARD: paid on a partner office's own card
    terminal (not through Stripe), so a refund of it is given back at that counter too."""
    delegate = job_hooks.delegate_for(job)
    if not (delegate is not None and delegate.takes_cash(staff_user, job)):  # a partner office's counter
        _require(staff_user, Ability.RECORD_CASH, _("Only staff who record cash can do this."))
    with transaction.atomic():
        job = _locked(job)
        purpose = purpose_due(job)
        if purpose is None:
            last = job.receipts.filter(payment__isnull=True).order_by("-created", "-pk").first()
            if last is not None:
                return last
            raise NotPayable(_("Nothing is due for job %(number)s now.") % {"number": job.number})
        receipt = _receive(job, purpose=purpose, amount=amount_for(job, purpose), method=method,
                           user=staff_user, now=_now(now))
        # Cash follows the same listeners as a card payment (gift points, issue 10).
        announce_paid(PaidEvent(payable=job, key=f"job-receipt:{receipt.pk}", amount=receipt.amount,
                                currency=receipt.currency,
                                method="card" if method == JobReceipt.Method.CARD else "cash"))
    send_card_refunds(job=job)
    return receipt


def _settle(job: Job, *, actor, now: datetime.datetime, refund_event: str = "overpaid") -> None:
    """On a finished job: give back what was overpaid (a payment that landed after a
    cancellation) and is not already owed back in cash, mark it paid in full, and credit
    the provider. `refund_event` names the business event for the refund's idempotency."""
    if job.status not in (Status.COMPLETED, Status.CANCELLED):
        return
    owed = amount_owed(job)
    if owed > ZERO:
        return
    overpaid = -owed - job.cash_refund_due
    if overpaid > ZERO and job.status == Status.CANCELLED:
        _refund(job, overpaid, user=actor, reason=str(_("Paid after the job was cancelled")), event=refund_event)
    if job.paid_in_full_at is None:
        job.paid_in_full_at = now
        job.save(update_fields=["paid_in_full_at", "updated"])
    _credit_provider(job, now=now)


def _charge_sum(job: Job, *kinds: str) -> Decimal:
    return job.charges.filter(kind__in=kinds).aggregate(total=Sum("amount"))["total"] or ZERO


def _credit_provider(job: Job, *, now: datetime.datetime) -> None:
    """S17: the provider's share minus commission, on the ledger, once per job.

    A completed job shares its value (locked price plus accepted extras). A job cancelled
    after dispatch shares the call-out fee and work done it earned; a handling fee is the
    platform's. Money comes from `platform:services` (the customers' payments, cleared).
    """
    if job.provider_credited_at is not None or job.provider_id is None:
        return
    delegate = job_hooks.delegate_for(job)
    if delegate is not None:  # a partner office's errand: its own fee split
        job.provider_credited_at = now
        job.save(update_fields=["provider_credited_at", "updated"])
        delegate.settle(job, now=now)
        return
    provider = job.provider
    if job.status == Status.COMPLETED:
        work_value, platform_only = job.value, ZERO
    else:
        work_value = _charge_sum(job, JobCharge.Kind.CALLOUT_FEE, JobCharge.Kind.WORK_DONE)
        platform_only = _charge_sum(job, JobCharge.Kind.CANCELLATION_FEE)
    rate = provider.commission_rate
    commission = money(work_value * rate, job.currency)
    share = work_value - commission
    job.commission_rate = rate
    job.provider_credited_at = now
    job.save(update_fields=["commission_rate", "provider_credited_at", "updated"])
    if work_value + platform_only <= ZERO:
        return
    currency = job.currency
    legs = [
        (_ledger_account(codes.PLATFORM_SERVICES, currency=currency, name="Service jobs: customer payments"),
         -(work_value + platform_only)),
        (provider_account(provider, currency=currency), share),
        (_ledger_account(codes.PLATFORM_COMMISSION, currency=currency, name="Platform commission"),
         commission + platform_only),
    ]
    transfer_post(
        idempotency_key=f"services:job:{job.pk}:settlement",
        kind="service_job_settlement",
        legs=[(account, amount) for account, amount in legs if amount != ZERO],
        memo=f"Job {job.number}: provider share {share}, commission {commission + platform_only}",
        metadata={"job": job.number, "share": str(share), "commission": str(commission)},
    )
    _log(job, Action.PROVIDER_CREDITED, visible=False,
         note=f"share {share}, commission {commission + platform_only} {currency}")


def _refund(job: Job, amount: Decimal, *, user, reason: str, event: str) -> None:
    """Give `amount` back: to the cards that paid (newest first) through payments/, and
    what was paid in cash becomes a cash refund owed to the customer (`cash_refund_due`),
    which counts as refunded only once staff hand it back (`job_record_cash_refund`).

    The statement lines and the card refund intents (`refunds._book_card_refund`) are
    written now, in the caller's transaction; the caller sends them to Stripe once that
    transaction has committed (`refunds.send_card_refunds`). `event` names the business
    event (e.g. "cancel"), which keys the Stripe refund, so a retry never refunds twice.
    """
    total = money(amount, job.currency)
    if total <= ZERO:
        return
    remaining = total
    for payment in _job_payments(job):
        take = min(remaining, _refundable(payment))
        if take <= ZERO:
            continue
        JobCharge.objects.create(job=job, kind=JobCharge.Kind.REFUND, amount=take,
                                 description=str(_("Refunded to your card")))
        _book_card_refund(job, payment=payment, amount=take, reason=f"job {job.number}: {reason}",
                          key=f"services:job:{job.pk}:{event}:payment:{payment.pk}")
        remaining -= take
        if remaining <= ZERO:
            break
    job.amount_refunded += total - remaining
    update = ["amount_refunded", "updated"]
    if remaining > ZERO:
        # Paid in cash: nobody has given it back yet, so it is owed, not refunded.
        job.cash_refund_due += remaining
        update.append("cash_refund_due")
    job.save(update_fields=update)
    if remaining > ZERO:
        _log(job, Action.CASH_REFUND_DUE, note=f"{remaining} {job.currency}")


def job_record_cash_refund(*, job: Job, staff_user, now: datetime.datetime | None = None,
                           description: str = "") -> Job:
    """Staff confirm they handed the customer back, in cash, the refund owed for money paid
    in cash (`Job.cash_refund_due`, left by a cancellation). Only then does it count as
    refunded: a statement line is written, the customer is told. Confirming again changes
    nothing. Handing money back is a refund: it needs refund_payment, or to be the partner
    office counter that took the money (job_hooks `takes_cash`), which gives it back there
    (`description` says how: cash, or a refund on the office's card terminal)."""
    now = _now(now)
    delegate = job_hooks.delegate_for(job)
    if not (delegate is not None and delegate.takes_cash(staff_user, job)):  # the counter that took it
        _require(staff_user, Ability.REFUND_PAYMENT, _("Only staff who refund payments can do this."))
    with transaction.atomic():
        job = _locked(job)
        due = job.cash_refund_due
        if due <= ZERO:
            if job.events.filter(action=Action.CASH_REFUNDED).exists():
                return job
            raise InvalidTransition(
                _("No cash refund is owed to the customer of job %(number)s.") % {"number": job.number}
            )
        JobCharge.objects.create(job=job, kind=JobCharge.Kind.REFUND, amount=due,
                                 description=description or str(_("Handed back in cash by Chaarsoo staff")))
        job.amount_refunded += due
        job.cash_refund_due = ZERO
        job.save(update_fields=["amount_refunded", "cash_refund_due", "updated"])
        _log(job, Action.CASH_REFUNDED, actor=staff_user,
             note=f"{due} {job.currency}, {timezone.localtime(now):%Y-%m-%d %H:%M}")
        _notify_customer(job, "services_cash_refunded", amount=due)
        announce_refunded(RefundedEvent(payable=job, key=f"job-cash-refund:{job.pk}:{job.amount_refunded}",
                                        amount=due, currency=job.currency, user=staff_user))
        return job


def job_refund(*, job: Job, staff_user, amount: Decimal, reason: str, event: str) -> Job:
    """Staff give back `amount` of what a finished job was paid, partly or fully (S9: an
    errand that ended badly through no fault of the customer): to the cards that paid,
    through payments/, and what was paid in cash becomes owed back in cash
    (`job_record_cash_refund`). `event` names the business decision; the caller records
    it once. Card refunds go to Stripe after the transaction commits."""
    _require(staff_user, Ability.REFUND_PAYMENT, _("Only staff who refund payments can do this."))
    with transaction.atomic():
        job = _locked(job)
        available = job.net_paid - job.cash_refund_due
        amount = money(amount, job.currency)
        if amount <= ZERO or amount > available:
            raise InvalidTransition(
                _("A refund of job %(number)s must be more than zero and at most %(available)s.")
                % {"number": job.number, "available": available}
            )
        _refund(job, amount, user=staff_user, reason=reason, event=event)
        if job.card_refunds.filter(sent_at__isnull=True).exists():
            send_card_refunds_after_commit(job)
        return job
