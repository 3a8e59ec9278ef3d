"""Issue 17 point 5: the search API answers as every list of the API does (count, next,
previous, results; ?page_size= within StandardPagination's bounds; a page past the end a
404; ?ordering= as DeclaredOrderingFilter reads it), its own keys beside them."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from drf_spectacular.generators import SchemaGenerator

from core.api import StandardPagination
from search.models import SearchDocument
from search.query import bump_version
from tests.factories import ProductFactory

pytestmark = [pytest.mark.django_db]

WORD = "لاجوردینه"  # in these tests' goods only
PRICES = ("30.00", "10.00", "50.00", "20.00", "40.00")  # in the order the goods are created


@pytest.fixture
def goods(django_capture_on_commit_callbacks) -> list:
    with django_capture_on_commit_callbacks(execute=True):
        products = [ProductFactory(title=f"{WORD} {n}", title_en=f"Lapis {n}", stock__price=Decimal(price))
                    for n, price in enumerate(PRICES)]
    assert SearchDocument.objects.filter(kind="product", object_id__in=[p.pk for p in products]).count() == 5
    return products


def search(client, **params):
    return client.get("/api/v1/search/", {"q": WORD, **params})


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_the_answer_has_the_standard_list_keys_first_and_its_own_beside_them(client, goods):
    body = search(client, page_size=2, ordering="price").json()
    assert list(body)[:4] == ["count", "next", "previous", "results"]
    assert {"query", "type", "counts", "facets", "did_you_mean", "corrected", "sections", "backend"} <= set(body)
    assert not {"page", "pages", "total"} & set(body)
    assert body["count"] == 5 and len(body["results"]) == 2 and body["previous"] is None
    assert body["next"].startswith("http://testserver/api/v1/search/?")
    assert query_of(body["next"]) == {"q": [WORD], "page_size": ["2"], "ordering": ["price"], "page": ["2"]}

    second = client.get(body["next"]).json()
    assert [hit["price"] for hit in second["results"]] == ["30.00", "40.00"]
    assert query_of(second["previous"]) == {"q": [WORD], "page_size": ["2"], "ordering": ["price"]}  # page 1
    last = client.get(second["next"]).json()
    assert len(last["results"]) == 1 and last["next"] is None and query_of(last["previous"])["page"] == ["2"]


def test_a_page_past_the_end_is_a_404_as_for_every_list(client, goods):
    past = search(client, page_size=2, page=4)
    assert past.status_code == 404 and past.json()["code"] == "not_found"
    assert set(past.json()) == {"code", "detail", "fields"}
    assert search(client, q="هیچ‌چیزنیست", page=1).status_code == 200  # an empty first page is a page


def test_page_size_has_the_bounds_of_every_list(client, goods, monkeypatch):
    monkeypatch.setattr(StandardPagination, "page_size", 4)
    monkeypatch.setattr(StandardPagination, "max_page_size", 3)
    assert len(search(client).json()["results"]) == 4  # the default
    assert len(search(client, page_size=1000).json()["results"]) == 3  # at most the maximum
    assert len(search(client, page_size=0).json()["results"]) == 4  # not a size: the default
    assert len(search(client, page_size=2).json()["results"]) == 2


def test_deep_pages_beyond_what_the_search_serves_are_refused(client):
    response = client.get("/api/v1/search/", {"page": 101, "page_size": 100})
    assert response.status_code == 400 and response.json()["code"] == "invalid_parameters"
    assert "page" in response.json()["detail"]


def prices(client, **params) -> list[str]:
    return [hit["price"] for hit in search(client, page_size=10, **params).json()["results"]]


def test_ordering_by_price_both_ways(client, goods):
    assert prices(client, ordering="price") == sorted(PRICES)
    assert prices(client, ordering="-price") == sorted(PRICES, reverse=True)


def test_ordering_by_rating_and_by_date(client, goods):
    for stars, product in zip((2, 5, 1, 4, 3), goods, strict=True):
        SearchDocument.objects.filter(kind="product", object_id=product.pk).update(rating=stars)
    bump_version()  # the cached answers retired, as an index write does
    assert prices(client, ordering="-rating") == ["10.00", "20.00", "40.00", "30.00", "50.00"]
    assert prices(client, ordering="rating") == ["50.00", "30.00", "40.00", "20.00", "10.00"]
    assert prices(client, ordering="created") == list(PRICES)
    assert prices(client, ordering="-created") == list(PRICES)[::-1]


@pytest.mark.parametrize("ordering", ["cheapest", "relevance", "-", "price,", "title", "price,-rating"])
def test_an_ordering_the_search_does_not_offer_is_a_400(client, ordering):
    response = client.get("/api/v1/search/", {"q": WORD, "ordering": ordering})
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid" and body["fields"]["ordering"] and body["detail"]


def test_the_schema_describes_the_search_as_a_standard_page():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/search/"]["get"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PaginatedSearchHitList"}
    components = schema["components"]["schemas"]
    search_page = components["PaginatedSearchHitList"]
    standard = components["PaginatedTicketList"]
    for key in ("count", "next", "previous"):
        assert search_page["properties"][key] == standard["properties"][key], key
    assert {"count", "results"} <= set(search_page["required"])
    assert search_page["properties"]["results"]["items"] == {"$ref": "#/components/schemas/Hit"}
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert {"page", "page_size", "ordering"} <= set(parameters) and "sort" not in parameters
    assert "`price`" in parameters["ordering"]["description"] and "`rating`" in parameters["ordering"]["description"]
    assert "404" in operation["responses"] and "not_found" in operation["responses"]["404"]["description"]
