"""Issue 9 point 6 (S8, Y1): money is never sent to Stripe inside an open database
transaction. The gateway functions are wrapped (not Stripe, not the database engine) and
record whether a transaction was open at the moment they were called. Real transactions
need a transactional test (the usual test wraps everything in one), on PostgreSQL."""

from __future__ import annotations

import datetime

import pytest

from payments import gateway
from payments import services as payments
from services_catalog import services
from services_catalog.models import Job
from tests.factories_services import make_customer, make_job, make_provider_for, make_service
from tests.helpers.transactions import in_atomic_block_of_this_thread, track_atomic_blocks

Status = Job.Status
GOOD_CARD = "4242424242424242"


@pytest.fixture
def gateway_calls(monkeypatch):
    """(gateway function, whether this thread had a transaction open) for every refund and
    cancel (counted per thread: tests/helpers/transactions.py)."""
    track_atomic_blocks(monkeypatch)
    calls: list[tuple[str, bool]] = []
    for name in ("create_refund", "cancel_payment_intent"):
        real = getattr(gateway, name)

        def watched(*args, _real=real, _name=name, **kwargs):
            calls.append((_name, in_atomic_block_of_this_thread()))
            return _real(*args, **kwargs)

        monkeypatch.setattr(gateway, name, watched)
    return calls


def paid_by_card(stripe_client, job: Job):
    payment = payments.payment_start(payable=job, user=job.customer, purpose="full")
    method = stripe_client.v1.payment_methods.create(
        {"type": "card", "card": {"number": GOOD_CARD, "exp_month": 12, "exp_year": 2035, "cvc": "123"}}
    )
    stripe_client.v1.payment_intents.update(payment.stripe_payment_intent_id, {"payment_method": method.id})
    stripe_client.v1.payment_intents.confirm(payment.stripe_payment_intent_id)
    return payments.payment_sync(payment=payment)


@pytest.mark.django_db(transaction=True)
def test_S8_a_cancelled_jobs_card_refund_reaches_stripe_with_no_transaction_open(stripe_settings, stripe_client,
                                                                                 gateway_calls):
    service = make_service(base_price="90.00", payment_rule="upfront")
    make_provider_for(service)
    customer = make_customer()
    job = make_job(customer, service, status=Status.ACCEPTED, pay=False)
    payment = paid_by_card(stripe_client, job)
    job = services.job_cancel(job=Job.objects.get(pk=job.pk), user=customer, reason="Plans changed")
    payment.refresh_from_db()
    assert job.status == Status.CANCELLED and payment.amount_refunded > 0
    assert ("create_refund", False) in gateway_calls
    assert all(open_ is False for _name, open_ in gateway_calls), gateway_calls


@pytest.mark.django_db(transaction=True)
def test_an_unpaid_jobs_payment_under_way_is_cancelled_at_stripe_with_no_transaction_open(
        stripe_settings, stripe_client, gateway_calls):
    service = make_service(base_price="50.00", payment_rule="upfront")
    customer = make_customer()
    job = make_job(customer, service, status=Status.ACCEPTED, pay=False)
    payments.payment_start(payable=job, user=customer, purpose="full")  # never paid
    expired = services.expire_unpaid_jobs(now=job.accepted_at + datetime.timedelta(hours=25), hours=24)
    assert [j.pk for j in expired] == [job.pk]
    assert gateway_calls == [("cancel_payment_intent", False)]
