"""Issue 16, third pass: what the storefront keeps between requests is never stale where it
matters.

- The product page's visitor-independent blocks (breadcrumb, gallery, description, the
  information table with price and availability) are cached under a key made of what the
  request has just read: a price or stock change shows on the next view, even when it was
  written without any signal (another process, a queryset update), so the version number
  that retires cached pages was not bumped here.
- The price and stock block with the vendor's promises (keyed also by the visitor's
  region), the add-to-basket form (the visitor's own CSRF token put back in) and, for a
  visitor who is not signed in, the reviews block are cached the same way: a price, stock,
  vendor, review or language change shows on the next view, a form with errors is never
  replaced by the cached one, and a product with options builds its form afresh.
- Wagtail's site and a Wagtail page's other-language links come from the cache; a site
  change or a renamed translation shows on the next page.
"""

from __future__ import annotations

import re
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model
from wagtail.models import Locale, Page, Site

from tests.factories_vendors import make_vendor, make_vendor_product

pytestmark = pytest.mark.django_db

StockRecord = get_model("partner", "StockRecord")
Basket = get_model("basket", "Basket")
Option = get_model("catalogue", "Option")
ProductReview = get_model("reviews", "ProductReview")
ProductRecommendation = get_model("catalogue", "ProductRecommendation")
UserAddress = get_model("address", "UserAddress")


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
    assert "123.00" in info_table(product_page(client, product))
    # As another worker's or a script's write: no post_save here, no version bumped.
    StockRecord.objects.filter(product=product).update(price=Decimal("456.00"))
    table = info_table(product_page(client, product))
    assert "456.00" in table
    assert "123.00" not in table


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
    assert "123.00" not in info_table(product_page(client, product))


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


def stock_block(html: str) -> str:
    """The price, availability and promises at the top of the product page (a cached block)."""
    start = html.index('class="price_color"')
    return html[start:html.index("</ul>", html.index('id="product-promises"'))]


def basket_form(html: str) -> str:
    start = html.index('id="add_to_basket_form"')
    return html[start:html.index("</form>", start)]


def csrf_token_of(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"', basket_form(html)).group(1)


def reviews_block(html: str) -> str:
    start = html.index('id="reviews"')
    return html[start:html.index("</section>", start)]


def test_a_price_and_stock_change_show_in_the_price_and_promises_on_the_next_view(client, product):
    block = stock_block(product_page(client, product))
    # The prices as printed ("123.00"): a vendor's name may hold "123" (factory numbering).
    assert "123.00" in block and "7 in stock" in block
    StockRecord.objects.filter(product=product).update(price=Decimal("456.00"), num_allocated=4)
    block = stock_block(product_page(client, product))
    assert "456.00" in block and "123.00" not in block
    assert "3 in stock" in block and "7 in stock" not in block


def test_a_sold_out_product_loses_its_basket_form_on_the_next_view(client, product):
    assert 'id="add_to_basket_form"' in product_page(client, product)
    StockRecord.objects.filter(product=product).update(num_allocated=7)
    html = product_page(client, product)
    assert 'id="add_to_basket_form"' not in html
    assert 'id="alert_form"' in html
    StockRecord.objects.filter(product=product).update(num_allocated=0)
    assert 'id="add_to_basket_form"' in product_page(client, product)


def test_a_suspended_vendor_loses_the_basket_form_and_promises_on_the_next_view(client, product):
    html = product_page(client, product)
    assert 'id="add_to_basket_form"' in html and 'id="product-promises"' in html
    record = StockRecord.objects.get(product=product)
    type(record.partner).objects.filter(pk=record.partner_id).update(status="suspended")
    html = product_page(client, product)
    assert 'id="add_to_basket_form"' not in html
    assert 'id="product-promises"' not in html


def test_the_basket_form_is_built_once_and_follows_the_language(client, product):
    english_page = product_page(client, product, "en")
    english = basket_form(english_page)
    assert "Add to cart" in english and 'action="/en/' in english
    persian = basket_form(product_page(client, product, "fa"))
    assert "Add to cart" not in persian and 'action="/fa/' in persian
    # The next view's form comes from the cache: Oscar's form is not built again.
    from oscar.templatetags import basket_tags

    with mock.patch.object(basket_tags, "SimpleAddToBasketForm", side_effect=AssertionError("built again")):
        again_page = product_page(client, product, "en")
    again = basket_form(again_page).replace(csrf_token_of(again_page), "")
    assert again == english.replace(csrf_token_of(english_page), "")


def test_each_signed_in_shopper_gets_their_own_csrf_token_and_the_add_works(product):
    from django.test import Client

    from tests.factories import UserFactory

    alice, bob = UserFactory(), UserFactory()
    alice_client, bob_client = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    alice_client.force_login(alice)
    bob_client.force_login(bob)
    alice_token = csrf_token_of(product_page(alice_client, product))
    bob_html = product_page(bob_client, product)  # the form from the cache
    bob_token = csrf_token_of(bob_html)
    assert "__chaarsoo_csrf_token__" not in bob_html
    action = re.search(r'id="add_to_basket_form" action="([^"]+)"', bob_html).group(1)
    # Alice's token is no good for Bob's session; the one on Bob's page is.
    refused = bob_client.post(action, {"quantity": 1, "csrfmiddlewaretoken": alice_token})
    assert refused.status_code == 403
    added = bob_client.post(action, {"quantity": 1, "csrfmiddlewaretoken": bob_token})
    assert added.status_code == 302
    basket = Basket.objects.get(owner=bob, status=Basket.OPEN)
    assert [line.product_id for line in basket.lines.all()] == [product.pk]


def test_a_refused_add_shows_its_errors_not_the_cached_form(client, product):
    html = product_page(client, product)
    action = re.search(r'id="add_to_basket_form" action="([^"]+)"', html).group(1)
    client.post(action, {"quantity": 0}, HTTP_REFERER=product.get_absolute_url())
    form = basket_form(product_page(client, product))
    assert "Oops! We found some errors" in form
    # Oscar forgets the refused post once shown: the next view has the plain form again.
    assert "Oops! We found some errors" not in basket_form(product_page(client, product))


def test_an_option_added_to_the_products_class_shows_in_its_form(client, product):
    assert "Engraving" not in basket_form(product_page(client, product))
    option = Option.objects.create(name="Engraving", code="engraving", type=Option.TEXT, required=False)
    # Through the class's options, with no save of the product or its class.
    product.get_product_class().options.add(option)
    assert "Engraving" in basket_form(product_page(client, product))


def test_a_newly_approved_review_shows_on_the_next_view(client, product):
    from tests.factories import UserFactory

    assert "does not have any reviews yet" in reviews_block(product_page(client, product))
    review = ProductReview.objects.create(product=product, user=UserFactory(), score=4, title="Sturdy kettle",
                                          body="Boils fast.", status=ProductReview.FOR_MODERATION)
    assert "Sturdy kettle" not in reviews_block(product_page(client, product))
    review.status = ProductReview.APPROVED
    review.save()
    block = reviews_block(product_page(client, product))
    assert "Sturdy kettle" in block and "does not have any reviews yet" not in block
    # Withdrawn without a signal (a queryset update): the count in the key changes.
    ProductReview.objects.filter(pk=review.pk).update(status=ProductReview.REJECTED)
    assert "Sturdy kettle" not in reviews_block(product_page(client, product))


def test_a_signed_in_shopper_sees_their_own_review_and_region(client, product):
    from tests.factories import UserFactory
    from tests.factories_vendors import iran

    shopper = UserFactory()
    ProductReview.objects.create(product=product, user=shopper, score=5, title="Mine", body="Good.",
                                 status=ProductReview.APPROVED)
    anonymous = product_page(client, product)
    assert "Reviewed by you" not in reviews_block(anonymous)
    assert "depending on your region" in stock_block(anonymous)
    UserAddress.objects.create(user=shopper, first_name="A", line1="x", line4="Isfahan", state="Isfahan",
                               postcode="81466-55555", country=iran(), is_default_for_shipping=True)
    client.force_login(shopper)
    signed_in = product_page(client, product)
    assert "Reviewed by you" in reviews_block(signed_in)
    assert "Delivery to Isfahan" in stock_block(signed_in)
    client.logout()
    assert "Delivery to Isfahan" not in stock_block(product_page(client, product))


def test_recommended_products_show_and_a_product_without_any_asks_no_query_for_them(client, product):
    with CaptureQueriesContext(connection) as captured:
        assert "Recommended items" not in product_page(client, product)
    assert not [query for query in captured.captured_queries
                if query["sql"].startswith('SELECT "catalogue_productrecommendation"')]
    other = make_vendor_product(make_vendor(), price="50.00", stock=3)
    other.title_en = "A recommended teapot"
    other.save()
    ProductRecommendation.objects.create(primary=product, recommendation=other, ranking=1)
    html = product_page(client, product)
    assert "Recommended items" in html and "A recommended teapot" in html


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
