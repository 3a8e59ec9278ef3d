"""Issue 14, point 4: a refund reaches what was paid for. A job's card payment refunded by
staff (payments dashboard/API) or in Stripe's dashboard (charge.refunded) updates the
job: cancelled when nothing is left paid, held (owing again, provider not credited)
when partly refunded; a provider already credited has that credit reversed in
proportion. The job's own refunds are not counted twice."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.db import transaction

from ledger import codes
from ledger.models import Transfer
from payments.models import Payment
from payments.refunds import apply_charge_refunded
from payments.services import refund_create
from services_catalog import services
from services_catalog.models import Job, JobEvent
from services_catalog.selectors import amount_owed
from tests.factories_services import make_customer, make_job, make_provider_for, make_service, make_staff
from tests.integration.test_services_domain_money import (
    assert_ledger_consistent,
    balance,
    card_pay,
    fake_succeeded_payment,
    make_job_through,
)

pytestmark = [pytest.mark.django_db]
Status = Job.Status
OUTSIDE = JobEvent.Action.REFUNDED_OUTSIDE


def _paid_job(price: str = "100.00") -> tuple[Job, Payment]:
    service = make_service(base_price=price, payment_rule="upfront")
    make_provider_for(service)
    job = make_job(make_customer(), service, status=Status.ACCEPTED, pay=False)
    payment = fake_succeeded_payment(job, "full", D(price))
    Payment.objects.filter(pk=payment.pk).update(stripe_payment_intent_id=f"pi_job_{job.pk}")
    services.job_payment_received(job=job, payment=Payment.objects.get(pk=payment.pk))
    return Job.objects.get(pk=job.pk), Payment.objects.get(pk=payment.pk)


def _stripe_refunded(job: Job, total_refunded: str, event: str) -> str:
    """Stripe's charge.refunded as the webhook applies it (its transaction, no Stripe call)."""
    with transaction.atomic():
        return apply_charge_refunded(
            {"payment_intent": f"pi_job_{job.pk}", "amount_refunded": int(D(total_refunded) * 100)}, event
        )


@pytest.mark.no_demo
def test_a_job_refunded_in_full_in_stripe_is_cancelled_and_its_provider_not_credited():
    job, _payment = _paid_job()
    assert job.status == Status.ASSIGNED
    assert _stripe_refunded(job, "100.00", "evt_full") == "refund recorded"
    job.refresh_from_db()
    assert job.status == Status.CANCELLED and job.cancelled_by == Job.CancelledBy.STAFF
    assert (job.amount_paid, job.amount_refunded, job.net_paid) == (D("100.00"), D("100.00"), D("0.00"))
    assert job.charges.filter(kind="refund").get().amount == D("100.00")
    assert job.events.filter(action=OUTSIDE, visible_to_customer=False).count() == 1
    assert job.provider_credited_at is None and balance(codes.provider_available(job.provider_id)) == 0
    assert _stripe_refunded(job, "100.00", "evt_full_again") == "already recorded"  # a replay: nothing more
    assert job.events.filter(action=OUTSIDE).count() == 1
    assert_ledger_consistent()


@pytest.mark.no_demo
def test_a_partly_refunded_open_job_is_held_owing_and_its_provider_is_not_credited_for_it():
    job, _payment = _paid_job()
    _stripe_refunded(job, "40.00", "evt_part")
    job.refresh_from_db()
    assert job.status == Status.ASSIGNED and amount_owed(job) == D("40.00")
    assert job.events.filter(action=OUTSIDE).get().note.endswith("paid now 60.00")
    job = make_job_through(job, Status.COMPLETED)
    assert job.provider_credited_at is None  # held: credited only once paid in full again
    assert balance(codes.provider_available(job.provider_id)) == 0


@pytest.mark.no_demo
def test_a_credited_provider_gives_back_the_refunded_share_on_the_ledger():
    commission_before = balance(codes.PLATFORM_COMMISSION)
    job, _payment = _paid_job()
    job = make_job_through(job, Status.COMPLETED)
    job.refresh_from_db()
    assert job.provider_credited_at is not None
    account = codes.provider_available(job.provider_id)
    credited = balance(account)
    assert credited > 0
    _stripe_refunded(job, "50.00", "evt_half")
    assert balance(account) == credited / 2
    assert Transfer.objects.filter(idempotency_key=f"services:job:{job.pk}:settlement").get().reversals.count() == 1
    _stripe_refunded(job, "100.00", "evt_rest")
    assert balance(account) == 0 and balance(codes.PLATFORM_COMMISSION) == commission_before
    job.refresh_from_db()
    assert job.status == Status.COMPLETED and job.net_paid == 0
    assert_ledger_consistent()


def test_a_staff_refund_on_the_payments_desk_reaches_the_job(stripe_settings, stripe_client):
    service = make_service(base_price="80.00", payment_rule="upfront")
    make_provider_for(service)
    job = make_job(make_customer(), service, status=Status.ACCEPTED, pay=False)
    payment = card_pay(stripe_client, job, "full")
    job.refresh_from_db()
    assert job.status == Status.ASSIGNED
    refund_create(payment=payment, amount=D("80.00"), user=make_staff(), reason="customer asked the desk")
    job.refresh_from_db()
    assert job.status == Status.CANCELLED and job.amount_refunded == D("80.00")
    assert job.events.filter(action=OUTSIDE).count() == 1


def test_the_jobs_own_refund_is_not_counted_twice(stripe_settings, stripe_client):
    service = make_service(base_price="80.00", payment_rule="upfront")
    make_provider_for(service)
    job = make_job(make_customer(), service, status=Status.ACCEPTED, pay=False)
    card_pay(stripe_client, job, "full")
    job = services.job_cancel(job=Job.objects.get(pk=job.pk), user=job.customer, reason="Plans changed")
    job.refresh_from_db()
    assert job.status == Status.CANCELLED
    assert job.card_refunds.get().sent_at is not None
    assert not job.events.filter(action=OUTSIDE).exists()
    assert job.amount_refunded == job.card_refunds.get().amount
