"""Storefront pages in both languages: status, direction, language switch, dates, digits."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")

pytestmark = pytest.mark.django_db


def storefront_paths(language: str) -> list[str]:
    with translation.override(language):
        product = Product.objects.filter(upc="CHS0000001").get()
        category = Category.objects.get(slug="kitchen")
        from django.urls import reverse

        return [
            f"/{language}/",
            f"/{language}/help/",
            f"/{language}/help/how-to-order/",
            f"/{language}/help/delivery-times/",
            f"/{language}/terms/",
            f"/{language}/handicrafts/",
            reverse("catalogue:index"),
            category.get_absolute_url(),
            product.get_absolute_url(),
            reverse("site_search:results") + "?q=samovar",
            reverse("basket:summary"),
            reverse("customer:login"),
            reverse("customer:register"),
        ]


@pytest.mark.parametrize("language", ["fa", "en"])
def test_every_storefront_page_answers_200_in_both_languages(client, language):
    for path in storefront_paths(language):
        assert path.startswith(f"/{language}/"), path
        response = client.get(path)
        assert response.status_code == 200, path


@pytest.mark.parametrize(
    ("language", "direction"), [("fa", "rtl"), ("en", "ltr")]
)
def test_pages_declare_language_and_direction(client, language, direction):
    for path in storefront_paths(language):
        html = client.get(path).content.decode()
        assert f'<html lang="{language}" dir="{direction}"' in html, path


def test_root_redirects_to_persian_by_default(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="")
    assert response.status_code == 302
    assert response["Location"] == "/fa/"


def test_root_redirects_to_english_for_an_english_browser(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response["Location"] == "/en/"


def _switch_link(html: str, language: str) -> str:
    match = re.search(rf'href="([^"]+)"[^>]*data-language-switch="{language}"', html)
    assert match, "no language switch in the header"
    return match.group(1)


def test_language_switch_keeps_the_same_oscar_page(client):
    with translation.override("fa"):
        fa_url = Product.objects.get(upc="CHS0000001").get_absolute_url()
    with translation.override("en"):
        en_url = Product.objects.get(upc="CHS0000001").get_absolute_url()
    html = client.get(fa_url).content.decode()
    assert _switch_link(html, "en") == en_url
    english = client.get(en_url).content.decode()
    assert "Everyday vacuum cleaner, series 1" in english
    assert _switch_link(english, "fa") == fa_url


def test_language_switch_keeps_the_same_wagtail_page(client):
    html = client.get("/fa/help/warranty-and-returns/").content.decode()
    target = _switch_link(html, "en")
    assert target == "/en/help/warranty-and-returns/"
    english = client.get(target).content.decode()
    assert "Replacement warranty and returns" in english


def test_language_switch_keeps_the_query_string(client):
    html = client.get("/fa/search/?q=kilim").content.decode()
    assert _switch_link(html, "en") == "/en/search/?q=kilim"


def test_persian_pages_show_jalali_dates_and_persian_digits(client):
    html = client.get("/fa/help/how-to-order/").content.decode()
    updated = re.search(r'<p class="meta">([^<]+)</p>', html).group(1)
    assert re.search(r"[۰-۹]{4}", updated), updated  # a Jalali year in Persian digits
    assert any(
        month in updated
        for month in ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
                      "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند")
    )
    assert not re.search(r"\d", updated.translate(str.maketrans("", "", "۰۱۲۳۴۵۶۷۸۹")))


def test_persian_catalogue_shows_prices_and_counts_in_persian_digits(client):
    html = client.get("/fa/shop/").content.decode()
    count = re.search(r'<p class="meta">([^<]+)</p>', html).group(1)
    assert "۳۰" in count
    price = re.search(r'<p class="price_color">([^<]+)</p>', html).group(1)
    assert re.search(r"[۰-۹]", price) and not re.search(r"[0-9]", price)


def test_english_pages_show_gregorian_dates_and_latin_digits(client):
    html = client.get("/en/help/how-to-order/").content.decode()
    updated = re.search(r'<p class="meta">([^<]+)</p>', html).group(1)
    assert re.search(r"20\d\d", updated)
    assert not re.search(r"[۰-۹]", updated)


def test_no_asset_is_loaded_from_another_host(client):
    for language in ("fa", "en"):
        for path in storefront_paths(language):
            html = client.get(path).content.decode()
            external = re.findall(r'<(?:script|link)[^>]+(?:src|href)="((?:https?:)?//[^"]+)"', html)
            assert external == [], (path, external)


def test_header_is_shared_by_wagtail_and_oscar_pages(client):
    for path in ("/fa/", "/fa/help/", "/fa/shop/", "/fa/shop/basket/"):
        html = client.get(path).content.decode()
        assert 'class="site-header"' in html, path
        assert 'name="q"' in html and "data-mini-basket" in html and 'class="site-footer"' in html


def test_search_finds_products_in_either_language_and_letter_form(client):
    english = client.get("/en/search/?q=samovar").content.decode()
    assert "electric samovar" in english.lower()
    # Arabic kaf and yeh in the query still find Persian text.
    persian = client.get("/fa/search/?q=" + "سماور برقي").content.decode()
    assert "سماور برقی" in persian


def test_search_with_an_empty_query_asks_for_words(client):
    response = client.get("/en/search/?q=")
    assert response.status_code == 200
    assert "Type what you are looking for" in response.content.decode()


def test_the_account_pages_link_to_everything_the_customer_has_A1(customer_client):
    from django.urls import reverse

    page = customer_client.get("/en/shop/accounts/orders/").content.decode()
    for name in ("customers:profile", "services_catalog:job-list", "vendors:claim-list", "payments:receipts"):
        with translation.override("en"):
            assert reverse(name) in page, name
