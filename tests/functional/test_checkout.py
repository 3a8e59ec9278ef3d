"""A shopper orders with pay-on-delivery and finds the order in their account."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model

Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")
Country = get_model("address", "Country")

pytestmark = pytest.mark.django_db


@pytest.fixture
def iran(db):
    country, _ = Country.objects.get_or_create(
        iso_3166_1_a2="IR", defaults={"name": "Iran", "printable_name": "Iran", "is_shipping_country": True}
    )
    return country


def _checkout_until_payment(client, product):
    response = client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 2})
    assert response.status_code == 302
    response = client.post(
        reverse("checkout:shipping-address"),
        {
            "first_name": "Sara",
            "last_name": "Ahmadi",
            "line1": "Valiasr Street 12",
            "line4": "Tehran",
            "postcode": "14348-43311",
            "country": "IR",
            "phone_number": "+989121234567",
        },
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    response = client.get(reverse("checkout:shipping-method"))
    assert response.status_code == 302
    return client.get(reverse("checkout:payment-details"))


def test_a_customer_places_an_order_paying_on_delivery(customer_client, customer, iran):
    # The demo customer already has demo orders; this test's order is the one placed now.
    earlier_orders = set(Order.objects.filter(user=customer).values_list("pk", flat=True))
    with translation.override("en"):
        product = Product.objects.get(upc="CHS0000003")
        payment_page = _checkout_until_payment(customer_client, product)
        assert payment_page.status_code == 200
        assert "Pay on delivery" in payment_page.content.decode()

        preview = customer_client.post(reverse("checkout:payment-details"), {"method": "cod"})
        assert preview.status_code == 302
        assert preview["Location"] == reverse("checkout:preview")
        preview = customer_client.get(preview["Location"])
        assert preview.status_code == 200
        assert "Pay the courier" in preview.content.decode()

        placed = customer_client.post(reverse("checkout:preview"), {"action": "place_order"})
        assert placed.status_code == 302, placed.content.decode()[:2000]
        assert placed["Location"].endswith(reverse("checkout:thank-you")), placed["Location"]

        order = Order.objects.exclude(pk__in=earlier_orders).get(user=customer)
        assert order.lines.get().quantity == 2
        source = order.sources.get()
        assert source.source_type.code == "cod"
        assert source.amount_allocated == order.total_incl_tax
        assert order.payment_events.get().event_type.name == "Payment due on delivery"

        orders_page = customer_client.get(reverse("customer:order-list")).content.decode()
        assert order.number in orders_page
        detail = customer_client.get(reverse("customer:order", kwargs={"order_number": order.number}))
        assert detail.status_code == 200


def test_the_payment_step_refuses_an_unknown_method(customer_client, iran):
    orders_before = Order.objects.count()
    with translation.override("en"):
        product = Product.objects.get(upc="CHS0000004")
        _checkout_until_payment(customer_client, product)
        response = customer_client.post(reverse("checkout:payment-details"), {"method": "bitcoin"})
        assert response.status_code == 200
        assert "That payment method is not offered" in response.content.decode()
        placed = customer_client.post(reverse("checkout:preview"), {"action": "place_order"})
        assert placed.status_code == 302
        assert "payment-details" in placed["Location"]
        assert Order.objects.count() == orders_before


def test_the_persian_checkout_is_right_to_left_and_translated(customer_client, iran):
    with translation.override("fa"):
        product = Product.objects.get(upc="CHS0000005")
        page = _checkout_until_payment(customer_client, product).content.decode()
    assert '<html lang="fa" dir="rtl"' in page
    assert "پرداخت در محل" in page
