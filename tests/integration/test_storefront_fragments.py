"""Issue 16, third pass: what the storefront keeps between requests is never stale where it
matters.

- The product page's visitor-independent blocks (breadcrumb, gallery, description, the
  information table with price and availability) are cached under a key made of what the
  request has just read: a price or stock change shows on the next view, even when it was
  written without any signal (another process, a queryset update), so the version number
  that retires cached pages was not bumped here.
- Wagtail's site and a Wagtail page's other-language links come from the cache; a site
  change or a renamed translation shows on the next page.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model
from wagtail.models import Locale, Page, Site

from tests.factories_vendors import make_vendor, make_vendor_product

pytestmark = pytest.mark.django_db

StockRecord = get_model("partner", "StockRecord")


def product_page(client, product, language: str = "en") -> str:
    from django.utils import translation

    with translation.override(language):
        path = product.get_absolute_url()
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def info_table(html: str) -> str:
    """The product page's information table (a cached block)."""
    start = html.index("Product Information")
    return html[start:html.index("</table>", start)]


@pytest.fixture
def product():
    return make_vendor_product(make_vendor(), price="123.00", stock=7)


def test_a_price_written_without_signals_shows_on_the_next_product_page(client, product):
    assert "123" in info_table(product_page(client, product))
    # As another worker's or a script's write: no post_save here, no version bumped.
    StockRecord.objects.filter(product=product).update(price=Decimal("456.00"))
    table = info_table(product_page(client, product))
    assert "456" in table
    assert "123" not in table


def test_stock_taken_by_an_order_shows_on_the_next_product_page(client, product):
    assert "7 available" in info_table(product_page(client, product))
    StockRecord.objects.filter(product=product).update(num_allocated=5)
    assert "2 available" in info_table(product_page(client, product))
    StockRecord.objects.filter(product=product).update(num_allocated=7)
    table = info_table(product_page(client, product))
    assert "7 available" not in table
    assert "2 available" not in table


def test_a_changed_title_and_a_suspended_vendor_show_on_the_next_product_page(client, product):
    product_page(client, product)
    product.title_en = "A renamed kettle"
    product.save()
    assert "A renamed kettle" in product_page(client, product)
    record = StockRecord.objects.get(product=product)
    type(record.partner).objects.filter(pk=record.partner_id).update(status="suspended")
    assert "123" not in info_table(product_page(client, product))


def test_the_product_pages_fixed_blocks_are_rendered_once(client, product):
    product_page(client, product)
    with CaptureQueriesContext(connection) as captured:
        product_page(client, product)
    queries = [query["sql"] for query in captured.captured_queries]
    # Attributes (information table) and categories (breadcrumb) come from the cached blocks.
    assert not [sql for sql in queries if "catalogue_productattributevalue" in sql]
    assert not [sql for sql in queries if sql.startswith('SELECT "catalogue_category"."id"')]


def test_persian_and_english_product_pages_are_cached_apart(client, product):
    english = info_table(product_page(client, product, "en"))
    persian = product_page(client, product, "fa")
    assert "Product Information" in english
    assert "Product Information" not in persian


# ------------------------------------------------------------------ Wagtail
def test_a_wagtail_page_asks_for_its_site_and_language_links_once(client):
    client.get("/fa/help/how-to-order/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/fa/help/how-to-order/").status_code == 200
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert "wagtailcore_site" not in sql
    assert "'en'" not in sql  # the English locale, looked up for the language switch


def test_a_site_change_shows_on_the_next_page(client):
    client.get("/fa/")
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Renamed site"
    site.save()
    response = client.get("/fa/")
    assert response.status_code == 200
    assert response.wsgi_request._wagtail_site.site_name == "Renamed site"


def test_a_renamed_translation_shows_in_the_language_switch_on_the_next_page(client):
    client.get("/fa/help/how-to-order/")
    persian_page = Page.objects.get(url_path__endswith="/how-to-order/", locale__language_code="fa")
    english_page = Page.objects.get(
        locale=Locale.objects.get(language_code="en"), translation_key=persian_page.translation_key
    ).specific
    english_page.slug = "ordering-renamed"
    english_page.save_revision().publish()
    persian = client.get("/fa/help/how-to-order/").content.decode()
    assert "/en/help/ordering-renamed/" in persian


# ------------------------------------------------------------------ services list
def test_a_changed_service_price_shows_on_the_next_services_list(client):
    from tests.factories_services import make_service

    service = make_service(base_price="777.00", name_en="Fragment test service")
    category = service.category.slug
    html = client.get(f"/en/services/?category={category}").content.decode()
    assert "777" in html
    with CaptureQueriesContext(connection) as captured:
        client.get(f"/en/services/?category={category}")
    # The cards (services, their areas and tiers) came from the cache on the second view.
    assert not [query for query in captured.captured_queries if "services_catalog_pricetier" in query["sql"]]
    service.base_price = Decimal("888.00")
    service.save()
    html = client.get(f"/en/services/?category={category}").content.decode()
    assert "888" in html
    assert "777" not in html


# ------------------------------------------------------------------ the product page's promises
def test_a_changed_contract_shows_in_the_promises_on_the_next_product_page(client, product):
    from vendors.models import ProductTerm

    html = product_page(client, product)
    assert "365 days" in html
    with CaptureQueriesContext(connection) as captured:
        product_page(client, product)
    # The contract's terms came from the cache on the second view.
    assert not [query for query in captured.captured_queries if "vendors_productterm" in query["sql"]]
    contract = StockRecord.objects.get(product=product).partner.contract
    contract.default_warranty_days = 200
    contract.save()
    assert "200 days" in product_page(client, product)
    ProductTerm.objects.create(contract=contract, product=product, warranty_days=30)
    assert "30 days" in product_page(client, product)
