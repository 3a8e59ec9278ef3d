"""The checkout's shipping-address page prints its unbound address form from the cache under
a key made of the form's widgets and values (core/templatetags/form_cache.py, issue 16): the
page is Oscar's byte for byte, an address changed in the session or the address book shows
on the next page, a form with errors still shows them, and a price changed without signals
shows on the next checkout page. Oscar's step bar is kept per language and step."""

from __future__ import annotations

from decimal import Decimal
from unittest import mock

import pytest
from django.core.cache import cache
from django.middleware.csrf import CSRF_SECRET_LENGTH, _unmask_cipher_token
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation
from oscar.core.loading import get_model

from core.middleware import persian_digits_in_html
from tests.integration.test_basket_page_render import TOKEN, add_line, page, section, shopper, without_tokens

pytestmark = pytest.mark.django_db

Country = get_model("address", "Country")
UserAddress = get_model("address", "UserAddress")
StockRecord = get_model("partner", "StockRecord")

ADDRESS = {
    "first_name": "Sara", "last_name": "Ahmadi", "line1": "Valiasr Street 12", "line4": "Tehran",
    "postcode": "14348-43311", "country": "IR", "phone_number": "+989121234567",
}


@pytest.fixture(autouse=True)
def iran(db):
    country, _ = Country.objects.get_or_create(
        iso_3166_1_a2="IR", defaults={"name": "Iran", "printable_name": "Iran", "is_shipping_country": True}
    )
    return country


def address_page(client: Client, lang: str = "fa") -> str:
    return page(client, lang, "shop/checkout/shipping-address/")


def form_html(html: str) -> str:
    return section(html, "new_shipping_address", "</form>")


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_the_page_is_oscar_s_byte_for_byte(lang):
    client, basket = shopper(f"ship-bytes-{lang}")
    add_line(basket)
    kept = address_page(client, lang)
    assert without_tokens(address_page(client, lang)) == without_tokens(kept)  # from the cache
    with mock.patch("core.templatetags.form_cache.form_key", return_value=None):  # the templates
        rendered = address_page(client, lang)
    assert without_tokens(kept) == without_tokens(rendered)
    assert 'name="first_name"' in kept and 'name="line1"' in kept and 'name="notes"' in kept


def secret(token: str) -> str:
    return _unmask_cipher_token(token) if len(token) == 2 * CSRF_SECRET_LENGTH else token


def test_the_kept_form_holds_no_csrf_token():
    first, first_basket = shopper("ship-token-a")
    second, second_basket = shopper("ship-token-b")
    for client, basket in ((first, first_basket), (second, second_basket)):
        add_line(basket)
        address_page(client)  # the same empty form for both: one kept block
    for client in (first, second):
        tokens = TOKEN.findall(form_html(address_page(client)))
        assert len(tokens) == 1
        assert secret(tokens[0][1]) == secret(client.cookies["csrftoken"].value)
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value


def test_the_address_kept_in_the_session_shows_on_the_next_page():
    client, basket = shopper("ship-session")
    add_line(basket)
    address_page(client)  # the empty form, now kept
    assert client.post("/en/shop/checkout/shipping-address/", ADDRESS).status_code == 302
    assert 'value="Valiasr Street 12"' in form_html(address_page(client))
    changed = {**ADDRESS, "line1": "Enghelab Square 7"}
    assert client.post("/en/shop/checkout/shipping-address/", changed).status_code == 302
    html = form_html(address_page(client))
    assert 'value="Enghelab Square 7"' in html and "Valiasr" not in html


def test_an_address_book_entry_changed_without_signals_shows_on_the_next_page(iran):
    client, basket = shopper("ship-book")
    add_line(basket)
    address = UserAddress.objects.create(user=basket.owner, country=iran, **{
        k: v for k, v in ADDRESS.items() if k not in ("country", "phone_number")
    })
    assert "Valiasr Street 12" in address_page(client, "en")
    UserAddress.objects.filter(pk=address.pk).update(line1="Azadi Street 3")
    html = address_page(client, "en")
    assert "Azadi Street 3" in html and "Valiasr Street 12" not in html


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_a_failed_post_shows_its_errors_and_values(lang):
    client, basket = shopper(f"ship-errors-{lang}")
    add_line(basket)
    address_page(client, lang)  # the empty form, now kept
    response = client.post(f"/{lang}/shop/checkout/shipping-address/", {**ADDRESS, "first_name": "", "line1": ""})
    assert response.status_code == 200
    html = form_html(response.content.decode())
    assert 'class="error-block"' in html and 'value="Ahmadi"' in html
    assert 'class="alert alert-danger"' in response.content.decode()
    # The next GET is the clean form again, not the form with errors.
    assert 'class="error-block"' not in form_html(address_page(client, lang))


def test_a_price_changed_without_signals_shows_on_the_next_checkout_page():
    client, basket = shopper("ship-price")
    line = add_line(basket, "9.00", 2)
    assert client.post("/en/shop/checkout/shipping-address/", ADDRESS).status_code == 302
    assert client.get("/en/shop/checkout/shipping-method/").status_code == 302
    assert "18.00" in client.get("/en/shop/checkout/payment-details/").content.decode()
    StockRecord.objects.filter(pk=line.stockrecord_id).update(price=Decimal("11.00"))
    html = client.get("/en/shop/checkout/payment-details/").content.decode()
    assert "22.00" in html and "18.00" not in html


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_the_step_bar_is_kept_and_is_oscars(lang):
    client, basket = shopper(f"ship-steps-{lang}")
    add_line(basket)
    address_page(client, lang)
    html = address_page(client, lang)
    with translation.override(lang):
        oscars = render_to_string("oscar/checkout/nav.html", {"step": 1}).strip()
    assert (persian_digits_in_html(oscars) if lang == "fa" else oscars) in html
    kept = [value for key, value in cache._cache.items() if ":rows:" in key and b"nav-checkout" in value]
    assert len(kept) == 1  # one kept step bar for this language and step
