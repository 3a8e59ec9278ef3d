"""The catalogue's product cards are rendered once per catalogue version (issue 16,
shop/catalogue/templatetags/listing_cache.py): a change of price or stock shows on the
next page view, and each visitor's basket forms carry their own CSRF token."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation
from oscar.core.loading import get_model

from tests.factories import make_category
from tests.factories_vendors import make_vendor, make_vendor_product

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]
Basket = get_model("basket", "Basket")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def product():
    category = make_category("دسته", "Cached category")
    return make_vendor_product(make_vendor(), price="12.00", stock=3, category=category)


def card(client: Client, path: str, product) -> str:
    html = client.get(path).content.decode()
    start = html.index(f'data-product-id="{product.pk}"')
    return html[start:html.index("</article>", start)]


@pytest.mark.parametrize("where", ["catalogue", "category"])
def test_a_new_price_and_stock_show_at_once(client, product, where):
    with translation.override("en"):  # English digits in the card, as on /en/shop/
        path = "/en/shop/" if where == "catalogue" else product.categories.get().get_absolute_url()
    assert "12.00" in card(client, path, product) and "(3 available)" in card(client, path, product)
    record = product.stockrecords.get()
    record.price = Decimal("15.50")
    record.save()
    shown = card(client, path, product)
    assert "15.50" in shown and "12.00" not in shown
    record.allocate(1)  # an order's allocation (Oscar's update) retires the cards too
    assert "(2 available)" in card(client, path, product)
    record.num_in_stock = 1
    record.save()
    assert "data-add-to-basket" not in card(client, path, product)


def test_each_visitor_gets_their_own_token_and_the_cached_form_adds_to_the_basket(product):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/en/shop/")  # renders and stores the cards
    html = second.get("/en/shop/").content.decode()
    token = TOKEN.search(card(second, "/en/shop/", product)).group(1)
    assert "__chaarsoo_csrf_token__" not in html
    assert token != TOKEN.search(card(first, "/en/shop/", product)).group(1)
    reply = second.post(f"/en/shop/basket/add/{product.pk}/", {"csrfmiddlewaretoken": token, "quantity": 1})
    assert reply.status_code == 302
    assert Basket.objects.get(lines__product=product).num_items == 1
