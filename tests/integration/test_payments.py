"""Card payments against localstripe: intents, declines, retries, refunds, webhooks."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from decimal import Decimal

import pytest
import stripe
from django.db import connection
from oscar.core.loading import get_model
from oscar.test.factories import create_order

from payments import services
from payments.errors import AlreadyPaid, GatewayUnavailable, RefundFailed, RefundNotAllowed
from payments.models import Payment, PaymentEvent, PaymentRefund, StripeWebhookEvent
from shop.order_status import PENDING as ORDER_PAID
from shop.order_status import PENDING_PAYMENT as ORDER_AWAITING_PAYMENT
from shop.payables import order_expire_unpaid
from tests.conftest import WEBHOOK_SECRET
from tests.factories import UserFactory
from tests.helpers.roles import make_role_user

Order = get_model("order", "Order")

GOOD_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000341"


@pytest.fixture
def buyer(db):
    return UserFactory()


@pytest.fixture
def order(buyer):
    order = create_order(user=buyer)
    order.status = ORDER_AWAITING_PAYMENT
    order.save()
    return order


def pay_with_card(client: stripe.StripeClient, payment: Payment, number: str) -> None:
    """What Stripe.js does in the browser: attach the card to the intent and confirm."""
    method = client.v1.payment_methods.create(
        {"type": "card", "card": {"number": number, "exp_month": 12, "exp_year": 2035, "cvc": "123"}}
    )
    client.v1.payment_intents.update(payment.stripe_payment_intent_id, {"payment_method": method.id})
    client.v1.payment_intents.confirm(payment.stripe_payment_intent_id)


def signed_post(http_client, event: dict, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None,
                tamper: bool = False):
    payload = json.dumps(event)
    stamp = timestamp or int(time.time())
    signature = hmac.new(secret.encode(), f"{stamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    if tamper:
        payload = payload.replace('"amount": ', '"amount": 1')
    return http_client.post(
        "/payments/stripe/webhook/", data=payload, content_type="application/json",
        HTTP_STRIPE_SIGNATURE=f"t={stamp},v1={signature}",
    )


def intent_event(client, payment: Payment, event_type: str, event_id: str, **overrides) -> dict:
    intent = client.v1.payment_intents.retrieve(payment.stripe_payment_intent_id).to_dict()
    intent.update(overrides)
    return {"id": event_id, "object": "event", "type": event_type, "data": {"object": intent},
            "created": int(time.time())}


# ------------------------------------------------------------------ intents
def test_a_card_payment_marks_the_order_paid(stripe_settings, stripe_client, order, buyer):
    payment = services.payment_start(payable=order, user=buyer)
    assert payment.amount == order.total_incl_tax and payment.currency == order.currency
    intent = stripe_client.v1.payment_intents.retrieve(payment.stripe_payment_intent_id)
    assert intent.amount == int(order.total_incl_tax * 100)  # minor units, from the server

    pay_with_card(stripe_client, payment, GOOD_CARD)
    payment = services.payment_sync(payment=payment)

    assert payment.status == Payment.Status.SUCCEEDED
    order.refresh_from_db()
    assert order.status == ORDER_PAID
    source = order.sources.get()
    assert source.source_type.code == "stripe" and source.amount_debited == order.total_incl_tax
    assert source.reference == payment.stripe_payment_intent_id


def test_starting_twice_reuses_one_intent(stripe_settings, order, buyer):
    first = services.payment_start(payable=order, user=buyer)
    second = services.payment_start(payable=order, user=buyer)
    assert first.pk == second.pk
    assert first.stripe_payment_intent_id == second.stripe_payment_intent_id
    assert Payment.objects.count() == 1


def test_a_paid_order_cannot_be_paid_again(stripe_settings, stripe_client, order, buyer):
    payment = services.payment_start(payable=order, user=buyer)
    pay_with_card(stripe_client, payment, GOOD_CARD)
    services.payment_sync(payment=payment)
    with pytest.raises(AlreadyPaid):
        services.payment_start(payable=order, user=buyer)


def test_a_declined_card_gives_stripes_reason_and_can_be_retried(stripe_settings, stripe_client, order, buyer):
    payment = services.payment_start(payable=order, user=buyer)
    with pytest.raises(stripe.CardError) as declined:
        pay_with_card(stripe_client, payment, DECLINED_CARD)
    assert declined.value.code == "card_declined"
    payment = services.payment_sync(payment=payment)
    assert payment.status == Payment.Status.FAILED
    assert payment.failure_message == "Your card was declined."
    order.refresh_from_db()
    assert order.status == ORDER_AWAITING_PAYMENT

    retry = services.payment_start(payable=order, user=buyer)
    assert retry.attempt == 2
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CANCELED  # the declined intent can no longer be charged
    assert stripe_client.v1.payment_intents.retrieve(payment.stripe_payment_intent_id).status == "canceled"
    pay_with_card(stripe_client, retry, GOOD_CARD)
    assert services.payment_sync(payment=retry).status == Payment.Status.SUCCEEDED
    order.refresh_from_db()
    assert order.status == ORDER_PAID


def test_an_unreachable_stripe_writes_nothing_and_says_so(stripe_settings, order, buyer, client):
    stripe_settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # discard port: nothing listens
    with pytest.raises(GatewayUnavailable):
        services.payment_start(payable=order, user=buyer)
    assert not Payment.objects.exists()
    client.force_login(buyer)
    response = client.get(f"/en/payments/order/{order.number}/pay/")
    assert response.status_code == 503
    assert "Nothing was charged" in response.content.decode()
    order.refresh_from_db()
    assert order.status == ORDER_AWAITING_PAYMENT


# ------------------------------------------------------------------ refunds
@pytest.fixture
def paid(stripe_settings, stripe_client, order, buyer):
    payment = services.payment_start(payable=order, user=buyer)
    pay_with_card(stripe_client, payment, GOOD_CARD)
    return services.payment_sync(payment=payment)


def test_partial_then_full_refund(paid, stripe_client, buyer):
    staff = make_role_user("finance")
    services.refund_create(payment=paid, amount=Decimal("2.00"), user=staff, reason="scratched box")
    paid.refresh_from_db()
    assert paid.amount_refunded == Decimal("2.00")
    rest = paid.amount - Decimal("2.00")
    services.refund_create(payment=paid, amount=rest, user=staff)
    paid.refresh_from_db()
    assert paid.amount_refunded == paid.amount
    stripe_refunds = stripe_client.v1.refunds.list({"payment_intent": paid.stripe_payment_intent_id}).data
    assert sorted(r.amount for r in stripe_refunds) == sorted([200, int(rest * 100)])
    with pytest.raises(RefundNotAllowed):
        services.refund_create(payment=paid, amount=Decimal("0.01"), user=staff)


def test_a_refund_above_what_is_left_is_refused(paid):
    with pytest.raises(RefundNotAllowed) as refused:
        services.refund_create(payment=paid, amount=paid.amount + Decimal("0.01"), user=None)
    assert str(paid.amount) in str(refused.value.message)
    assert not PaymentRefund.objects.exists()


def test_a_failed_stripe_refund_changes_nothing(paid, stripe_settings):
    stripe_settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    with pytest.raises(RefundFailed):
        services.refund_create(payment=paid, amount=Decimal("1.00"), user=None)
    paid.refresh_from_db()
    assert paid.amount_refunded == 0 and not PaymentRefund.objects.exists()


# ------------------------------------------------------------------ webhooks
def test_a_webhook_marks_the_payment_paid_and_a_replay_changes_nothing(
    stripe_settings, stripe_client, order, buyer, client
):
    payment = services.payment_start(payable=order, user=buyer)
    pay_with_card(stripe_client, payment, GOOD_CARD)
    event = intent_event(stripe_client, payment, "payment_intent.succeeded", "evt_replay_1")
    first = signed_post(client, event)
    assert first.status_code == 200 and first.json()["outcome"] == "pending -> succeeded"
    history = PaymentEvent.objects.filter(payment=payment).count()
    second = signed_post(client, event)
    assert second.status_code == 200 and second.json()["outcome"] == "duplicate"
    assert StripeWebhookEvent.objects.filter(event_id="evt_replay_1").count() == 1
    assert PaymentEvent.objects.filter(payment=payment).count() == history
    order.refresh_from_db()
    assert order.status == ORDER_PAID and order.sources.count() == 1


def test_events_out_of_order_end_in_the_same_state(stripe_settings, stripe_client, order, buyer, client):
    payment = services.payment_start(payable=order, user=buyer)
    pay_with_card(stripe_client, payment, GOOD_CARD)
    failed_earlier = intent_event(
        stripe_client, payment, "payment_intent.payment_failed", "evt_old_fail",
        status="requires_payment_method", last_payment_error={"code": "card_declined", "message": "declined"},
    )
    succeeded = intent_event(stripe_client, payment, "payment_intent.succeeded", "evt_new_ok")
    canceled = intent_event(stripe_client, payment, "payment_intent.canceled", "evt_cancel", status="canceled")
    assert signed_post(client, succeeded).status_code == 200
    assert signed_post(client, failed_earlier).status_code == 200
    assert signed_post(client, canceled).status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    # And the browser coming back after all of it changes nothing either.
    assert services.payment_sync(payment=payment).status == Payment.Status.SUCCEEDED
    order.refresh_from_db()
    assert order.sources.count() == 1


def test_a_canceled_event_cancels_an_unpaid_payment(stripe_settings, stripe_client, order, buyer, client):
    payment = services.payment_start(payable=order, user=buyer)
    stripe_client.v1.payment_intents.cancel(payment.stripe_payment_intent_id)
    event = intent_event(stripe_client, payment, "payment_intent.canceled", "evt_cancel_2")
    assert signed_post(client, event).json()["outcome"] == "pending -> canceled"
    # A new attempt gets a new intent.
    again = services.payment_start(payable=order, user=buyer)
    assert again.pk != payment.pk and again.attempt == 2


@pytest.mark.parametrize(
    "kind", ["tampered", "wrong secret", "missing", "too old"]
)
def test_a_bad_signature_is_refused_and_changes_nothing(stripe_settings, stripe_client, order, buyer, client, kind):
    payment = services.payment_start(payable=order, user=buyer)
    pay_with_card(stripe_client, payment, GOOD_CARD)
    event = intent_event(stripe_client, payment, "payment_intent.succeeded", f"evt_bad_{kind}")
    if kind == "tampered":
        response = signed_post(client, event, tamper=True)
    elif kind == "wrong secret":
        response = signed_post(client, event, secret="whsec_someone_else")
    elif kind == "too old":
        response = signed_post(client, event, timestamp=int(time.time()) - 3600)
    else:
        response = client.post("/payments/stripe/webhook/", data=json.dumps(event), content_type="application/json")
    assert response.status_code == 400
    assert not StripeWebhookEvent.objects.exists()
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING


def test_an_amount_mismatch_never_marks_the_order_paid(stripe_settings, stripe_client, order, buyer, client):
    payment = services.payment_start(payable=order, user=buyer)
    event = intent_event(
        stripe_client, payment, "payment_intent.succeeded", "evt_mismatch", status="succeeded", amount=1
    )
    assert signed_post(client, event).status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert payment.events.filter(action="amount_mismatch").exists()
    order.refresh_from_db()
    assert order.status == ORDER_AWAITING_PAYMENT


def test_a_refund_made_in_stripe_is_recorded_once(paid, stripe_client, client):
    charge = {"id": paid.stripe_charge_id or "ch_x", "object": "charge",
              "payment_intent": paid.stripe_payment_intent_id, "amount": int(paid.amount * 100),
              "amount_refunded": 300, "currency": paid.currency.lower()}
    event = {"id": "evt_refunded", "object": "event", "type": "charge.refunded", "data": {"object": charge}}
    assert signed_post(client, event).json()["outcome"] == "refund recorded"
    event["id"] = "evt_refunded_again"
    assert signed_post(client, event).json()["outcome"] == "already recorded"
    paid.refresh_from_db()
    assert paid.amount_refunded == Decimal("3.00") and paid.refunds.count() == 1


# ------------------------------------------------------------------ concurrency
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_staff_refunding_at_once_never_exceed_the_payment(stripe_settings, stripe_client):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (CI runs this on PostgreSQL)")
    buyer = UserFactory()
    order = create_order(user=buyer)
    order.status = ORDER_AWAITING_PAYMENT
    order.save()
    payment = services.payment_start(payable=order, user=buyer)
    pay_with_card(stripe_client, payment, GOOD_CARD)
    payment = services.payment_sync(payment=payment)
    share = (payment.amount * Decimal("0.6")).quantize(Decimal("0.01"))
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def refund():
        from django.db import connections

        try:
            barrier.wait()
            services.refund_create(payment=payment, amount=share, user=None)
            outcomes.append("ok")
        except RefundNotAllowed:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=refund) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    payment.refresh_from_db()
    assert payment.amount_refunded == share


# ------------------------------------------------------------------ expiry
def test_unpaid_card_orders_expire_and_release_their_stock(stripe_settings, order, buyer):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    line = order.lines.get()
    line.stockrecord.allocate(line.quantity)
    allocated = type(line.stockrecord).objects.get(pk=line.stockrecord_id).num_allocated
    payment = services.payment_start(payable=order, user=buyer)
    Order.objects.filter(pk=order.pk).update(date_placed=timezone.now() - timedelta(hours=2))
    call_command("expire_unpaid_orders", "--minutes", "30", stdout=open("/dev/null", "w"))
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == "Cancelled"
    assert payment.status == Payment.Status.CANCELED
    assert type(line.stockrecord).objects.get(pk=line.stockrecord_id).num_allocated == allocated - line.quantity


def test_an_order_paid_at_the_last_moment_is_not_expired(stripe_settings, stripe_client, order, buyer):
    payment = services.payment_start(payable=order, user=buyer)
    pay_with_card(stripe_client, payment, GOOD_CARD)  # paid at Stripe, not yet known here
    assert order_expire_unpaid(order=order) is False
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == ORDER_PAID and payment.status == Payment.Status.SUCCEEDED


# ------------------------------------------------------------------ other payables
class DepositThenBalance:
    """A stand-in for a service job (S5): 30% deposit now, the balance on completion."""

    total = Decimal("200.00")

    def amount_due(self, payable, purpose):
        from payments.payables import AmountDue

        deposit = (self.total * Decimal("0.30")).quantize(Decimal("0.01"))
        return AmountDue(amount=deposit if purpose == "deposit" else self.total - deposit, currency="EUR")

    def owner_id(self, payable):
        return payable.pk

    def check_payable(self, payable):
        return None

    def on_paid(self, payable, payment):
        payable.paid_purposes = [*getattr(payable, "paid_purposes", []), payment.purpose]

    def describe(self, payable):
        return "job"


def test_any_payable_can_take_a_deposit_and_later_its_balance(stripe_settings, stripe_client, buyer, monkeypatch):
    from payments import payables

    monkeypatch.setitem(payables._REGISTRY, buyer._meta.label_lower, DepositThenBalance())
    deposit = services.payment_start(payable=buyer, user=buyer, purpose="deposit")
    balance = services.payment_start(payable=buyer, user=buyer, purpose="balance")
    assert (deposit.amount, balance.amount) == (Decimal("60.00"), Decimal("140.00"))
    assert deposit.idempotency_key != balance.idempotency_key
    assert deposit.stripe_payment_intent_id != balance.stripe_payment_intent_id
    for payment in (deposit, balance):
        pay_with_card(stripe_client, payment, GOOD_CARD)
        assert services.payment_sync(payment=payment).status == Payment.Status.SUCCEEDED
    with pytest.raises(AlreadyPaid):
        services.payment_start(payable=buyer, user=buyer, purpose="deposit")
    services.refund_create(payment=deposit, amount=Decimal("60.00"), user=None, reason="job cancelled")
    deposit.refresh_from_db()
    assert deposit.amount_refunded == deposit.amount
