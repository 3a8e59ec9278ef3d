"""Query budgets of the seller dashboard (issue 4 "Proven by"): the number of queries a
list page makes does not depend on how many shipments (and lines) it shows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tests.factories_vendors import make_vendor, make_vendor_product, place_order, vendor_user
from vendors import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def vendor(db):
    return make_vendor("Busy shop")


@pytest.fixture
def products(vendor):
    return [make_vendor_product(vendor, price="10.00", stock=500) for _ in range(3)]


def add_orders(vendor, products, count: int) -> None:
    """`count` more orders, each with every product (three lines per shipment), some confirmed."""
    buyer = UserFactory()
    for index in range(count):
        order = place_order(buyer, [(product, 1) for product in products])
        if index % 2:
            services.shipment_confirm(shipment=order.shipments.get(), user=vendor_user(vendor))


def queries(client, path: str) -> int:
    client.get(path)  # warm up: sessions, content types, site
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def test_the_shipment_list_makes_as_many_queries_for_50_shipments_as_for_5(client, vendor, products):
    client.force_login(vendor_user(vendor))
    path = reverse("vendors-dashboard:shipment-list")
    add_orders(vendor, products, 5)
    few = queries(client, path)
    assert len(client.get(path).context["shipments"]) == 5
    add_orders(vendor, products, 45)
    many = queries(client, path)
    assert len(client.get(path).context["shipments"]) == 50
    assert many == few, f"{few} queries for 5 shipments, {many} for 50"
    assert few <= 15


def test_the_shipment_list_counts_without_the_joins_only_its_rows_need(client, vendor, products):
    """The COUNT joins the order (its status hides unpaid orders) but not the shipping
    address the rows show (issue 16); the count and the status filter stay right."""
    client.force_login(vendor_user(vendor))
    path = reverse("vendors-dashboard:shipment-list")
    add_orders(vendor, products, 3)  # the second one confirmed
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, {"status": "confirmed"})
    counts = [query["sql"] for query in captured if query["sql"].startswith("SELECT COUNT(*)")]
    assert len(counts) == 1, counts
    assert "order_shippingaddress" not in counts[0] and "order_order" in counts[0], counts[0]
    assert response.context["page_obj"].paginator.count == 1
    assert client.get(path).context["page_obj"].paginator.count == 3
    assert client.get(path, {"status": "open"}).context["page_obj"].paginator.count == 3


def test_a_status_change_shows_on_the_next_shipment_list(client, vendor, products):
    client.force_login(vendor_user(vendor))
    path = reverse("vendors-dashboard:shipment-list")
    add_orders(vendor, products, 1)
    shipment = vendor.shipments.get()
    before = client.get(path).context["rows"][0]["status_label"]
    services.shipment_confirm(shipment=shipment, user=vendor_user(vendor))
    after = client.get(path).context["rows"][0]["status_label"]
    assert before != after
    assert after == str(type(shipment).Status.CONFIRMED.label)


def test_the_api_shipment_list_makes_as_many_queries_for_20_shipments_as_for_5(vendor, products):
    client = APIClient()
    client.force_authenticate(vendor_user(vendor))
    path = "/api/v1/vendor/shipments/"
    add_orders(vendor, products, 5)
    few = queries(client, path)
    add_orders(vendor, products, 15)
    many = queries(client, path)
    assert client.get(path).json()["count"] == 20
    assert many == few, f"{few} queries for 5 shipments, {many} for 20 (a page)"


def test_the_claim_and_stock_lists_do_not_grow_with_their_rows(client, vendor, products):
    client.force_login(vendor_user(vendor))
    buyer = UserFactory()

    def claims(count: int) -> None:
        for _ in range(count):
            order = place_order(buyer, [(products[0], 1)])
            shipment = order.shipments.get()
            user = vendor_user(vendor)
            services.shipment_confirm(shipment=shipment, user=user)
            services.shipment_ship(shipment=shipment, user=user, tracking_reference="T")
            services.shipment_deliver(shipment=shipment, user=user)
            services.warranty_claim_open(shipment_line=shipment.lines.get(), customer=buyer, kind="repair",
                                         description="Broken")

    claims(2)
    few = queries(client, reverse("vendors-dashboard:claim-list"))
    stock_few = queries(client, reverse("vendors-dashboard:stock-list"))
    claims(6)
    for _ in range(6):
        make_vendor_product(vendor, price="5.00", stock=3, contracted_quantity=10)
    assert queries(client, reverse("vendors-dashboard:claim-list")) == few
    assert queries(client, reverse("vendors-dashboard:stock-list")) == stock_few
