"""Card checkout, the pay page, receipts and the staff payments dashboard over HTTP."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
import requests
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model
from oscar.test.factories import create_order

from payments import services
from payments.models import Payment, StripeWebhookEvent
from shop.order_status import PENDING as ORDER_PAID
from shop.order_status import PENDING_PAYMENT as ORDER_AWAITING_PAYMENT
from tests.conftest import WEBHOOK_SECRET
from tests.factories import UserFactory
from tests.functional.test_checkout import _checkout_until_payment, iran  # noqa: F401
from tests.helpers.roles import make_role_user
from tests.integration.test_payments import GOOD_CARD, pay_with_card

Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")


@pytest.mark.django_db
def test_card_is_offered_only_when_stripe_is_configured(customer_client, iran, settings):  # noqa: F811
    settings.STRIPE_SECRET_KEY = ""
    with translation.override("en"):
        page = _checkout_until_payment(customer_client, Product.objects.get(upc="CHS0000006")).content.decode()
        response = customer_client.post(reverse("checkout:payment-details"), {"method": "card"})
    assert "Pay on delivery" in page and "Pay by card" not in page
    assert "That payment method is not offered" in response.content.decode()


@pytest.mark.django_db
def test_a_card_checkout_places_the_order_waiting_for_payment(customer_client, customer, iran, stripe_settings):  # noqa: F811
    with translation.override("en"):
        page = _checkout_until_payment(customer_client, Product.objects.get(upc="CHS0000007")).content.decode()
        assert "Pay by card" in page
        assert customer_client.post(reverse("checkout:payment-details"), {"method": "card"}).status_code == 302
        placed = customer_client.post(reverse("checkout:preview"), {"action": "place_order"})
    # The newest order: the demo customer also has the demo shop's orders.
    order = Order.objects.filter(user=customer).latest("pk")
    assert order.status == ORDER_AWAITING_PAYMENT
    assert placed["Location"] == f"/en/payments/order/{order.number}/pay/"

    pay_page = customer_client.get(placed["Location"])
    html = pay_page.content.decode()
    payment = Payment.objects.get()
    assert pay_page.status_code == 200
    assert f'src="{stripe_settings.STRIPE_JS_URL}"' in html
    assert 'data-client-secret="pi_' in html and "card-payment.js" in html
    assert "never sees or stores your card number" in html
    assert payment.amount == order.total_incl_tax


@pytest.mark.django_db
def test_the_return_page_thanks_a_paid_customer_and_sends_a_declined_one_back(
    client, stripe_settings, stripe_client
):
    buyer = UserFactory()
    order = create_order(user=buyer)
    order.status = ORDER_AWAITING_PAYMENT
    order.save()
    client.force_login(buyer)
    assert client.get(f"/fa/payments/order/{order.number}/pay/").status_code == 200
    payment = Payment.objects.get()
    with pytest.raises(Exception):  # noqa: B017  (stripe.CardError, as Stripe.js would report)
        pay_with_card(stripe_client, payment, "4000000000000341")
    back = client.get(f"/en/payments/order/{order.number}/return/", follow=True)
    assert back.redirect_chain[-1][0] == f"/en/payments/order/{order.number}/pay/"
    assert "Your card was declined." in back.content.decode()

    payment = Payment.objects.exclude(status="canceled").get()
    pay_with_card(stripe_client, payment, GOOD_CARD)
    done = client.get(f"/en/payments/order/{order.number}/return/")
    assert done["Location"] == reverse("checkout:thank-you")
    order.refresh_from_db()
    assert order.status == ORDER_PAID


@pytest.mark.django_db
def test_a_customer_cannot_open_another_customers_payment_pages(client, stripe_settings):
    owner, stranger = UserFactory(), UserFactory()
    order = create_order(user=owner)
    order.status = ORDER_AWAITING_PAYMENT
    order.save()
    client.force_login(owner)
    client.get(f"/en/payments/order/{order.number}/pay/")
    payment = Payment.objects.get()
    client.force_login(stranger)
    assert client.get(f"/en/payments/order/{order.number}/pay/").status_code == 404
    assert client.get(f"/en/payments/order/{order.number}/return/").status_code == 404
    assert client.get(f"/en/payments/receipts/{payment.pk}/").status_code == 404
    assert str(payment.amount) not in client.get("/en/payments/receipts/").content.decode()


@pytest.fixture
def paid_payment(db, stripe_settings, stripe_client):
    buyer = UserFactory()
    order = create_order(user=buyer)
    order.status = ORDER_AWAITING_PAYMENT
    order.save()
    payment = services.payment_start(payable=order, user=buyer)
    pay_with_card(stripe_client, payment, GOOD_CARD)
    return services.payment_sync(payment=payment)


def test_customers_see_receipts_for_payments_and_refunds(client, paid_payment):
    services.refund_create(payment=paid_payment, amount=Decimal("1.50"), user=None, reason="late")
    client.force_login(paid_payment.user)
    listing = client.get("/en/payments/receipts/").content.decode()
    assert "€1.50" in listing and "Receipt" in listing
    receipt = client.get(f"/fa/payments/receipts/{paid_payment.pk}/").content.decode()
    assert '<html lang="fa" dir="rtl"' in receipt and "۱٫۵۰" in receipt
    assert "شماره رسید" in receipt


def test_staff_see_payments_and_refund_part_from_the_dashboard(client, paid_payment):
    staff = make_role_user("finance")
    client.force_login(staff)
    listing = client.get("/en/dashboard/payments/").content.decode()
    assert paid_payment.stripe_payment_intent_id in listing
    detail = client.get(f"/en/dashboard/payments/{paid_payment.pk}/").content.decode()
    assert paid_payment.idempotency_key in detail and "Refund through Stripe" in detail

    too_much = client.post(f"/en/dashboard/payments/{paid_payment.pk}/", {"amount": "999.00", "reason": ""})
    assert "can still be refunded" in too_much.content.decode()
    done = client.post(f"/en/dashboard/payments/{paid_payment.pk}/", {"amount": "2.00", "reason": "dented"})
    assert done.status_code == 302
    paid_payment.refresh_from_db()
    assert paid_payment.amount_refunded == Decimal("2.00")
    refund = paid_payment.refunds.get()
    assert refund.created_by == staff and refund.stripe_refund_id.startswith("re_")


def test_customers_cannot_open_the_payments_dashboard(client, paid_payment):
    client.force_login(paid_payment.user)
    # Signed in without the ability: the site's 403 page, not a redirect.
    assert client.get("/en/dashboard/payments/").status_code == 403
    assert client.post(f"/en/dashboard/payments/{paid_payment.pk}/", {"amount": "1.00"}).status_code == 403
    assert client.post(f"/en/dashboard/payments/{paid_payment.pk}/refund/", {"amount": "1.00"}).status_code == 403
    paid_payment.refresh_from_db()
    assert paid_payment.amount_refunded == 0


@pytest.mark.django_db(transaction=True)
def test_localstripe_delivers_signed_webhooks_to_the_live_site(live_server, stripe_settings, stripe_client):
    """localstripe signs and posts its own events to our endpoint on the live server."""
    requests.post(
        f"{stripe_settings.STRIPE_API_BASE}/_config/webhooks/chaarsoo",
        data={"url": f"{live_server.url}/payments/stripe/webhook/", "secret": WEBHOOK_SECRET},
        timeout=5,
    ).raise_for_status()
    buyer = UserFactory()
    order = create_order(user=buyer)
    order.status = ORDER_AWAITING_PAYMENT
    order.save()
    payment = services.payment_start(payable=order, user=buyer)
    pay_with_card(stripe_client, payment, GOOD_CARD)  # no browser return: only the webhook tells us
    deadline = time.monotonic() + 15
    # Poll the order, the last thing the webhook writes (on in-memory SQLite the live
    # server shares this test's connection, so a half-finished request can be seen).
    while time.monotonic() < deadline:
        order.refresh_from_db()
        if order.status == ORDER_PAID:
            break
        time.sleep(0.2)
    time.sleep(0.3)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    delivered = [
        event.payload["data"]["object"]["id"]
        for event in StripeWebhookEvent.objects.filter(type="payment_intent.succeeded")
    ]
    assert payment.stripe_payment_intent_id in delivered
    order.refresh_from_db()
    assert order.status == ORDER_PAID
