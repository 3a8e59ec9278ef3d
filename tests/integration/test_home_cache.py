"""The home page body (product and service shelves) is rendered once per catalogue version
(issue 16): a shelf product's new price shows on the next view, and a new revision of the
page is shown at once when it is published."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from cms.models import HomePage

pytestmark = pytest.mark.django_db


def shelf_product_ids(html: str) -> list[str]:
    return re.findall(r'data-product-id="(\d+)"', html)


def test_a_shelf_products_new_price_and_a_new_revision_show_at_once(client):
    home = HomePage.objects.get(locale__language_code="en")
    html = client.get("/en/").content.decode()
    ids = shelf_product_ids(html)
    assert ids, "the demo home page has a product shelf"
    product = next(block.value["products"][0] for block in home.body if block.block_type == "products")
    record = product.stockrecords.first()
    record.price = Decimal("987.65")
    record.save()
    assert "987.65" in client.get("/en/").content.decode()

    home.hero_title = "A new hero"
    home.save_revision().publish()
    assert "A new hero" in client.get("/en/").content.decode()
