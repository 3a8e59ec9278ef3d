"""Issue 15 point 2: staff holding act_for_vendor process any vendor's shipment (confirm,
ship with tracking, deliver), logged as done by staff; the vendor page links them. Every
demo vendor has a login."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory
from tests.factories_vendors import make_vendor, make_vendor_product, place_order
from tests.helpers.roles import make_role_user
from vendors.models import Shipment

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


def test_an_operator_confirms_ships_and_delivers_for_a_vendor_without_a_login(client):
    partner = make_vendor("Userless Vendor")
    partner.users.clear()
    product = make_vendor_product(partner)
    order = place_order(UserFactory(), [(product, 1)])
    shipment = Shipment.objects.get(order=order, partner=partner)
    operator = make_role_user("operator", first_name="Olga", last_name="Operator")
    client.force_login(operator)

    vendor_page = client.get(f"/fa/dashboard/seller/vendors/{partner.pk}/").content.decode()
    url = f"/fa/dashboard/seller/vendors/shipments/{shipment.pk}/"
    assert url in vendor_page

    assert client.post(url, {"action": "confirm"}).status_code == 302
    shipped = client.post(url, {"action": "ship", "tracking_reference": "PT-2026-77", "carrier": "Post"})
    assert shipped.status_code == 302
    assert client.post(url, {"action": "deliver"}).status_code == 302
    shipment.refresh_from_db()
    assert shipment.status == Shipment.Status.DELIVERED and shipment.tracking_reference == "PT-2026-77"
    assert set(shipment.events.exclude(action="place").values_list("actor", flat=True)) == {operator.pk}

    page = client.get(url).content.decode()
    assert "data-acting-for-vendor" in page and page.count("data-by-staff") == 3
    assert "PT-2026-77" in page  # the tracking reference keeps its digits


def test_a_customer_or_vendor_of_another_shop_cannot_open_the_staff_shipment_page(client):
    partner = make_vendor("Shop A")
    order = place_order(UserFactory(), [(make_vendor_product(partner), 1)])
    shipment = Shipment.objects.get(order=order)
    other = make_vendor("Shop B")
    client.force_login(other.users.first())
    assert client.get(f"/fa/dashboard/seller/vendors/shipments/{shipment.pk}/").status_code == 403


def test_every_demo_vendor_has_a_login_printed_by_seed_demo():
    from vendors import demo

    assert {email.split("@")[0] for email, _password, _what in demo.logins()} == {
        f"vendor-{code}" for code in demo.CONTRACTS if code != demo.DEMO_VENDOR
    }
