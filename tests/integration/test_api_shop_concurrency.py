"""Checkout through the API holds the site's stock locks (issue 17 point 2): N apps
checking out the last K units at once sell exactly K; every other one is refused with a
code and nothing of its order stays. Real threads and requests on PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from oscar.core.loading import get_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tests.factories_vendors import iran, make_vendor, make_vendor_product
from vendors.models import Shipment

StockRecord = get_model("partner", "StockRecord")
Order = get_model("order", "Order")

BUYERS = 6
LAST_UNITS = 2
ADDRESS = {"last_name": "Ahmadi", "line1": "Valiasr 12", "line4": "Tehran", "state": "Tehran",
           "postcode": "1434843311", "country": "IR"}


def _client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.mark.postgres
@pytest.mark.no_demo
@pytest.mark.django_db(transaction=True)
def test_apps_checking_out_the_last_units_at_once_sell_exactly_those_units(settings):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (CI runs this on PostgreSQL)")
    settings.CHAARSOO_CHECKOUT_PAYMENT_METHODS = ["cod"]
    iran()
    vase = make_vendor_product(make_vendor(), price="15.00", stock=LAST_UNITS)
    bowl = make_vendor_product(make_vendor(), price="9.00", stock=100)
    buyers = [UserFactory() for _ in range(BUYERS)]
    clients = [_client(buyer) for buyer in buyers]
    for client in clients:  # every basket is filled while the vase is still in stock
        for product in (bowl, vase):
            assert client.post("/api/v1/shop/basket/lines/", {"product": product.pk}, format="json").status_code == 201
    barrier = threading.Barrier(BUYERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def check_out(client: APIClient) -> None:
        try:
            barrier.wait(timeout=30)
            response = client.post("/api/v1/shop/checkout/", {
                "new_shipping_address": ADDRESS, "shipping_method": "free-shipping", "payment_method": "cod",
            }, format="json")
            result = "sold" if response.status_code == 201 else f"{response.status_code} {response.json()['code']}"
        except Exception as exc:  # any other failure is a bug this test must report
            result = f"error: {type(exc).__name__}: {exc}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=check_out, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert outcomes.count("sold") == LAST_UNITS, outcomes
    refused = [o for o in outcomes if o != "sold"]
    assert set(refused) <= {"409 out_of_stock", "409 basket_not_buyable"}, outcomes
    assert len(refused) == BUYERS - LAST_UNITS
    record = StockRecord.objects.get(product=vase)
    assert (record.num_in_stock, record.num_allocated) == (LAST_UNITS, LAST_UNITS)
    assert Order.objects.filter(user__in=buyers).count() == LAST_UNITS
    assert StockRecord.objects.get(product=bowl).num_allocated == LAST_UNITS  # refused orders left nothing
    assert Shipment.objects.filter(order__user__in=buyers).count() == 2 * LAST_UNITS
