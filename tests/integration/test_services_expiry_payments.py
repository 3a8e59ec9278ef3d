"""An unpaid job's card payments are closed through payments (`payment_intents_cancel`,
then `payments_expire` in the job's transaction), like an unpaid order's (issue 9 point 6).

A payment row is committed before its intent is created at Stripe, so the expiry can meet
a payment without an intent: it is closed like any other, and if Stripe creates the intent
a moment later, that intent is cancelled instead of being handed to the customer."""

from __future__ import annotations

import datetime

import pytest
from oscar.test.factories import create_order

from payments import gateway
from payments import services as payments
from payments.errors import NotPayable
from payments.models import Payment
from services_catalog import services
from services_catalog.models import Job
from shop.order_status import PENDING_PAYMENT
from shop.payables import order_expire_unpaid
from tests.factories import UserFactory
from tests.factories_services import make_customer, make_job, make_service

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]  # they count every waiting job
Status = Job.Status


def unpaid_job(price: str = "80.00") -> Job:
    service = make_service(base_price=price, payment_rule="upfront")
    return make_job(make_customer(), service, status=Status.ACCEPTED, pay=False)


def expire(job: Job) -> list[Job]:
    """The sweep runs over every unpaid job in the database (the demo's too, when another
    module loaded it): only whether this test's job was expired is the test's business."""
    expired = services.expire_unpaid_jobs(now=job.accepted_at + datetime.timedelta(hours=25), hours=24)
    return [j for j in expired if j.pk == job.pk]


def stop_before_stripe(monkeypatch) -> None:
    """The process stops after the payment row is committed, before Stripe is called."""

    def stopped(**kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(gateway, "create_payment_intent", stopped)


def test_an_unpaid_job_whose_payment_never_reached_stripe_is_still_cancelled(monkeypatch, stripe_settings):
    job = unpaid_job()
    stop_before_stripe(monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        payments.payment_start(payable=job, user=job.customer, purpose="full")
    payment = Payment.objects.get()
    assert payment.status == Payment.Status.PENDING and payment.stripe_payment_intent_id is None
    monkeypatch.undo()
    cancels: list[str] = []
    monkeypatch.setattr(gateway, "cancel_payment_intent", lambda intent_id: cancels.append(intent_id) or {})

    assert [j.pk for j in expire(job)] == [job.pk]
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CANCELED and payment.events.filter(action="expire").exists()
    assert Job.objects.get(pk=job.pk).status == Status.CANCELLED
    assert cancels == []  # nothing to cancel at Stripe


def test_an_intent_created_after_the_job_expired_is_cancelled_not_handed_out(monkeypatch, stripe_settings,
                                                                            stripe_client):
    job = unpaid_job()
    real_create = gateway.create_payment_intent
    created: list[str] = []

    def expiry_runs_meanwhile(**kwargs):
        assert [j.pk for j in expire(job)] == [job.pk]  # the window closes while Stripe works
        intent = real_create(**kwargs)
        created.append(intent["id"])
        return intent

    monkeypatch.setattr(gateway, "create_payment_intent", expiry_runs_meanwhile)
    with pytest.raises(NotPayable):
        payments.payment_start(payable=job, user=job.customer, purpose="full")
    assert stripe_client.v1.payment_intents.retrieve(created[0]).status == "canceled"
    payment = Payment.objects.get()
    assert payment.status == Payment.Status.CANCELED and payment.stripe_payment_intent_id is None
    assert Job.objects.get(pk=job.pk).status == Status.CANCELLED


def test_a_job_whose_card_payment_stripe_is_still_processing_waits_for_the_next_run(monkeypatch, stripe_settings):
    job = unpaid_job()
    payment = payments.payment_start(payable=job, user=job.customer, purpose="full")
    processing = {"id": payment.stripe_payment_intent_id, "status": "processing"}
    monkeypatch.setattr(gateway, "cancel_payment_intent", lambda intent_id: processing)

    assert expire(job) == []
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PROCESSING  # recorded, never cancelled under the bank's feet
    assert Job.objects.get(pk=job.pk).status == Status.ACCEPTED


def test_the_expiry_keeps_a_job_whose_payment_reached_stripe_after_the_intents_were_cancelled(
        monkeypatch, stripe_settings):
    job = unpaid_job()
    stop_before_stripe(monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        payments.payment_start(payable=job, user=job.customer, purpose="full")
    monkeypatch.undo()
    real_cancel = payments.payment_intents_cancel

    def then_the_intent_arrives(*, payable):
        answers = real_cancel(payable=payable)  # {pk: {}}: no intent yet
        Payment.objects.update(stripe_payment_intent_id="pi_arrived_meanwhile")
        return answers

    monkeypatch.setattr("services_catalog.services.cancellation.payment_intents_cancel", then_the_intent_arrives)
    assert expire(job) == []
    assert Payment.objects.get().status == Payment.Status.PENDING  # the next run cancels its intent first
    assert Job.objects.get(pk=job.pk).status == Status.ACCEPTED


def test_an_unpaid_order_whose_card_payment_is_processing_is_not_cancelled(monkeypatch, stripe_settings):
    buyer = UserFactory()
    order = create_order(user=buyer)
    order.status = PENDING_PAYMENT
    order.save()
    payment = payments.payment_start(payable=order, user=buyer)
    processing = {"id": payment.stripe_payment_intent_id, "status": "processing"}
    monkeypatch.setattr(gateway, "cancel_payment_intent", lambda intent_id: processing)
    assert order_expire_unpaid(order=order) is False
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == PENDING_PAYMENT and payment.status == Payment.Status.PROCESSING

