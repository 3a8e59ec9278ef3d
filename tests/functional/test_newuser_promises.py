"""Issue 15 point 11: the product page shows its promises (vendor, warranty length,
installation and its price, delivery to the visitor's region or "from N days", stock);
the thank-you page shows each vendor's promise."""

from __future__ import annotations

import pytest
from oscar.core.loading import get_model

from tests.factories import UserFactory
from tests.factories_vendors import iran, make_vendor, make_vendor_product, place_order

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]
UserAddress = get_model("address", "UserAddress")


def _promises(html: str) -> str:
    return html.split('id="product-promises"', 1)[1].split("</ul>", 1)[0]


def test_a_visitor_sees_vendor_warranty_installation_delivery_from_and_stock(client):
    vendor = make_vendor("Roshan Lamps", warranty_days=365, delivery_days=5, promises={"Tehran": 2})
    product = make_vendor_product(vendor, stock=7, needs_installation=True, installation_price="15.00",
                                  warranty_days=730)
    html = _promises(client.get(product.get_absolute_url().replace("/fa/", "/en/", 1)).content.decode())
    assert "Roshan Lamps" in html
    assert "730 days" in html
    assert "Installation by the vendor available" in html and "15.00" in html
    assert "Delivery from 2 days" in html
    assert "7 in stock" in html


def test_a_signed_in_visitor_sees_the_promise_for_their_region(client):
    vendor = make_vendor("Pars Tools", delivery_days=6, promises={"Isfahan": 4})
    product = make_vendor_product(vendor)
    user = UserFactory()
    UserAddress.objects.create(user=user, first_name="A", line1="x", line4="Isfahan", state="Isfahan",
                               postcode="81466-55555", country=iran(), is_default_for_shipping=True)
    client.force_login(user)
    html = _promises(client.get(product.get_absolute_url().replace("/fa/", "/en/", 1)).content.decode())
    assert "Delivery to Isfahan within 4 days" in html and "No installation needed" in html


def test_the_thank_you_page_shows_each_vendors_promise(client):
    one, two = make_vendor("Vendor One"), make_vendor("Vendor Two")
    customer = UserFactory()
    order = place_order(customer, [(make_vendor_product(one), 1), (make_vendor_product(two), 1)])
    client.force_login(customer)
    session = client.session
    session["checkout_order_id"] = order.pk
    session.save()
    html = client.get("/en/shop/checkout/thank-you/").content.decode()
    assert 'id="order-shipments"' in html
    assert "Vendor One" in html and "Vendor Two" in html and html.count("Promised delivery by") == 2


def test_the_promises_read_in_persian_on_fa_pages(client):
    product = make_vendor_product(make_vendor("Naqsh"), warranty_days=90)
    html = _promises(client.get(product.get_absolute_url().replace("/en/", "/fa/", 1)).content.decode())
    assert "ضمانت تعویض: ۹۰ روز" in html and "فروشنده" in html
