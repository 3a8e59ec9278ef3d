"""Paying an order by card in a real browser, with localstripe's Stripe.js stand-in.

localstripe's Stripe.js runs `confirmCardPayment` and its 3-D Secure dialog in the page,
but it cannot attach the card typed into its Element to a PaymentIntent (the real
Stripe.js does that inside confirmCardPayment). The test therefore attaches the test
card through Stripe's API, exactly as Stripe.js would, and everything after that (the
Pay button, confirmCardPayment, the 3-D Secure dialog, the decline message, the retry,
the return page) runs in the browser.
"""

from __future__ import annotations

import pytest
from oscar.test.factories import create_order

from payments.models import Payment
from shop.order_status import PENDING as ORDER_PAID
from shop.order_status import PENDING_PAYMENT as ORDER_AWAITING_PAYMENT
from tests.factories import UserFactory
from tests.functional.test_browser import browser_page, shot  # noqa: F401

AUTH_THEN_DECLINE = "4000008260003178"
AUTH_THEN_SUCCEED = "4000002760003184"


def attach_card(stripe_client, payment: Payment, number: str) -> None:
    method = stripe_client.v1.payment_methods.create(
        {"type": "card", "card": {"number": number, "exp_month": 12, "exp_year": 2035, "cvc": "123"}}
    )
    stripe_client.v1.payment_intents.update(payment.stripe_payment_intent_id, {"payment_method": method.id})
    intent = stripe_client.v1.payment_intents.confirm(payment.stripe_payment_intent_id)
    assert intent.status == "requires_action"  # waiting for 3-D Secure in the browser


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_shopper_pays_by_card_after_a_decline_without_losing_the_order(
    live_server, browser_page, stripe_settings, stripe_client  # noqa: F811
):
    buyer = UserFactory(email="card.buyer@example.com")
    order = create_order(user=buyer)
    order.status = ORDER_AWAITING_PAYMENT
    order.save()
    page = browser_page

    page.goto(f"{live_server.url}/fa/shop/accounts/login/")
    page.fill("#id_login-username", "card.buyer@example.com")
    page.fill("#id_login-password", "secret-pass-123")
    page.click("button[name=login_submit]")
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/fa/payments/order/{order.number}/pay/")
    assert page.get_attribute("html", "dir") == "rtl"
    page.wait_for_selector("#card-element input")  # the card Element is mounted
    assert page.is_enabled("#card-pay-button")
    assert page.locator(".trust-notice").is_visible()
    shot(page, "pay-01-card-form-fa-375")

    first = Payment.objects.get()
    attach_card(stripe_client, first, AUTH_THEN_DECLINE)
    page.fill("#card-element input >> nth=0", "4000008260003178")
    page.click("#card-pay-button")
    page.click("text=Complete authentication")
    # A selector, not wait_for_function: the page's Content-Security-Policy forbids eval.
    page.wait_for_selector("#card-errors:not(:empty)")
    assert "declined" in page.inner_text("#card-errors")
    assert page.is_enabled("#card-pay-button")  # ready to try again
    shot(page, "pay-02-declined-fa-375")
    order.refresh_from_db()
    assert order.status == ORDER_AWAITING_PAYMENT and order.lines.count() == 1

    page.reload()
    page.wait_for_selector("#card-element input")
    second = Payment.objects.exclude(pk=first.pk).get()
    assert second.attempt == 2
    attach_card(stripe_client, second, AUTH_THEN_SUCCEED)
    page.click("#card-pay-button")
    page.click("text=Complete authentication")
    page.wait_for_url("**/checkout/thank-you/")
    shot(page, "pay-03-thank-you-fa-375")

    order.refresh_from_db()
    assert order.status == ORDER_PAID
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Payment.Status.CANCELED and second.status == Payment.Status.SUCCEEDED
    assert order.sources.get().reference == second.stripe_payment_intent_id
