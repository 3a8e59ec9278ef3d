"""Money is never sent to Stripe inside an open database transaction (issue 9, point 6).

ATOMIC_REQUESTS is on, so these tests go through the real pages (Django's test client)
with `transaction=True`: no test transaction wraps them, and `connection.in_atomic_block`
at the moment our gateway is called tells whether a transaction (request or service) is
open around the Stripe call. The gateway functions are wrapped, not Stripe's library.
And: a failure after our row is written leaves a state the next attempt completes once.
"""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test.factories import create_order

from payments import gateway, services
from payments.errors import RefundFailed
from payments.models import Payment, PaymentRefund
from shop.order_status import PENDING as ORDER_PAID
from shop.order_status import PENDING_PAYMENT as ORDER_AWAITING_PAYMENT
from tests.factories import UserFactory
from tests.helpers.roles import make_role_user
from tests.helpers.transactions import in_atomic_block_of_this_thread, track_atomic_blocks
from tests.integration.test_payments import GOOD_CARD, intent_event, pay_with_card, signed_post

Order = get_model("order", "Order")
GATEWAY_CALLS = ("create_payment_intent", "retrieve_payment_intent", "cancel_payment_intent", "create_refund",
                 "verify_webhook")


@pytest.fixture
def gateway_calls(monkeypatch) -> list[tuple[str, bool]]:
    """(gateway function, whether a transaction was open) for every call to our gateway
    made by this test's own thread. A live server left by a browser test in the same
    session may also receive localstripe's copy of a webhook; on in-memory SQLite that
    server thread shares the test's connection object, so atomic blocks are counted per
    thread (tests/helpers/transactions.py) rather than read from the connection."""
    track_atomic_blocks(monkeypatch)
    calls: list[tuple[str, bool]] = []
    test_thread = threading.get_ident()
    for name in GATEWAY_CALLS:
        real = getattr(gateway, name)

        def watched(*args, _real=real, _name=name, **kwargs):
            if threading.get_ident() == test_thread:
                calls.append((_name, in_atomic_block_of_this_thread()))
            return _real(*args, **kwargs)

        monkeypatch.setattr(gateway, name, watched)
    return calls


def _unpaid_order(buyer):
    order = create_order(user=buyer)
    order.status = ORDER_AWAITING_PAYMENT
    order.save()
    return order


def _called(calls: list[tuple[str, bool]], name: str) -> list[bool]:
    return [in_transaction for called, in_transaction in calls if called == name]


@pytest.mark.django_db(transaction=True)
def test_the_pay_page_and_the_return_page_call_stripe_with_no_transaction_open(
    stripe_settings, stripe_client, client, gateway_calls
):
    buyer = UserFactory()
    order = _unpaid_order(buyer)
    client.force_login(buyer)
    assert client.get(f"/en/payments/order/{order.number}/pay/").status_code == 200
    payment = Payment.objects.get()
    pay_with_card(stripe_client, payment, GOOD_CARD)
    assert client.get(f"/en/payments/order/{order.number}/return/").status_code == 302
    order.refresh_from_db()
    assert order.status == ORDER_PAID
    assert _called(gateway_calls, "create_payment_intent") == [False]
    retrieved = _called(gateway_calls, "retrieve_payment_intent")
    assert retrieved and not any(retrieved)


@pytest.mark.django_db(transaction=True)
def test_a_staff_refund_calls_stripe_with_no_transaction_open_and_the_intent_already_committed(
    stripe_settings, stripe_client, client, monkeypatch
):
    buyer = UserFactory()
    payment = services.payment_start(payable=_unpaid_order(buyer), user=buyer)
    pay_with_card(stripe_client, payment, GOOD_CARD)
    services.payment_sync(payment=payment)
    seen: list[tuple[bool, str, Decimal]] = []
    real = gateway.create_refund

    def watched(**kwargs):
        # What another connection would read now: the pending refund and its reservation.
        refund = PaymentRefund.objects.get()
        seen.append((connection.in_atomic_block, refund.status, Payment.objects.get().amount_refunded))
        return real(**kwargs)

    monkeypatch.setattr(gateway, "create_refund", watched)
    client.force_login(make_role_user("finance"))
    response = client.post(f"/en/dashboard/payments/{payment.pk}/refund/", {"amount": "2.00", "reason": "dent"})
    assert response.status_code == 302
    assert seen == [(False, PaymentRefund.Status.PENDING, Decimal("2.00"))]
    refund = PaymentRefund.objects.get()
    assert refund.status == PaymentRefund.Status.DONE and refund.stripe_refund_id.startswith("re_")


@pytest.mark.django_db(transaction=True)
def test_a_webhook_is_verified_with_no_transaction_open(stripe_settings, stripe_client, client, gateway_calls):
    buyer = UserFactory()
    payment = services.payment_start(payable=_unpaid_order(buyer), user=buyer)
    pay_with_card(stripe_client, payment, GOOD_CARD)
    response = signed_post(client, intent_event(stripe_client, payment, "payment_intent.succeeded", "evt_no_tx"))
    assert response.json()["outcome"] == "pending -> succeeded"
    verified = _called(gateway_calls, "verify_webhook")
    assert verified == [False]


@pytest.mark.django_db(transaction=True)
def test_expiring_unpaid_orders_cancels_intents_with_no_transaction_open(stripe_settings, gateway_calls):
    buyer = UserFactory()
    order = _unpaid_order(buyer)
    services.payment_start(payable=order, user=buyer)
    Order.objects.filter(pk=order.pk).update(date_placed=timezone.now() - datetime.timedelta(hours=2))
    call_command("expire_unpaid_orders", "--minutes", "30", stdout=open("/dev/null", "w"))
    order.refresh_from_db()
    assert order.status == "Cancelled"
    assert _called(gateway_calls, "cancel_payment_intent") == [False]


# ------------------------------------------------------------------ failures in between
@pytest.mark.django_db
def test_a_payment_row_left_without_its_intent_is_sent_again_under_the_same_key(stripe_settings, monkeypatch):
    """The process stopped after our row was committed and before Stripe answered: the
    next start re-sends that row's own idempotency key, so one payment, one intent."""
    buyer = UserFactory()
    order = _unpaid_order(buyer)

    def stopped(**kwargs):
        raise KeyboardInterrupt  # not a gateway error: nothing cleans up after it

    monkeypatch.setattr(gateway, "create_payment_intent", stopped)
    with pytest.raises(KeyboardInterrupt):
        services.payment_start(payable=order, user=buyer)
    left = Payment.objects.get()
    assert left.stripe_payment_intent_id is None and left.status == Payment.Status.PENDING
    monkeypatch.undo()
    payment = services.payment_start(payable=order, user=buyer)
    assert payment.pk == left.pk and payment.attempt == 1 and payment.stripe_payment_intent_id.startswith("pi_")
    assert payment.events.filter(action="created").count() == 1


@pytest.mark.django_db
def test_an_unreachable_stripe_on_a_refund_releases_the_reservation_and_says_so(stripe_settings, stripe_client):
    buyer = UserFactory()
    payment = services.payment_start(payable=_unpaid_order(buyer), user=buyer)
    pay_with_card(stripe_client, payment, GOOD_CARD)
    payment = services.payment_sync(payment=payment)
    stripe_settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    with pytest.raises(RefundFailed):
        services.refund_create(payment=payment, amount=Decimal("1.00"), user=make_role_user("finance"))
    payment.refresh_from_db()
    assert payment.amount_refunded == 0 and not PaymentRefund.objects.exists()
    assert payment.events.filter(action="refund_failed").exists()


@pytest.mark.django_db
def test_a_refund_left_pending_is_completed_once_by_its_own_key(stripe_settings, stripe_client, monkeypatch):
    buyer = UserFactory()
    payment = services.payment_start(payable=_unpaid_order(buyer), user=buyer)
    pay_with_card(stripe_client, payment, GOOD_CARD)
    payment = services.payment_sync(payment=payment)
    real = gateway.create_refund
    keys: list[str] = []

    def refunded_then_stopped(**kwargs):
        keys.append(kwargs["idempotency_key"])
        real(**kwargs)
        raise KeyboardInterrupt  # Stripe refunded; we never recorded its answer

    monkeypatch.setattr(gateway, "create_refund", refunded_then_stopped)
    with pytest.raises(KeyboardInterrupt):
        services.refund_create(payment=payment, amount=Decimal("3.00"), user=None, idempotency_key="case-7")
    pending = PaymentRefund.objects.get()
    assert pending.status == PaymentRefund.Status.PENDING and services.refunds_pending() == [pending]
    payment.refresh_from_db()
    assert payment.amount_refunded == Decimal("3.00")  # reserved: nobody can promise it twice
    monkeypatch.undo()
    monkeypatch.setattr(gateway, "create_refund", lambda **kw: keys.append(kw["idempotency_key"]) or real(**kw))

    again = services.refund_create(payment=payment, amount=Decimal("3.00"), user=None, idempotency_key="case-7")
    assert again.pk == pending.pk and again.status == PaymentRefund.Status.DONE
    assert services.refund_resend(refund=again) == again
    assert services.refund_create(payment=payment, amount=Decimal("3.00"), user=None,
                                  idempotency_key="case-7").pk == pending.pk
    # Sent again once, under the same key (Stripe answers a repeated key with its first
    # refund; localstripe does not emulate that); done refunds are never sent again.
    assert keys == ["refund:case-7", "refund:case-7"]
    payment.refresh_from_db()
    assert payment.amount_refunded == Decimal("3.00") and payment.events.filter(action="refund").count() == 1
