"""The results page, suggestions, API, staff reports and the old shop search (issue 11)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search import service
from search.models import QueryLog, SearchDocument
from tests.factories import ProductFactory
from tests.helpers.roles import make_role_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _log_every_query(settings):
    settings.SEARCH_LOG_BATCH = 1  # the query log written at once, not in batches


def test_results_page_has_tabs_counts_and_facets(client):
    response = client.get("/fa/search/", {"q": "سماور"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "سماور برقی" in html
    assert 'data-count="product">۱<' in html
    assert 'data-facet="vendor"' in html and 'data-facet="price"' in html
    assert QueryLog.objects.filter(query="سماور", results=1).exists()


def test_a_facet_and_a_price_range_narrow_the_goods(client):
    everything = client.get("/fa/search/", {"q": "سری"}).context["result"]
    vendor = max(everything.facets["vendor"], key=everything.facets["vendor"].get)
    narrowed = client.get("/fa/search/", {"q": "سری", "vendor": vendor, "price_max": "40"}).context["result"]
    assert 0 < narrowed.total < everything.total
    assert all(hit["vendor_id"] == vendor and hit["price"] < Decimal("40") for hit in narrowed.hits)


def test_services_tab_finds_the_plumbing_service(client):
    response = client.get("/fa/search/", {"q": "لوله‌کشی", "type": "service"})
    hits = response.context["hits"]
    assert hits and hits[0]["href"].startswith("/fa/services/")
    assert client.get(hits[0]["href"]).status_code == 200


def test_english_page_links_to_english_addresses(client):
    response = client.get("/en/search/", {"q": "samovar"})
    hit = response.context["hits"][0]
    assert hit["name"].startswith("Everyday electric samovar") and hit["href"].startswith("/en/shop/")


def test_nothing_found_suggests_categories_and_services(client):
    response = client.get("/fa/search/", {"q": "زرافه"})
    html = response.content.decode()
    assert "data-nothing" in html and "data-fallback-category" in html and "data-fallback-service" in html
    assert QueryLog.objects.filter(query="زرافه", results=0).exists()


def test_wrong_layout_offers_did_you_mean(client):
    response = client.get("/fa/search/", {"q": "slh,v"})
    assert "data-did-you-mean" in response.content.decode()
    assert response.context["result"].plan.did_you_mean == "سماور"


def test_suggestions_from_two_letters(client):
    assert client.get("/fa/search/suggest/", {"q": "س"}).json()["results"] == []
    titles = [r["title"] for r in client.get("/fa/search/suggest/", {"q": "سما"}).json()["results"]]
    assert any("سماور" in t for t in titles)
    kinds = {r["kind"] for r in client.get("/fa/search/suggest/", {"q": "لوله"}).json()["results"]}
    assert "service" in kinds


def test_old_shop_search_redirects_to_the_one_search(client):
    response = client.get("/fa/shop/search/", {"q": "سماور"})
    assert response.status_code == 302 and response["Location"].startswith("/fa/search/?q=")


def test_catalogue_api_search_uses_the_index(client):
    data = client.get("/api/v1/catalogue/products/", {"q": "سماور برقي"}).json()
    assert [p["upc"] for p in data["results"]] == ["CHS0000002"] or data["count"] == 1


def test_api_search_suggest_and_schema(client):
    data = client.get("/api/v1/search/", {"q": "سماور"}).json()
    assert data["counts"]["product"] == 1 and data["results"][0]["kind"] == "product"
    assert data["facets"]["vendor"][0]["count"] == 1
    services = client.get("/api/v1/search/", {"q": "plumbing", "type": "service"}).json()
    assert services["results"][0]["kind"] == "service"
    suggest = client.get("/api/v1/search/suggest/", {"q": "سما"}).json()
    assert suggest["results"]
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/search/" in schema and "/api/v1/search/suggest/" in schema


def test_staff_see_reports_and_manage_synonyms(client):
    client.get("/fa/search/", {"q": "زرافه"})
    editor = make_role_user("editor")
    client.force_login(editor)
    page = client.get("/fa/dashboard/search/")
    assert page.status_code == 200 and "زرافه" in page.content.decode()
    client.post("/fa/dashboard/search/", {"terms": "زرافه, سماور", "is_active": "on"})
    found = client.get("/api/v1/search/", {"q": "زرافه"}).json()
    assert found["counts"]["product"] == 1


def test_other_staff_cannot_open_the_reports(client):
    client.force_login(make_role_user("agent"))
    assert client.get("/fa/dashboard/search/").status_code == 403


def _queries(client, path, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, params).status_code == 200
    return len(captured)


def test_query_budget_is_the_same_for_5_and_50_hits(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(50):
            title = f"بودجه آزمایشی {n}" + (" کمیاب" if n < 5 else "")
            ProductFactory(title=title, title_en=f"Budget test {n}", stock__price=Decimal(10 + n))
    assert SearchDocument.objects.filter(kind="product", title__startswith="بودجه").count() == 50
    for path in ("/fa/search/", "/api/v1/search/"):
        _queries(client, path, {"q": "گرم"})  # caches filled once (synonyms, site settings)
        few = _queries(client, path, {"q": "کمیاب"})
        many = _queries(client, path, {"q": "بودجه"})
        assert few == many, path
        many_last_page = _queries(client, path, {"q": "بودجه", "page": 3})
        assert many_last_page == many - (1 if path == "/fa/search/" else 0)  # page one logs the query


def test_a_new_product_is_found_at_once_cached_results_retired(client, django_capture_on_commit_callbacks):
    assert client.get("/api/v1/search/", {"q": "برنجی"}).json()["counts"]["product"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        product = ProductFactory(title="سینی برنجی", title_en="Brass tray")
    assert client.get("/api/v1/search/", {"q": "برنجی"}).json()["counts"]["product"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        product.delete()
    assert client.get("/api/v1/search/", {"q": "برنجی"}).json()["counts"]["product"] == 0


def test_the_query_log_is_written_in_batches(client, settings):
    settings.SEARCH_LOG_BATCH = 3
    service._pending_log.clear()  # what earlier tests of this process left noted
    for word in ("الف", "بب", "سماور"):
        assert QueryLog.objects.count() == 0
        client.get("/fa/search/", {"q": word})
    assert sorted(QueryLog.objects.values_list("query", flat=True)) == ["الف", "بب", "سماور"]


def test_the_search_api_adds_no_schema_warnings_or_errors():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    messages = list(GENERATOR_STATS._warn_cache) + list(GENERATOR_STATS._error_cache)
    GENERATOR_STATS.reset()
    assert [m for m in messages if "search/" in m or "SearchView" in m or "SuggestView" in m] == []
    parameters = {p["name"] for p in schema["paths"]["/api/v1/search/"]["get"]["parameters"]}
    assert {"q", "type", "category", "vendor", "price_min", "price_max", "in_stock", "installation", "rating",
            "ordering", "page", "page_size"} <= parameters
