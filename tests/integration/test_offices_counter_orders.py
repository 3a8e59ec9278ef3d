"""P4: a clerk (and an operator) order goods for a customer present: the customer's own
order through the shop's order path, delivered or picked up, paid at the counter, and
showing who placed it and where."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from offices import services
from offices.errors import NotAllowed, OfficeError
from offices.models import CounterOrder
from tests.factories_services import make_customer
from tests.factories_vendors import make_vendor, make_vendor_product
from tests.helpers.offices import make_clerk, make_office
from tests.helpers.roles import make_role_user

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


@pytest.fixture
def shop():
    vendor = make_vendor()
    return {"rug": make_vendor_product(vendor, price="120.00", stock=5),
            "lamp": make_vendor_product(vendor, price="40.00", stock=5)}


def test_a_clerk_orders_for_the_customer_present_paid_at_the_counter_and_picked_up(shop, client):
    office = make_office("chalus", name="دفتر ICT کلاردشت")
    clerk = make_clerk(office)
    customer = make_customer(first_name="زهرا")
    placed = services.counter_order_place(user=clerk, customer=customer, delivery="pickup",
                                          items=[(shop["rug"], 1), (shop["lamp"], 2)])
    order = placed.order
    assert order.user == customer and placed.office == office and placed.placed_by == clerk
    assert order.total_incl_tax == Decimal("200.00") and placed.paid_at_counter
    assert order.sources.get().amount_debited == Decimal("200.00")
    assert office.address in order.shipping_address.line1
    assert clerk.username in order.notes.get().message and office.name in order.notes.get().message
    client.force_login(clerk)
    page = client.get(reverse("offices-dashboard:order", args=[order.number]))
    assert page.status_code == 200 and office.name in page.content.decode()
    other = make_clerk(make_office("rey"))
    client.force_login(other)
    assert client.get(reverse("offices-dashboard:order", args=[order.number])).status_code == 404


def test_an_operator_orders_by_phone_for_delivery(shop):
    operator = make_role_user("operator")
    customer = make_customer()
    with pytest.raises(OfficeError):
        services.counter_order_place(user=operator, customer=customer, delivery="pickup", items=[(shop["lamp"], 1)])
    placed = services.counter_order_place(user=operator, customer=customer, delivery="address",
                                          address="تبریز، خیابان امام، پلاک ۸", city="تبریز",
                                          items=[(shop["lamp"], 1)])
    assert placed.office is None and not placed.paid_at_counter
    assert placed.delivery == CounterOrder.Delivery.ADDRESS


def test_others_may_not_order_for_a_customer(shop):
    with pytest.raises(NotAllowed):
        services.counter_order_place(user=make_role_user("agent"), customer=make_customer(), delivery="address",
                                     address="x", items=[(shop["lamp"], 1)])


def test_the_order_page_places_an_order_through_the_web(shop, client):
    office = make_office("chalus")
    clerk = make_clerk(office)
    customer = make_customer()
    client.force_login(clerk)
    url = reverse("offices-dashboard:order-new", args=[customer.pk])
    page = client.get(url, {"q": shop["lamp"].title})
    assert page.status_code == 200 and f'data-product="{shop["lamp"].pk}"' in page.content.decode()
    response = client.post(url, {f"qty_{shop['lamp'].pk}": "3", "delivery": "pickup"})
    assert response.status_code == 302
    # The customer's own (a session that also loads the demo shop holds its counter order too).
    placed = CounterOrder.objects.get(order__user=customer)
    assert placed.order.lines.get().quantity == 3
