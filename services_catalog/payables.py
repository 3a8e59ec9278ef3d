"""Service jobs as payables (S5): what is due, for which purpose, and what happens when paid.

A job is paid in at most three purposes, each at most once (the payments app allows one
live payment per purpose, and JobReceipt one receipt per purpose):
- accepted, upfront rule: `full` (the locked price) before a provider is matched;
- accepted, deposit rule: `deposit` (the service's percentage of the locked price);
- completed, on-completion rule, nothing paid yet: `full` (price plus accepted extras);
- completed with something still owed (the balance after a deposit, extras after an
  upfront payment), or cancelled with a fee that what was paid does not cover: `balance`.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from payments.errors import NotPayable
from payments.payables import AmountDue
from services_catalog.models import ZERO, Job, Service
from services_catalog.selectors import amount_owed

FULL = "full"
DEPOSIT = "deposit"
BALANCE = "balance"


def purpose_due(job: Job) -> str | None:
    """The payment purpose the customer can pay now, or None when nothing is due."""
    paid_purposes = set(job.receipts.values_list("purpose", flat=True))
    if job.status == Job.Status.ACCEPTED:
        if job.upfront_amount() <= ZERO:
            return None
        purpose = DEPOSIT if job.payment_rule == Service.PaymentRule.DEPOSIT else FULL
        return None if purpose in paid_purposes else purpose
    if job.status in (Job.Status.COMPLETED, Job.Status.CANCELLED):
        if amount_owed(job) <= ZERO:
            return None
        if job.status == Job.Status.COMPLETED and job.payment_rule == Service.PaymentRule.ON_COMPLETION \
                and not paid_purposes:
            return FULL
        return None if BALANCE in paid_purposes else BALANCE
    return None


def amount_for(job: Job, purpose: str) -> Decimal:
    """How much `purpose` costs now (it must be the purpose due)."""
    if purpose != purpose_due(job):
        raise NotPayable(_("Job %(number)s has nothing due for that payment now.") % {"number": job.number})
    if job.status == Job.Status.ACCEPTED:
        return job.upfront_amount() - job.net_paid
    return amount_owed(job)


class JobPayable:
    """The PayableAdapter (payments/payables.py) for services_catalog.Job."""

    def amount_due(self, job: Job, purpose: str) -> AmountDue:
        return AmountDue(amount=amount_for(job, purpose), currency=job.currency)

    def owner_id(self, job: Job) -> int | None:
        return job.customer_id

    def check_payable(self, job: Job) -> None:
        if purpose_due(job) is None:
            raise NotPayable(_("Nothing is due for job %(number)s now.") % {"number": job.number})

    def on_paid(self, job: Job, payment) -> None:
        from services_catalog.services import job_payment_received

        job_payment_received(job=job, payment=payment)

    def describe(self, job: Job) -> str:
        return str(_("Service job %(number)s") % {"number": job.number})


def register_payable() -> None:
    from payments.payables import register

    register("services_catalog.job", JobPayable())
