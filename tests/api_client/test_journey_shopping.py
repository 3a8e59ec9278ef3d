"""The shopping journey of issue 17 through the generated client, against a live server
and localstripe: a customer buys from two vendors (one item installed, a voucher), pays by
card (the webhook completes it) and sees two shipments; the vendors ship with tracking and
deliver; the customer sees the tracking."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from oscar.core.loading import get_model
from rest_framework.authtoken.models import Token

from shop import order_status
from tests.api_client.journey_shopping import shopper_buys_from_two_vendors, vendors_ship
from tests.conftest import WEBHOOK_SECRET
from tests.factories import UserFactory, make_category
from tests.factories_vendors import iran, make_vendor, make_vendor_product, vendor_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.no_demo]

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")
Voucher = get_model("voucher", "Voucher")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Benefit = get_model("offer", "Benefit")
Condition = get_model("offer", "Condition")
Range = get_model("offer", "Range")


def _voucher(code: str) -> None:
    everything = Range.objects.create(name="Everything", includes_all_products=True)
    offer = ConditionalOffer.objects.create(
        name="Welcome", offer_type=ConditionalOffer.VOUCHER,
        condition=Condition.objects.create(range=everything, type=Condition.COUNT, value=1),
        benefit=Benefit.objects.create(range=everything, type=Benefit.PERCENTAGE, value=Decimal("10")),
    )
    now = timezone.now()
    voucher = Voucher.objects.create(name="Welcome", code=code, start_datetime=now - dt.timedelta(days=1),
                                     end_datetime=now + dt.timedelta(days=30))
    voucher.offers.add(offer)


def test_a_customer_buys_from_two_vendors_and_the_vendors_ship_it(
    generated_client, api_client, live_server, stripe_settings, stripe_client
):
    iran()
    category = make_category("لوازم خانه", "Home")
    lamps = make_vendor("Fast lamps", promises={"Tehran": 2})
    stoves = make_vendor("Slow stoves", delivery_days=7)
    lamp = make_vendor_product(lamps, price="100.00", stock=3, category=category)
    stove = make_vendor_product(stoves, price="250.00", stock=2, needs_installation=True,
                                installation_price="30.00", category=category)
    _voucher("WELCOME10")
    customer = UserFactory()
    customer_token = Token.objects.create(user=customer).key

    bought = shopper_buys_from_two_vendors(
        generated_client, api_client, customer_token, "Token", stripe_client,
        webhook_url=f"{live_server.url}/payments/stripe/webhook/", webhook_secret=WEBHOOK_SECRET,
        category=category.pk, voucher_code="WELCOME10",
    )

    order = Order.objects.get(number=bought["order_number"])
    assert order.user == customer and order.status == order_status.PENDING  # paid, released to the vendors
    assert sorted(bought["vendors"]) == sorted([lamps.pk, stoves.pk])
    assert order.surcharge_incl_tax == Decimal("30.00")
    assert order.total_discount_incl_tax == Decimal("35.00")  # 10% of 350
    assert order.total_incl_tax == Decimal("345.00")
    assert StockRecord.objects.get(product=lamp).num_allocated == 1
    assert StockRecord.objects.get(product=stove).num_allocated == 1

    shipped = vendors_ship(
        generated_client, api_client, prefix="Token", order_number=bought["order_number"],
        vendor_tokens=[Token.objects.create(user=vendor_user(p)).key for p in (lamps, stoves)],
        customer_token=customer_token,
    )

    assert set(shipped["tracking"]) == set(bought["shipments"])
    order.refresh_from_db()
    assert order.status == order_status.DELIVERED
