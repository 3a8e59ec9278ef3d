"""The basket page's lines are printed from the cache under a key made of their values
(shop.basket_rows, issue 16): the page is Oscar's byte for byte, and a price, stock,
quantity, title or offer change shows on the very next page; a formset with errors still
shows them, and no shopper ever gets another's CSRF token."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from decimal import Decimal
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from tests.factories import make_category
from tests.factories_vendors import iran, make_vendor, make_vendor_product
from tests.integration.test_header_basket import percent_offer
from vendors.models import Contract

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
Benefit = get_model("offer", "Benefit")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Voucher = get_model("voucher", "Voucher")
UserAddress = get_model("address", "UserAddress")
Line = get_model("basket", "Line")
Product = get_model("catalogue", "Product")
Range = get_model("offer", "Range")
StockRecord = get_model("partner", "StockRecord")
Selector = get_class("partner.strategy", "Selector")

TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]+)(")')


def shopper(name: str) -> tuple[Client, object]:
    user = get_user_model().objects.create_user(name, f"{name}@example.com", "x")
    client = Client()
    client.force_login(user)
    return client, Basket.objects.create(owner=user)


def add_line(basket, price: str = "9.00", quantity: int = 2, category=None):
    product = make_vendor_product(make_vendor(), price=price, stock=10, category=category)
    basket.strategy = Selector().strategy(user=basket.owner)
    line, _created = basket.add_product(product, quantity)
    return line


def page(client: Client, lang: str = "fa", path: str = "shop/basket/") -> str:
    response = client.get(f"/{lang}/{path}")
    assert response.status_code == 200
    return response.content.decode()


def without_tokens(html: str) -> str:
    html = TOKEN.sub(r"\1-\3", html)
    return re.sub(r'nonce="[^"]*"', 'nonce="-"', html)


@contextmanager
def oscar_blocks() -> Iterator[None]:
    """Every kept block of the page printed by Oscar's own templates instead."""
    with ExitStack() as stack:
        for name in ("line_rows", "totals_values", "voucher_values", "promise_values"):
            stack.enter_context(mock.patch(f"shop.basket_loading.{name}", return_value=None))
        yield


def section(html: str, element_id: str, closing_tag: str) -> str:
    """The page from the element with `element_id` to the first `closing_tag` after it."""
    start = html.index(f'id="{element_id}"')
    return html[start : html.index(closing_tag, start)]


def totals_html(html: str) -> str:
    return section(html, "basket_totals", "</table>")


def promises_html(html: str) -> str:
    return section(html, "delivery-promises", "</section>")


def line_html(html: str) -> str:
    return section(html, "basket_formset", "</form>")


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_the_page_is_oscar_s_byte_for_byte(lang):
    client, basket = shopper(f"bytes-{lang}")
    add_line(basket, "9.00", 2)
    add_line(basket, "1250.50", 1)
    kept = page(client, lang)
    assert without_tokens(page(client, lang)) == without_tokens(kept)  # from the cache, the same again
    with oscar_blocks():
        oscar = page(client, lang)
    assert without_tokens(kept) == without_tokens(oscar)
    assert 'name="form-1-quantity"' in kept and 'data-behaviours="save"' in kept


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_a_price_changed_without_signals_shows_on_the_next_page(lang):
    client, basket = shopper(f"price-{lang}")
    line = add_line(basket, "9.00", 2)
    assert "18.00" in line_html(page(client, "en"))
    before = line_html(page(client, lang))
    StockRecord.objects.filter(pk=line.stockrecord_id).update(price=Decimal("7.00"))
    after = line_html(page(client, lang))
    assert after != before
    assert "14.00" in line_html(page(client, "en"))


def test_stock_quantity_and_title_changes_show_on_the_next_page():
    client, basket = shopper("changes")
    line = add_line(basket, "9.00", 2)
    html = line_html(page(client, "en"))
    assert 'max="10"' in html and 'value="2"' in html
    StockRecord.objects.filter(pk=line.stockrecord_id).update(num_in_stock=4)
    html = line_html(page(client, "en"))
    assert 'max="4"' in html and "(4 available)" in html
    Line.objects.filter(pk=line.pk).update(quantity=3)
    html = line_html(page(client, "en"))
    assert 'name="form-0-quantity" value="3"' in html and "27.00" in html
    Product.objects.filter(pk=line.product_id).update(title="Renamed lamp", title_en="Renamed lamp")
    assert 'alt="Renamed lamp"' in line_html(page(client, "en"))
    StockRecord.objects.filter(pk=line.stockrecord_id).update(num_in_stock=0)
    assert 'class="availability outofstock"' in line_html(page(client, "en"))


def test_a_new_offer_shows_on_the_next_page():
    client, basket = shopper("offer")
    category = make_category("Offer lamps")
    add_line(basket, "10.00", 2, category=category)
    assert "10 percent off" not in page(client, "en")
    product_range = Range.objects.create(name="Offer lamps range")
    product_range.included_categories.add(category)
    percent_offer(product_range, 10)
    html = page(client, "en")
    assert "10 percent off" in html and "18.00" in html


def test_a_formset_with_errors_shows_them_and_its_bound_values():
    client, basket = shopper("errors")
    line = add_line(basket, "9.00", 2)
    page(client, "en")  # the unbound lines are in the cache
    data = {
        "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000", "form-0-id": str(line.pk), "form-0-quantity": "99",
    }
    response = client.post("/en/shop/basket/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-block"' in html and 'name="form-0-quantity" value="99"' in html
    assert 'class="input-group error"' in html
    assert 'value="2"' in line_html(page(client, "en"))  # and the next GET is the unbound one again


def test_two_shoppers_never_get_each_other_s_token():
    first, first_basket = shopper("token-a")
    second, second_basket = shopper("token-b")
    for basket in (first_basket, second_basket):
        add_line(basket, "9.00", 1)
    a, b = page(first), page(second)
    tokens_a, tokens_b = {m.group(2) for m in TOKEN.finditer(a)}, {m.group(2) for m in TOKEN.finditer(b)}
    assert tokens_a and tokens_b and not tokens_a & tokens_b
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    # The kept lines hold no token: a second view of the same basket has the shopper's own.
    assert {m.group(2) for m in TOKEN.finditer(page(second))}.isdisjoint(tokens_a)


def voucher_for(basket, category, percent: int = 10):
    """A voucher of `percent` off the category, added to the basket."""
    product_range = Range.objects.create(name=f"Voucher range {percent}")
    product_range.included_categories.add(category)
    offer = percent_offer(product_range, percent)
    ConditionalOffer.objects.filter(pk=offer.pk).update(offer_type=ConditionalOffer.VOUCHER)
    now = timezone.now()
    voucher = Voucher.objects.create(
        name="Lamp voucher", code="LAMPS", usage=Voucher.MULTI_USE,
        start_datetime=now - dt.timedelta(days=1), end_datetime=now + dt.timedelta(days=30),
    )
    voucher.offers.add(offer)
    basket.vouchers.add(voucher)
    return offer


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_with_a_voucher_the_page_is_oscar_s_and_the_discount_is_fresh(lang):
    client, basket = shopper(f"voucher-{lang}")
    category = make_category(f"Voucher lamps {lang}")
    add_line(basket, "10.00", 2, category=category)
    offer = voucher_for(basket, category, 10)
    kept = page(client, lang)
    assert "LAMPS" in totals_html(kept) and "vouchers/" in totals_html(kept)  # the remove form
    again = page(client, lang)  # from the cache: the shopper's own token in the totals' form
    assert without_tokens(again) == without_tokens(kept)
    tokens = {m.group(2) for m in TOKEN.finditer(totals_html(again))}
    assert len(tokens) == 1 and tokens <= {m.group(2) for m in TOKEN.finditer(line_html(again))}
    with oscar_blocks():
        assert without_tokens(page(client, lang)) == without_tokens(kept)
    # A discount changed behind the models' back shows on the next page.
    Benefit.objects.filter(pk=offer.benefit_id).update(value=25)
    html = totals_html(page(client, "en"))
    assert "-€5.00" in html and "€15.00" in html and "-€2.00" not in html


def test_an_offer_s_discount_and_a_price_change_show_in_the_totals():
    client, basket = shopper("totals")
    category = make_category("Totals lamps")
    line = add_line(basket, "10.00", 2, category=category)
    product_range = Range.objects.create(name="Totals range")
    product_range.included_categories.add(category)
    offer = percent_offer(product_range, 10)
    html = totals_html(page(client, "en"))
    assert "-€2.00" in html and "€18.00" in html
    Benefit.objects.filter(pk=offer.benefit_id).update(value=50)
    html = totals_html(page(client, "en"))
    assert "-€10.00" in html and "€10.00" in html and "€18.00" not in html
    StockRecord.objects.filter(pk=line.stockrecord_id).update(price=Decimal("30.00"))
    html = totals_html(page(client, "en"))
    assert "€60.00" in html and "-€30.00" in html


def test_a_promised_date_changed_without_signals_shows_on_the_next_page():
    client, basket = shopper("promise")
    line = add_line(basket, "9.00", 1)
    html = page(client, "en")
    first = re.search(r'data-promised-by="([^"]+)"', promises_html(html)).group(1)
    assert first == str(timezone.localdate() + dt.timedelta(days=5))
    Contract.objects.filter(partner_id=line.stockrecord.partner_id).update(default_delivery_days=9)
    html = promises_html(page(client, "en"))
    assert f'data-promised-by="{timezone.localdate() + dt.timedelta(days=9)}"' in html


def test_the_default_shipping_address_is_oscar_s_read_fresh():
    from shop.basket_loading import BasketView

    client, basket = shopper("address")
    user = basket.owner
    view = BasketView()
    view.request = mock.Mock(user=user)
    assert view.get_default_shipping_address() is None
    fields = {"first_name": "A", "line1": "x", "line4": "Tehran", "postcode": "11111-11111", "country": iran()}
    UserAddress.objects.create(user=user, **fields)
    default = UserAddress.objects.create(user=user, is_default_for_shipping=True, **{**fields, "line1": "y"})
    found = view.get_default_shipping_address()
    assert found == user.addresses.filter(is_default_for_shipping=True).first() == default
    assert found.line4 == "Tehran" and found.country_id == default.country_id
    UserAddress.objects.filter(pk=default.pk).update(is_default_for_shipping=False)
    assert view.get_default_shipping_address() is None
