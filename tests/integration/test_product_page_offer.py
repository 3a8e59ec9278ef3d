"""The product page reads the product's stock records with the product (issue 16,
shop/catalogue/views.py) and still offers the first active vendor's record: a suspended
vendor's offer is never the one shown or sold."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation
from oscar.core.loading import get_model

from tests.factories_vendors import make_vendor, make_vendor_product
from tests.helpers.roles import make_staff
from vendors.services import vendor_suspend

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]
StockRecord = get_model("partner", "StockRecord")


def test_the_page_shows_the_first_active_vendors_offer(client):
    first, second = make_vendor(), make_vendor()
    product = make_vendor_product(first, price="11.00", stock=4)
    StockRecord.objects.create(product=product, partner=second, partner_sku="second-1",
                               price=Decimal("13.00"), num_in_stock=4)
    with translation.override("en"):
        path = product.get_absolute_url()
    assert "11.00" in client.get(path).content.decode()
    vendor_suspend(partner=first, staff_user=make_staff(), reason="test")
    html = client.get(path).content.decode()
    assert "13.00" in html and "11.00" not in html
