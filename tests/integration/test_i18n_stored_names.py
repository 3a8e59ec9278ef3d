"""Issue 15 point 7: names stored once in English and shown on Persian pages: the country
(Oscar's country table, "Iran") on every address, and an order's shipping method ("Free
shipping", stored in the language the order was placed in) and its code, shown to staff;
a card payment's event ("Paid by card")."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.utils import translation
from oscar.core.loading import get_model

from shop.payables import OrderPayable
from tests.factories import UserFactory
from tests.factories_vendors import iran, make_vendor, make_vendor_product, place_order

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]
UserAddress = get_model("address", "UserAddress")
ISOLATE = "\u2066", "\u2069"


def _address() -> UserAddress:
    return UserAddress(first_name="Sara", last_name="Ahmadi", line1="Azadi St. 12", line4="Tehran",
                       postcode="14348-43311", country=iran())


def test_the_country_reads_in_the_readers_language_on_an_address_and_in_its_select():
    address = _address()
    with translation.override("fa"):
        assert address.active_address_fields()[-1] == "ایران" and "Iran" not in address.summary
        assert str(address.country) == "ایران"
    with translation.override("en"):
        assert address.summary.endswith(", Iran") and str(address.country) == "Iran"


def test_the_address_hash_that_finds_duplicates_does_not_depend_on_the_language():
    address = _address()
    with translation.override("fa"):
        persian = address.generate_hash()
    with translation.override("en"):
        assert address.generate_hash() == persian


def _english_order():
    order = place_order(UserFactory(), [(make_vendor_product(make_vendor("Vendor One")), 1)])
    # As placed on an English page: Oscar stores the method's name in the page's language.
    order.shipping_method = "Free shipping"
    order.save(update_fields=["shipping_method"])
    return order


def test_the_customers_order_page_shows_the_country_and_method_in_persian(client):
    order = _english_order()
    client.force_login(order.user)
    html = client.get(f"/fa/shop/accounts/orders/{order.number}/").content.decode()
    assert "ایران" in html and "Iran" not in html
    with translation.override("fa"):
        persian_method = translation.gettext("Free shipping")
    assert persian_method != "Free shipping"
    assert "Free shipping" not in html and persian_method in html


def test_the_staff_order_page_shows_the_method_in_persian_and_its_code_as_an_identifier(client, django_user_model):
    order = _english_order()
    client.force_login(django_user_model.objects.create_superuser("names-admin", "n@example.com", "pw-names-1"))
    html = client.get(f"/fa/dashboard/orders/{order.number}/").content.decode()
    assert "Iran" not in html and "Free shipping" not in html
    assert f"{ISOLATE[0]}FREE-SHIPPING{ISOLATE[1]}" in html  # a code keeps its characters, marked as such


def test_a_card_payment_event_stored_in_english_reads_in_persian_on_the_staff_order_page(client, django_user_model):
    order = _english_order()
    payment = SimpleNamespace(currency=order.currency, amount=order.total_incl_tax, stripe_payment_intent_id="pi_1")
    OrderPayable().on_paid(order, payment)
    assert order.payment_events.get().event_type.name == "Paid by card"  # stored once, in English
    client.force_login(django_user_model.objects.create_superuser("card-admin", "c@example.com", "pw-card-1"))
    html = client.get(f"/fa/dashboard/orders/{order.number}/").content.decode()
    assert "Paid by card" not in html and "پرداخت با کارت" in html
