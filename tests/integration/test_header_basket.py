"""The header's basket count and total (shop.basket_summary, issue 16) are kept in the
cache but never stale: a price, stock, quantity, line, offer, range or clock change shows
on the very next page, and they always equal what the basket page shows."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_offer

from tests.factories import make_category
from tests.factories_vendors import make_vendor, make_vendor_product

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
Benefit = get_model("offer", "Benefit")
Condition = get_model("offer", "Condition")
Range = get_model("offer", "Range")
StockRecord = get_model("partner", "StockRecord")
Line = get_model("basket", "Line")
Selector = get_class("partner.strategy", "Selector")

PAGE = "/en/shop/accounts/orders/"


@pytest.fixture
def shopper(client):
    user = get_user_model().objects.create_user("header-shopper", "header-shopper@example.com", "x")
    client.force_login(user)
    return user


def add_line(basket, price: str = "9.00", quantity: int = 2, category=None):
    """A new vendor's product added to `basket` the way the basket page adds it."""
    product = make_vendor_product(make_vendor(), price=price, stock=10, category=category)
    basket.strategy = Selector().strategy(user=basket.owner)
    line, _created = basket.add_product(product, quantity)
    return line


def header(client, path: str = PAGE) -> tuple[str, str | None]:
    page = client.get(path).content.decode()
    count = re.search(r"data-basket-count>([^<]*)<", page).group(1).strip()
    total = re.search(r'class="site-tools__total">([^<]*)<', page)
    return count, (total.group(1).strip() if total else None)


def amount(text: str | None) -> str | None:
    return None if text is None else re.search(r"[0-9][0-9,]*\.[0-9]{2}", text).group(0)


def percent_offer(product_range, percent: int = 10, start=None):
    condition = Condition.objects.create(range=product_range, type=Condition.COUNT, value=1)
    benefit = Benefit.objects.create(range=product_range, type=Benefit.PERCENTAGE, value=percent)
    return create_offer(name=f"{percent} percent off", condition=condition, benefit=benefit, start=start)


def test_the_header_shows_the_basket_and_the_second_page_does_not_load_it(client, shopper):
    basket = Basket.objects.create(owner=shopper)
    add_line(basket, "9.00", 2)
    add_line(basket, "5.00", 1)
    assert header(client) == ("3", header(client)[1])
    assert amount(header(client)[1]) == "23.00"

    with CaptureQueriesContext(connection) as captured:
        assert amount(header(client)[1]) == "23.00"
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert "basket_lineattribute" not in sql and "offer_conditionaloffer" not in sql


def test_an_empty_or_missing_basket_shows_zero_without_creating_one(client, shopper):
    assert header(client) == ("0", None)
    assert not Basket.objects.filter(owner=shopper).exists()
    Basket.objects.create(owner=shopper)
    assert header(client) == ("0", None)


def test_a_price_quantity_or_line_change_shows_on_the_next_page(client, shopper):
    basket = Basket.objects.create(owner=shopper)
    line = add_line(basket, "9.00", 2)
    assert amount(header(client)[1]) == "18.00"

    StockRecord.objects.filter(pk=line.stockrecord_id).update(price=Decimal("7.00"))  # no signal
    assert amount(header(client)[1]) == "14.00"

    Line.objects.filter(pk=line.pk).update(quantity=3)
    assert header(client)[0] == "3" and amount(header(client)[1]) == "21.00"

    other = add_line(basket, "1.50", 2)
    assert header(client)[0] == "5" and amount(header(client)[1]) == "24.00"

    other.delete()
    line.delete()
    assert header(client) == ("0", None)


def test_an_offer_created_suspended_or_narrowed_shows_on_the_next_page(client, shopper):
    category = make_category("دستهٔ تخفیف", "Discounted")
    basket = Basket.objects.create(owner=shopper)
    add_line(basket, "10.00", 2, category=category)
    assert amount(header(client)[1]) == "20.00"

    product_range = Range.objects.create(name="Discounted")
    product_range.included_categories.add(category)
    offer = percent_offer(product_range, 10)
    assert amount(header(client)[1]) == "18.00"

    offer.suspend()
    assert amount(header(client)[1]) == "20.00"
    offer.unsuspend()
    assert amount(header(client)[1]) == "18.00"

    product_range.included_categories.remove(category)
    assert amount(header(client)[1]) == "20.00"


def test_an_offer_that_starts_later_applies_from_its_start(client, shopper):
    basket = Basket.objects.create(owner=shopper)
    add_line(basket, "10.00", 1)
    starts = timezone.now() + dt.timedelta(hours=1)
    percent_offer(Range.objects.create(name="All", includes_all_products=True), 50, start=starts)
    assert amount(header(client)[1]) == "10.00"

    later = starts + dt.timedelta(seconds=1)
    # Oscar's offers read the clock through their own imports of `now`.
    with (mock.patch("django.utils.timezone.now", return_value=later),
          mock.patch("oscar.apps.offer.managers.now", return_value=later),
          mock.patch("oscar.apps.offer.abstract_models.now", return_value=later)):
        assert amount(header(client)[1]) == "5.00"
        assert amount(header(client, "/en/shop/basket/")[1]) == "5.00"


@pytest.mark.parametrize("language", ["en", "fa"])
def test_the_header_total_is_the_basket_pages_total(client, shopper, language):
    basket = Basket.objects.create(owner=shopper)
    add_line(basket, "12.50", 2)
    percent_offer(Range.objects.create(name="All", includes_all_products=True), 20)
    header(client, f"/{language}/shop/")  # kept in the cache
    cached_total = header(client, f"/{language}/shop/")[1]
    basket_page = client.get(f"/{language}/shop/basket/")
    assert header(client, f"/{language}/shop/basket/")[1] == cached_total
    loaded = basket_page.context["basket"]
    assert loaded.total_incl_tax == Decimal("20.00")
    assert amount(cached_total.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹٫", "0123456789."))) == "20.00"


def basket_queries(client) -> list[str]:
    client.get(PAGE)
    with CaptureQueriesContext(connection) as captured:
        client.get(PAGE)
    return [query["sql"] for query in captured.captured_queries if "basket_" in query["sql"]]


def test_the_header_reads_the_open_basket_and_its_lines_in_one_query(client, shopper):
    assert len(basket_queries(client)) == 1  # no basket
    basket = Basket.objects.create(owner=shopper)
    assert len(basket_queries(client)) == 1  # an empty basket
    add_line(basket, "9.00", 2)
    add_line(basket, "5.00", 1)
    queries = basket_queries(client)
    assert len(queries) == 1 and "basket_line" in queries[0]
    assert header(client)[0] == "3" and amount(header(client)[1]) == "23.00"


def test_two_open_baskets_are_merged_by_oscar_as_before(client, shopper):
    first = Basket.objects.create(owner=shopper)
    add_line(first, "9.00", 1)
    second = Basket.objects.create(owner=shopper)
    add_line(second, "5.00", 2)
    assert header(client)[0] == "3" and amount(header(client)[1]) == "19.00"
    assert Basket.open.filter(owner=shopper).count() == 1


def test_a_basket_with_a_voucher_is_summarised_from_the_loaded_basket(client, shopper):
    Voucher = get_model("voucher", "Voucher")
    product_range = Range.objects.create(name="Voucher range", includes_all_products=True)
    condition = Condition.objects.create(range=product_range, type=Condition.COUNT, value=1)
    benefit = Benefit.objects.create(range=product_range, type=Benefit.PERCENTAGE, value=50)
    offer = create_offer(name="Half with a voucher", condition=condition, benefit=benefit,
                         offer_type="Voucher")
    voucher = Voucher.objects.create(name="Half", code="HALF50", start_datetime=timezone.now() - dt.timedelta(days=1),
                                     end_datetime=timezone.now() + dt.timedelta(days=1))
    voucher.offers.add(offer)
    basket = Basket.objects.create(owner=shopper)
    add_line(basket, "10.00", 2)
    assert amount(header(client)[1]) == "20.00"
    basket.vouchers.add(voucher)
    assert amount(header(client)[1]) == "10.00"
    basket.vouchers.remove(voucher)
    assert amount(header(client)[1]) == "20.00"
