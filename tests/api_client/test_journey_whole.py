"""Issue 17, proven: the whole journey of a new customer, over HTTP against the live test
server, only through the client generated from /api/schema/ (openapi-python-client).

The customer registers and verifies the phone (accounts), buys from two vendors with
installation and pays by card against localstripe (shopping), the two vendors ship and
deliver and the customer sees the tracking; then the same customer, with the same device
token, requests a service job that staff quote, accepts and pays it, the provider does it
and the customer follows it to completion and rates. The vendors, the provider and staff
sign in through the same client (device tokens, "Bearer"), as their apps would.

The factories only lay out the shop (vendors, products, a service, an area, a provider):
nobody acts in the journey except through the generated client.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal
from types import ModuleType
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

from customers.models import DeviceToken
from services_catalog.models import Job
from shop import order_status
from tests.api_client.conftest import operation
from tests.api_client.journey_accounts import new_customer_signs_up
from tests.api_client.journey_services import customer_books_a_job, provider_does_the_job
from tests.api_client.journey_shopping import shopper_buys_from_two_vendors, vendors_ship
from tests.conftest import WEBHOOK_SECRET
from tests.factories import make_category
from tests.factories_services import make_area, make_provider, make_service
from tests.factories_vendors import iran, make_vendor, make_vendor_product, vendor_user
from tests.helpers.roles import make_role_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.no_demo]

Order = get_model("order", "Order")
PASSWORD = "Their-own-pass-5531"


def signs_in(pkg: ModuleType, api_client: Callable[..., Any], user, device: str) -> str:
    """A vendor's, provider's or staff member's app signing in: their device token."""
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    answer = operation(pkg, "auth", "auth_sign_in_create").sync_detailed(
        client=api_client(language="en"),
        body=pkg.models.SignIn(username=user.email, password=PASSWORD, device_name=device),
    )
    assert answer.status_code == 200, answer.content
    return answer.parsed.token


def test_a_new_customer_buys_goods_and_books_a_job_through_the_generated_client(
    generated_client, api_client, live_server, stripe_settings, stripe_client
):
    # The marketplace as it stands: two vendors (one installs), a painting service, a painter.
    iran()
    category = make_category("لوازم خانه", "Home")
    lamps = make_vendor("Fast lamps", promises={"Tehran": 2})
    stoves = make_vendor("Slow stoves", delivery_days=7)
    make_vendor_product(lamps, price="100.00", stock=3, category=category)
    make_vendor_product(stoves, price="250.00", stock=2, needs_installation=True,
                        installation_price="30.00", category=category)
    area = make_area(slug="vanak", name_en="Vanak")
    service = make_service(pricing_model="quote", payment_rule="upfront", areas=[area],
                           required_documents=[("Title deed", False)], name_en="Painting")
    provider = make_provider(areas=[area], services=[service], display_name="Reza the painter")
    pkg = generated_client
    started = time.perf_counter()

    # 1. Accounts: register, activate, sign in, verify the phone.
    customer = new_customer_signs_up(pkg, api_client, email="whole@example.com", phone="09123337777")
    token, prefix = customer["token"], customer["prefix"]
    assert prefix == "Bearer"

    # 2. Shopping: browse, basket from two vendors with installation, checkout, card, webhook.
    bought = shopper_buys_from_two_vendors(
        pkg, api_client, token, prefix, stripe_client,
        webhook_url=f"{live_server.url}/payments/stripe/webhook/", webhook_secret=WEBHOOK_SECRET,
        category=category.pk, idempotency="whole-journey",
    )
    assert len(bought["shipments"]) == 2 and sorted(bought["vendors"]) == sorted([lamps.pk, stoves.pk])

    # 3. The two vendors ship and deliver from their own apps; the customer sees the tracking.
    vendor_tokens = [signs_in(pkg, api_client, vendor_user(v), f"{v.name} tablet") for v in (lamps, stoves)]
    shipped = vendors_ship(pkg, api_client, vendor_tokens=vendor_tokens, customer_token=token, prefix=prefix,
                           order_number=bought["order_number"])
    assert set(shipped["tracking"]) == set(bought["shipments"])

    # 4. Services: the same customer requests a job; staff quote it; the customer accepts and
    # pays; the provider does it; the customer follows it to completion and rates it.
    staff_token = signs_in(pkg, api_client, make_role_user("operator"), "Back office")
    provider_token = signs_in(pkg, api_client, provider.user, "Painter's phone")

    def provider_works(number: str) -> dict:
        from tests.functional.test_services_web_provider import visit_day_arrives

        return provider_does_the_job(pkg, api_client, provider_token, prefix, number=number,
                                     visit_arrives=lambda n: visit_day_arrives(Job.objects.get(number=n)))

    seen = customer_books_a_job(
        pkg, api_client, token, prefix, stripe_client, service_slug=service.slug, staff_token=staff_token,
        base_url=live_server.url, provider_works=provider_works, idempotency="whole-journey",
    )
    took = time.perf_counter() - started
    print(f"\nwhole journey through the generated client: {took:.1f} s")

    # What the journey left behind, read from the database.
    user = get_user_model().objects.get(pk=customer["user_id"])
    assert user.email == "whole@example.com" and user.profile.phone_verified_at is not None
    assert list(Order.objects.filter(user=user).values_list("number", flat=True)) == [bought["order_number"]]
    order = Order.objects.get(number=bought["order_number"])
    assert order.status == order_status.DELIVERED and order.surcharge_incl_tax == Decimal("30.00")
    job = Job.objects.get(number=seen["done"].number)
    assert job.customer == user and job.provider == provider and job.status == Job.Status.COMPLETED
    assert job.amount_paid == job.price_total
    assert {rating.side for rating in job.ratings.all()} == {"customer", "provider"}
    # Everybody acted with a device token of their own, signed in through the client.
    assert DeviceToken.objects.filter(user=user).count() == 1
    assert DeviceToken.objects.filter(user=provider.user).count() == 1
