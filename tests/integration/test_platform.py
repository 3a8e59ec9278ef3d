"""Health check, settings safety, demo data, API, query budgets and the page cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.utils import OperationalError
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from oscar.core.loading import get_model

from tests.factories import ProductFactory, make_category

ROOT = Path(__file__).resolve().parents[2]
Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- health
def test_healthz_answers_200_when_database_and_cache_work(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": True, "cache": True}}


def test_healthz_answers_503_when_the_database_is_unreachable(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": False, "cache": True}


def test_healthz_answers_503_when_the_cache_is_down(client, monkeypatch):
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "set", down)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] is False


# -------------------------------------------------------- production settings
def _import_production(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE")}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']="
         "'config.settings.production'; django.setup()"],
        cwd=ROOT, env=clean, capture_output=True, text=True,
    )


GOOD_SECRET = "x" * 20 + "-a-long-random-production-secret-value-0123456789"


def test_production_settings_refuse_debug():
    result = _import_production({"DEBUG": "1", "SECRET_KEY": GOOD_SECRET})
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_production_settings_refuse_the_default_secret():
    from config.settings.base import INSECURE_DEFAULT_SECRET_KEY

    for secret in ("", INSECURE_DEFAULT_SECRET_KEY):
        result = _import_production({"SECRET_KEY": secret})
        assert result.returncode != 0
        assert "Set SECRET_KEY" in result.stderr


def test_production_settings_pass_the_deploy_check():
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_SETTINGS_MODULE")}
    env.update({"SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": "shop.example.com", "SITE_URL": "https://shop.example.com"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING",
         "--settings", "config.settings.production"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# ------------------------------------------------------------------ demo data
def _snapshot() -> dict[str, object]:
    from django.apps import apps

    counts = {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.managed and not m._meta.proxy
    }
    counts["product_updates"] = sorted(Product.objects.values_list("date_updated", flat=True))
    from wagtail.models import Page

    counts["pages"] = sorted(Page.objects.values_list("id", "latest_revision_id"))
    return counts


def test_seed_demo_run_twice_changes_nothing():
    before = _snapshot()
    call_command("seed_demo", products=30, quiet=True, stdout=open(os.devnull, "w"))
    assert _snapshot() == before


def test_seed_demo_has_an_order_its_customer_cancelled():
    """P5 in the demo: DEMO-V1008, two vendors' parts, each cancelled by the customer."""
    from vendors.models import ShipmentEvent

    order = get_model("order", "Order").objects.get(number="DEMO-V1008")
    events = ShipmentEvent.objects.filter(shipment__order=order, action="customer_cancel")
    assert order.status == "Cancelled" and set(order.shipments.values_list("status", flat=True)) == {"cancelled"}
    assert order.shipments.count() == 2 and {event.actor_id for event in events} == {order.user_id}


def test_seed_demo_content_covers_every_role_and_both_languages():
    from django.contrib.auth import get_user_model
    from wagtail.models import Page

    from cms.models import HelpArticlePage, HomePage, TermsPage

    users = set(get_user_model().objects.values_list("username", flat=True))
    assert {"customer", "vendor", "provider", "operator", "agent", "editor", "admin"} <= users
    assert get_model("partner", "Partner").objects.count() >= 5
    assert get_model("catalogue", "Category").objects.count() >= 10
    assert Product.objects.count() == 30
    for language in ("fa", "en"):
        assert HomePage.objects.filter(locale__language_code=language, live=True).count() == 1
        assert HelpArticlePage.objects.filter(locale__language_code=language, live=True).count() == 5
        assert TermsPage.objects.filter(locale__language_code=language, live=True).count() == 1
    assert Page.objects.filter(live=True).count() > 10
    assert all(p.primary_image().original for p in Product.objects.all()[:5])


# ------------------------------------------------------------------------ API
def test_openapi_schema_is_valid(client):
    from openapi_spec_validator import validate

    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate(schema)
    assert "/api/v1/catalogue/products/" in schema["paths"]
    assert "/api/v1/me/" in schema["paths"]


def test_api_docs_page_is_served(client):
    assert client.get("/api/docs/").status_code == 200


def test_product_api_gives_price_and_availability_and_filters_by_category(client):
    from oscar.core.loading import get_model as gm

    kitchen = gm("catalogue", "Category").objects.get(slug="kitchen")
    data = client.get(f"/api/v1/catalogue/products/?category={kitchen.pk}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert data["count"] == 3
    first = data["results"][0]
    assert first["price"]["currency"] == "EUR" and first["price"]["incl_tax"]
    assert first["availability"]["is_available_to_buy"] is True
    assert "Kitchen" not in first["title"] and first["title"]


def test_product_api_paginates(client):
    data = client.get("/api/v1/catalogue/products/").json()
    assert data["count"] == 30 and len(data["results"]) == 20 and data["next"]


def test_product_api_speaks_the_requested_language(client):
    fa = client.get("/api/v1/catalogue/products/?q=CHS0000001", HTTP_ACCEPT_LANGUAGE="fa").json()
    en = client.get("/api/v1/catalogue/products/?q=CHS0000001", HTTP_ACCEPT_LANGUAGE="en").json()
    assert fa["results"][0]["title"].startswith("جاروبرقی")
    assert en["results"][0]["title"] == "Everyday vacuum cleaner, series 1"


def test_categories_api_lists_public_categories(client):
    data = client.get("/api/v1/catalogue/categories/").json()
    assert data["count"] == 10


def test_profile_api_needs_a_signed_in_user(client):
    response = client.get("/api/v1/me/")
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"


def test_profile_api_shows_and_updates_your_own_profile(customer_client, customer):
    data = customer_client.get("/api/v1/me/").json()
    assert data["username"] == "customer" and "Customers" in data["roles"]
    # A6: the subscription code that identifies the customer on the phone is in the profile.
    assert data["subscription_code"] == customer.profile.subscription_code
    assert data["subscription_code"].startswith("CH-") and data["tier"] in ("one_off", "registered", "loyal")
    response = customer_client.patch(
        "/api/v1/me/", data=json.dumps({"first_name": "Sara", "email": "x@evil.test"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    customer.refresh_from_db()
    assert customer.first_name == "Sara" and customer.email == "customer@demo.chaarsoo.local"


def test_cms_pages_api_lists_pages_in_both_languages(client):
    data = client.get("/api/v1/cms/pages/?type=cms.HelpArticlePage&locale=en&fields=summary").json()
    assert data["meta"]["total_count"] == 5
    assert {item["meta"]["locale"] for item in data["items"]} == {"en"}


# ---------------------------------------------------------------- query budgets
def _category_with(count: int):
    category = make_category(name=f"دسته {count}", name_en=f"Category {count}")
    for _ in range(count):
        ProductFactory(category=category, image="images/products/demo/kitchen-0.jpg")
    return category


def _queries(client, url: str, **headers) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_catalogue_page_queries_do_not_grow_with_the_number_of_products(client, settings):
    settings.CHAARSOO_PAGE_CACHE_SECONDS = 0
    settings.OSCAR_PRODUCTS_PER_PAGE = 50
    small, large = _category_with(5), _category_with(50)
    with translation.override("fa"):
        small_url, large_url = small.get_absolute_url(), large.get_absolute_url()
    _queries(client, small_url)  # warm the thumbnails and menu once
    _queries(client, large_url)
    small_count, large_count = _queries(client, small_url), _queries(client, large_url)
    assert small_count == large_count
    assert large_count <= 12


def test_catalogue_api_queries_do_not_grow_with_the_number_of_products(client):
    small, large = _category_with(5), _category_with(50)
    small_count = _queries(client, f"/api/v1/catalogue/products/?category={small.pk}&page_size=50")
    large_count = _queries(client, f"/api/v1/catalogue/products/?category={large.pk}")
    assert small_count == large_count
    assert large_count <= 12


# ------------------------------------------------------------------ page cache
def test_anonymous_pages_are_cached_with_a_fresh_csrf_token(client, settings):
    settings.CHAARSOO_PAGE_CACHE_SECONDS = 60
    first = client.get("/en/shop/")
    assert first["X-Page-Cache"] == "miss"
    client.cookies.clear()
    second = client.get("/en/shop/")
    assert second["X-Page-Cache"] == "hit"
    assert "__chaarsoo_csrf_token__" not in second.content.decode()
    assert "csrftoken" in second.cookies
    # The token served from the cache is accepted when the form is posted.
    import re

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', second.content.decode()).group(1)
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.cookies["csrftoken"] = second.cookies["csrftoken"].value
    product = Product.objects.get(upc="CHS0000001")
    response = browser.post(f"/en/shop/basket/add/{product.pk}/", {"quantity": 1, "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_signed_in_visitors_and_baskets_bypass_the_page_cache(customer_client, settings):
    settings.CHAARSOO_PAGE_CACHE_SECONDS = 60
    customer_client.get("/en/shop/")
    assert "X-Page-Cache" not in customer_client.get("/en/shop/")


def test_saving_a_product_retires_cached_pages(client, settings):
    settings.CHAARSOO_PAGE_CACHE_SECONDS = 60
    product = Product.objects.get(upc="CHS0000001")
    with translation.override("en"):
        url = product.get_absolute_url()
    client.get(url)
    client.cookies.clear()
    assert client.get(url)["X-Page-Cache"] == "hit"
    client.cookies.clear()
    product.title_en = "Renamed vacuum cleaner"
    product.save()
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Renamed vacuum cleaner" in response.content.decode()


def test_an_api_404_stays_a_json_404_instead_of_a_redirect_to_a_persian_page(client):
    response = client.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    # A page outside the API still gets Django's language redirect.
    assert client.get("/help/").status_code == 302


def test_the_services_list_is_page_cached_and_retired_when_a_service_changes(client, settings):
    from services_catalog.models import Service

    settings.CHAARSOO_PAGE_CACHE_SECONDS = 60
    client.get("/en/services/")
    client.cookies.clear()
    assert client.get("/en/services/")["X-Page-Cache"] == "hit"
    client.cookies.clear()
    service = Service.objects.filter(is_active=True).order_by("pk").first()
    service.name_en = "Renamed service for the cache test"
    service.save()
    response = client.get("/en/services/")
    assert response["X-Page-Cache"] == "miss"
    assert "Renamed service for the cache test" in response.content.decode()
