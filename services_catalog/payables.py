"""Service jobs as payables (S5): what is due, for which purpose, and what happens when paid.

A job is paid in at most three purposes, each at most once (the payments app allows one
live payment per purpose, and JobReceipt one receipt per purpose):
- accepted, upfront rule: `full` (the locked price) before a provider is matched;
- accepted, deposit rule: `deposit` (the service's percentage of the locked price);
- completed, on-completion rule, nothing paid yet: `full` (price plus accepted extras);
- completed with something still owed (the balance after a deposit, extras after an
  upfront payment), or cancelled with a fee that what was paid does not cover: `balance`.

The customer pays on payments' one pay page and return page (`JobPage`, kind "job":
/payments/job/<number>/pay/ and .../return/); the API's `pay` action hands the same
payment's client secret to the app.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from payments.errors import NotPayable
from payments.payables import AmountDue, PayablePage, register
from services_catalog.models import ZERO, Job, Service
from services_catalog.selectors import amount_owed

# The job as payable: its content-type label, and its URL segment on the pay page
# (/payments/job/<number>/pay/ and .../return/).
MODEL_LABEL = "services_catalog.job"
KIND = "job"

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
        # Imported here: services_catalog.services imports this module (purpose_due).
        from services_catalog.services import job_payment_received

        job_payment_received(job=job, payment=payment)

    def describe(self, job: Job) -> str:
        return str(_("Service job %(number)s") % {"number": job.number})

    def on_refunded(self, job: Job, refund, user) -> None:
        """A refund recorded by payments/ (staff's, Stripe's, or the job's own): the job
        follows it (issue 14, point 4; services_catalog.services.outside_refunds)."""
        # Imported here: services_catalog.services imports this module (purpose_due).
        from services_catalog.services.outside_refunds import job_card_refunded

        job_card_refunded(job=job, refund=refund, user=user)


class JobPage(PayablePage):
    """The shared pay page (payments.views) for a job: only the job's customer pays it
    (staff record cash instead of paying for a customer); success, "still confirming" and
    "nothing due" go back to the job's page."""

    kind = KIND
    summary_template = "services_catalog/partials/pay_summary.html"

    def find(self, reference: str, user: Any) -> Job:
        # Anybody else's job number answers 404: it neither exists nor not, for them.
        return get_object_or_404(
            Job.objects.select_related("service", "customer"), number=reference, customer_id=user.pk
        )

    def reference(self, job: Job) -> str:
        return job.number

    def purpose(self, job: Job) -> str | None:
        return purpose_due(job)

    def title(self, job: Job) -> str:
        return str(_("Pay for job %(number)s") % {"number": job.number})

    def context(self, job: Job, purpose: str) -> dict[str, Any]:
        return {"job": job, "amount": amount_for(job, purpose)}

    def back_url(self, job: Job) -> str:
        return reverse("services_catalog:job-detail", args=[job.number])

    def card_unavailable(self, request: HttpRequest, job: Job, context: dict[str, Any]) -> HttpResponse:
        # Without card payments the money is taken in cash (staff record it), and jobs
        # paid on completion are settled after the work.
        no_card = format_html(
            '<p>{}</p><p class="mb-0">{}</p>',
            _("Card payments are not available at the moment."),
            _("Pay in cash: to the provider at the visit, or to our office. Our staff record it and you "
              "receive a receipt. Jobs paid on completion are settled after the work."),
        )
        return render(request, "payments/pay.html", {**context, "no_card": no_card})


def register_payable() -> None:
    register(MODEL_LABEL, JobPayable(), page=JobPage())
