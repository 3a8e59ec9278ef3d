"""Refunds left pending are completed by a periodic duty (issue 9 point 6): the process
stopped after Stripe refunded but before our answer was recorded; `send_pending_refunds`
(in core.periodic's DUTIES) sends each pending refund older than a few minutes again,
under its own idempotency key, and leaves younger ones (maybe still in flight) alone."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from oscar.test.factories import create_order

from core import periodic
from payments import gateway, services
from payments.models import Payment, PaymentRefund
from shop.order_status import PENDING_PAYMENT
from tests.factories import UserFactory
from tests.integration.test_payments import GOOD_CARD, pay_with_card

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(stripe_settings, stripe_client) -> Payment:
    buyer = UserFactory()
    order = create_order(user=buyer)
    order.status = PENDING_PAYMENT
    order.save()
    payment = services.payment_start(payable=order, user=buyer)
    pay_with_card(stripe_client, payment, GOOD_CARD)
    return services.payment_sync(payment=payment)


@pytest.fixture
def refund_keys(monkeypatch) -> list[str]:
    """The idempotency key of every refund request that reaches Stripe (the real gateway)."""
    keys: list[str] = []
    real = gateway.create_refund
    monkeypatch.setattr(gateway, "create_refund", lambda **kw: keys.append(kw["idempotency_key"]) or real(**kw))
    return keys


def left_pending(monkeypatch, payment: Payment, key: str, *, age: datetime.timedelta) -> PaymentRefund:
    """Stripe refunds, then the process stops before our record of Stripe's answer."""
    real = gateway.create_refund

    def refunded_then_stopped(**kwargs):
        real(**kwargs)
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr(gateway, "create_refund", refunded_then_stopped)
        with pytest.raises(KeyboardInterrupt):
            services.refund_create(payment=payment, amount=Decimal("2.00"), user=None, idempotency_key=key)
    refund = PaymentRefund.objects.get(idempotency_key=f"refund:{key}")
    PaymentRefund.objects.filter(pk=refund.pk).update(created=timezone.now() - age)
    assert refund.status == PaymentRefund.Status.PENDING
    return refund


def test_the_periodic_duty_completes_a_refund_left_pending_once(monkeypatch, paid, refund_keys, capsys):
    stale = left_pending(monkeypatch, paid, "crashed", age=datetime.timedelta(minutes=30))
    assert refund_keys == ["refund:crashed"]  # the first request, whose answer was lost
    refund_keys.clear()
    call_command("send_pending_refunds")
    assert "1 pending refund(s) completed; 0 failed." in capsys.readouterr().out
    stale.refresh_from_db()
    paid.refresh_from_db()
    assert stale.status == PaymentRefund.Status.DONE and stale.stripe_refund_id
    assert refund_keys == ["refund:crashed"]
    assert paid.amount_refunded == Decimal("2.00") and paid.events.filter(action="refund").count() == 1
    call_command("send_pending_refunds")  # done: never sent again
    assert refund_keys == ["refund:crashed"] and PaymentRefund.objects.count() == 1


def test_a_fresh_pending_refund_is_left_alone(monkeypatch, paid, refund_keys):
    fresh = left_pending(monkeypatch, paid, "in-flight", age=datetime.timedelta(seconds=20))
    refund_keys.clear()
    call_command("send_pending_refunds")
    fresh.refresh_from_db()
    assert fresh.status == PaymentRefund.Status.PENDING and refund_keys == []
    assert services.refunds_pending(older_than=datetime.timedelta(minutes=5)) == []
    assert services.refunds_pending() == [fresh]
    later = timezone.now() + datetime.timedelta(minutes=6)
    assert services.refunds_pending(older_than=datetime.timedelta(minutes=5), now=later) == [fresh]


def test_a_refund_stripe_refuses_on_the_retry_is_released_and_reported(monkeypatch, paid, capsys):
    from payments.errors import RefundFailed

    stale = left_pending(monkeypatch, paid, "refused", age=datetime.timedelta(minutes=30))

    def refused(**kwargs):
        raise RefundFailed("Stripe refused the refund: test")

    monkeypatch.setattr(gateway, "create_refund", refused)
    call_command("send_pending_refunds")
    captured = capsys.readouterr()
    assert "0 pending refund(s) completed; 1 failed." in captured.out and f"refund {stale.pk}" in captured.err
    paid.refresh_from_db()
    assert not PaymentRefund.objects.exists() and paid.amount_refunded == Decimal("0")
    assert paid.events.filter(action="refund_failed").count() == 1


def test_the_pending_refunds_duty_is_one_of_the_periodic_duties():
    assert "send_pending_refunds" in {duty.command for duty in periodic.DUTIES}
