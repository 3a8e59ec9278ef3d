"""Issue 17 point 4: the page API answers pages with their blocks resolved (a product
shelf carries each product's price and availability), in the requested language, with
absolute addresses on SITE_URL; help articles and the terms are reachable by slug; the
endpoints are in the OpenAPI schema; refusals are `{code, detail}`."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.images import ImageFile
from PIL import Image
from rest_framework.test import APIClient
from wagtail.images.models import Image as WagtailImage

from tests.factories_services import make_service
from tests.factories_vendors import make_vendor, make_vendor_product
from tests.helpers.content import build_content

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]
SITE = "https://chaarsoo.example"


@pytest.fixture
def pages(settings):
    settings.SITE_URL = SITE
    settings.WAGTAILAPI_BASE_URL = SITE
    vendor = make_vendor()
    products = [make_vendor_product(vendor, price="250000.00"), make_vendor_product(vendor, price="90000.00",
                                                                                     stock=0)]
    service = make_service(name_en="Painting")
    built = build_content(products=products, services=[service])
    built["products"], built["service"] = products, service
    return built


def api(language: str = "fa") -> APIClient:
    return APIClient(HTTP_ACCEPT_LANGUAGE=language)


def blocks(page: dict, kind: str) -> list[dict]:
    return [block["value"] for block in page["body"] if block["type"] == kind]


def test_the_home_page_resolves_its_product_shelf_in_one_call(pages, django_assert_max_num_queries):
    home = pages["home_en"]
    with django_assert_max_num_queries(40):
        response = api("en").get(f"/api/v1/cms/pages/{home.pk}/")
    assert response.status_code == 200
    page = response.json()
    assert page["meta"]["type"] == "cms.HomePage" and page["meta"]["locale"] == "en"
    (shelf,) = blocks(page, "products")
    first, second = shelf["products"]
    product = pages["products"][0]
    assert first["id"] == product.pk and first["title"] == product.get_title()
    assert first["price"]["incl_tax"] == "250000.00" and first["price"]["currency"]
    assert first["availability"]["is_available_to_buy"] is True
    assert second["availability"]["is_available_to_buy"] is False
    assert first["url"] == f"{SITE}{product.get_absolute_url()}"
    assert first["api_url"] == f"{SITE}/api/v1/catalogue/products/{product.pk}/"
    (services,) = blocks(page, "services")
    assert services["services"][0]["name"] == "Painting"
    assert services["services"][0]["api_url"].startswith(f"{SITE}/api/v1/services/")
    (cta,) = blocks(page, "call_to_action")
    assert cta["link_url"] == f"{SITE}/en/help/"
    assert page["meta"]["html_url"].startswith(f"{SITE}/en/")
    assert page["meta"]["detail_url"] == f"{SITE}/api/v1/cms/pages/{home.pk}/"


def test_a_shelf_costs_the_same_queries_for_two_products_as_for_twenty(pages):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    home = pages["home_fa"]
    with CaptureQueriesContext(connection) as two:
        api().get(f"/api/v1/cms/pages/{home.pk}/")
    vendor = make_vendor()
    more = [make_vendor_product(vendor) for _ in range(18)]
    body = home.body
    body[0].value["products"] = [*body[0].value["products"], *more]
    home.body = body
    home.save_revision().publish()
    with CaptureQueriesContext(connection) as twenty:
        response = api().get(f"/api/v1/cms/pages/{home.pk}/")
    assert len(blocks(response.json(), "products")[0]["products"]) == 20
    assert len(twenty) <= len(two) + 2  # 20 queries for 2 products or 20 when measured: none per product


def test_the_language_comes_from_accept_language_or_the_locale_parameter(pages):
    fa = api("fa").get("/api/v1/cms/pages/", {"type": "cms.HomePage"}).json()
    assert [item["id"] for item in fa["items"]] == [pages["home_fa"].pk]
    en = api("fa").get("/api/v1/cms/pages/", {"type": "cms.HomePage", "locale": "en"}).json()
    assert [item["id"] for item in en["items"]] == [pages["home_en"].pk]
    translated = api("fa").get(f"/api/v1/cms/pages/{pages['article_fa'].pk}/", {"locale": "en"}).json()
    assert translated["id"] == pages["article_en"].pk and translated["meta"]["locale"] == "en"


def test_help_articles_and_the_terms_are_reachable_by_slug_in_each_language(pages):
    slug = pages["article_fa"].slug
    fa = api("fa").get(f"/api/v1/cms/pages/slug/{slug}/")
    en = api("en").get(f"/api/v1/cms/pages/slug/{slug}/")
    assert fa.status_code == en.status_code == 200
    assert fa.json()["id"] == pages["article_fa"].pk and en.json()["id"] == pages["article_en"].pk
    assert en.json()["summary"] == pages["article_en"].summary
    assert "<p" in en.json()["body"] and 'linktype="' not in en.json()["body"]  # display HTML
    terms = api("en").get("/api/v1/cms/pages/slug/terms/", {"type": "cms.TermsPage"}).json()
    assert terms["id"] == pages["terms_en"].pk and terms["meta"]["html_url"] == f"{SITE}/en/terms/"
    listed = api("en").get("/api/v1/cms/pages/", {"slug": slug}).json()
    assert [item["id"] for item in listed["items"]] == [pages["article_en"].pk]


@pytest.mark.parametrize("path", ["/api/v1/cms/pages/slug/no-such-page/", "/api/v1/cms/pages/999999/",
                                  "/api/v1/cms/pages/slug/terms/?locale=de"])
def test_a_missing_page_is_a_404_with_our_error_shape(pages, path):
    response = api("en").get(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found" and response.json()["detail"]


def test_a_bad_query_is_a_400_with_our_error_shape(pages):
    response = api("en").get("/api/v1/cms/pages/", {"type": "cms.NoSuchPage"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and response.json()["detail"]


def test_an_image_block_answers_a_sized_rendition_on_site_url(pages, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "blue").save(buffer, "PNG")
    image = WagtailImage.objects.create(title="Blue", file=ImageFile(buffer, name="blue.png"))
    home = pages["home_en"]
    home.body.append(("image", image))
    home.save_revision().publish()
    page = api("en").get(f"/api/v1/cms/pages/{home.pk}/").json()
    (value,) = blocks(page, "image")
    assert value["id"] == image.pk and value["width"] == 40 and value["height"] == 20
    assert value["url"].startswith(f"{SITE}/media/")


def test_the_page_routes_are_in_the_openapi_schema_and_the_others_are_not(client):
    schema = json.loads(client.get("/api/schema/?format=json").content)
    assert {"/api/v1/cms/pages/", "/api/v1/cms/pages/{id}/", "/api/v1/cms/pages/slug/{slug}/"} <= set(schema["paths"])
    assert not any(p.startswith(("/api/v1/cms/images", "/api/v1/cms/documents", "/api/v1/cms/pages/find"))
                   for p in schema["paths"])
    page = schema["components"]["schemas"]["ContentPage"]
    assert {"id", "meta", "title"} == set(page["required"]) and "body" in page["properties"]
