"""Checkout through /api/v1/shop/ (issue 17 point 2): the address book with Iran's postcode
rule, the checkout's options, placing the order with the site's rules (one order split into
per-vendor shipments, stock allocated, installation charged), and each refusal's code."""

from __future__ import annotations

import pytest
from oscar.core.loading import get_model
from rest_framework.test import APIClient

from shop import order_status
from tests.factories import UserFactory
from tests.factories_vendors import iran, make_vendor, make_vendor_product
from tests.functional.test_api_shop_basket import LINES, signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]

UserAddress = get_model("address", "UserAddress")
StockRecord = get_model("partner", "StockRecord")
Order = get_model("order", "Order")

ADDRESSES = "/api/v1/shop/addresses/"
CHECKOUT = "/api/v1/shop/checkout/"
NEW_ADDRESS = {
    "first_name": "Sara", "last_name": "Ahmadi", "line1": "Valiasr Street 12", "line4": "Tehran",
    "state": "Tehran", "postcode": "۱۴۳۴۸۴۳۳۱۱", "phone_number": "+989121234567", "country": "IR",
}


@pytest.fixture
def basket_of_two_vendors(settings):
    settings.CHAARSOO_CHECKOUT_PAYMENT_METHODS = ["card", "cod"]
    iran()
    fast = make_vendor("Fast lamps", promises={"Tehran": 2})
    slow = make_vendor("Slow stoves", delivery_days=7)
    lamp = make_vendor_product(fast, price="100.00", stock=3)
    stove = make_vendor_product(slow, price="250.00", stock=5, needs_installation=True, installation_price="30.00")
    customer = UserFactory()
    client = signed_in(customer)
    client.post(LINES, {"product": lamp.pk, "quantity": 2}, format="json")
    client.post(LINES, {"product": stove.pk, "installation": True}, format="json")
    return {"client": client, "customer": customer, "lamp": lamp, "stove": stove}


def test_the_address_book_takes_an_iranian_postcode_as_people_write_it():
    iran()
    client = signed_in(UserFactory())

    created = client.post(ADDRESSES, NEW_ADDRESS, format="json")
    again = client.post(ADDRESSES, NEW_ADDRESS, format="json")

    assert created.status_code == 201 and created.json()["postcode"] == "14348-43311"
    assert again.status_code == 400 and again.json()["code"] == "invalid"
    assert [a["id"] for a in client.get(ADDRESSES).json()] == [created.json()["id"]]


def test_a_wrong_postcode_is_refused_with_the_field():
    iran()
    client = signed_in(UserFactory())

    response = client.post(ADDRESSES, {**NEW_ADDRESS, "postcode": "12345"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "postcode" in response.json()["fields"]


def test_the_checkout_offers_shipping_payment_and_each_vendors_promise(basket_of_two_vendors):
    client = basket_of_two_vendors["client"]
    address = client.post(ADDRESSES, NEW_ADDRESS, format="json").json()

    options = client.get(CHECKOUT, {"address": address["id"]}).json()

    assert [m["code"] for m in options["payment_methods"]] == ["cod"]  # card only with Stripe's keys
    assert options["shipping_methods"][0]["code"] == "free-shipping"
    assert [(v["vendor"]["name"], v["delivery_days"]) for v in options["vendors"]] == [
        ("Fast lamps", 2), ("Slow stoves", 7)]
    assert options["totals"]["total"]["amount"] == "480.00"


def test_placing_an_order_splits_it_per_vendor_with_the_installation(basket_of_two_vendors):
    client, customer = basket_of_two_vendors["client"], basket_of_two_vendors["customer"]

    response = client.post(CHECKOUT, {
        "new_shipping_address": NEW_ADDRESS, "shipping_method": "free-shipping", "payment_method": "cod",
    }, format="json")

    assert response.status_code == 201, response.json()
    order = response.json()
    assert order["status"] == order_status.PENDING and order["payment"]["method"] == "cod"
    assert order["totals"]["surcharges"]["amount"] == "30.00" and order["total"]["amount"] == "480.00"
    assert [s["vendor"]["name"] for s in order["shipments"]] == ["Fast lamps", "Slow stoves"]
    stove_line = next(line for line in order["lines"] if line["product"] == basket_of_two_vendors["stove"].pk)
    assert stove_line["installation_requested"] is True
    assert StockRecord.objects.get(product=basket_of_two_vendors["lamp"]).num_allocated == 2
    assert UserAddress.objects.get(user=customer).postcode == "14348-43311"  # kept in the address book
    assert client.get("/api/v1/shop/basket/").json()["lines"] == []


def test_a_basket_that_can_no_longer_be_bought_is_refused_and_kept(basket_of_two_vendors):
    client = basket_of_two_vendors["client"]
    StockRecord.objects.filter(product=basket_of_two_vendors["lamp"]).update(num_in_stock=1)

    response = client.post(CHECKOUT, {
        "new_shipping_address": NEW_ADDRESS, "shipping_method": "free-shipping", "payment_method": "cod",
    }, format="json")

    assert response.status_code == 409 and response.json()["code"] == "basket_not_buyable"
    assert not Order.objects.filter(user=basket_of_two_vendors["customer"]).exists()
    assert len(client.get("/api/v1/shop/basket/").json()["lines"]) == 2


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"payment_method": "card"}, 400, "payment_method_not_offered"),
    ({"shipping_method": "by-camel"}, 400, "shipping_method_not_offered"),
    ({"new_shipping_address": None}, 400, "invalid"),
    ({"new_shipping_address": {**NEW_ADDRESS, "postcode": "9"}}, 400, "invalid"),
])
def test_a_wrong_checkout_is_refused_with_its_code(basket_of_two_vendors, body, status, code):
    response = basket_of_two_vendors["client"].post(CHECKOUT, {
        "new_shipping_address": NEW_ADDRESS, "shipping_method": "free-shipping", "payment_method": "cod", **body,
    }, format="json")

    assert response.status_code == status and response.json()["code"] == code
    assert not Order.objects.filter(user=basket_of_two_vendors["customer"]).exists()


def test_another_customers_address_cannot_be_used(basket_of_two_vendors):
    other = UserFactory()
    address = signed_in(other).post(ADDRESSES, NEW_ADDRESS, format="json").json()

    response = basket_of_two_vendors["client"].post(CHECKOUT, {
        "shipping_address": address["id"], "shipping_method": "free-shipping", "payment_method": "cod",
    }, format="json")

    assert response.status_code == 404
    assert not Order.objects.filter(user=basket_of_two_vendors["customer"]).exists()


def test_an_empty_basket_cannot_be_checked_out():
    client = signed_in(UserFactory())

    assert client.get(CHECKOUT).status_code == 409
    response = client.post(CHECKOUT, {
        "new_shipping_address": NEW_ADDRESS, "shipping_method": "free-shipping", "payment_method": "cod",
    }, format="json")
    assert response.status_code == 409 and response.json()["code"] == "basket_empty"


def test_a_visitor_cannot_check_out():
    assert APIClient().post(CHECKOUT, {}, format="json").status_code in (401, 403)


def test_an_address_parameter_that_is_no_number_is_refused(basket_of_two_vendors):
    response = basket_of_two_vendors["client"].get(CHECKOUT, {"address": "home"})

    body = response.json()
    assert response.status_code == 400 and body["code"] == "invalid" and "address" in body["fields"] and body["detail"]
