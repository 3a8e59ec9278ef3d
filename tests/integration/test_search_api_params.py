"""The search API refuses bad or extreme query parameters with a 400 `{code, detail}`
(inputs schemathesis found answered 500), and documents that answer."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]

REFUSED = [
    {"in_stock": "false", "price_min": "1.797693e308"},  # found by schemathesis: beyond the price column
    {"price_max": "1e400"},
    {"price_min": "NaN"},
    {"price_max": "Infinity"},
    {"price_min": "-1"},
    {"price_min": "12345678901"},  # 11 digits before the point: the column holds 10
    {"price_min": "1.001"},
    {"price_min": "cheap"},
    {"category": "9223372036854775808"},
    {"category": "0"},
    {"vendor": ["1", "99999999999999999999"]},
    {"vendor": "x"},
    {"page": "0"},
    {"page": "501"},
    {"page": "-9223372036854775809"},
    {"rating": "6"},
    {"type": "planet"},
    {"in_stock": "maybe"},
    {"lang": "xx"},
    {"q": "x" * 101},
]


@pytest.mark.parametrize("params", REFUSED, ids=[str(p)[:40] for p in REFUSED])
def test_a_bad_search_parameter_is_a_400_with_code_and_detail(client, params):
    response = client.get("/api/v1/search/", params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid_parameters"
    assert list(params)[-1] in body["detail"]  # the refused parameter (the last one) is named


@pytest.mark.parametrize("params", [{"q": "x" * 101}, {"lang": "de"}])
def test_a_bad_suggest_parameter_is_a_400(client, params):
    response = client.get("/api/v1/search/suggest/", params)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_parameters"


ACCEPTED = [
    {"in_stock": "false", "price_min": "1"},
    {"price_min": "9999999999.99", "price_max": "0", "in_stock": "true", "installation": "1"},
    {"price_min": "0.5", "price_max": "1e3", "rating": "5", "ordering": "-price", "type": "product"},
    # an unknown category: its "matches nothing" path was a NUL, which PostgreSQL refused (500)
    {"category": "2147483647", "vendor": ["1", "2147483647"], "lang": "en", "q": "سماور"},
    {"q": "", "type": "", "lang": ""},
]


@pytest.mark.parametrize("params", ACCEPTED, ids=[str(p)[:40] for p in ACCEPTED])
def test_extreme_but_valid_parameters_are_answered(client, params):
    response = client.get("/api/v1/search/", params)
    assert response.status_code == 200, response.content
    assert response.json()["count"] >= 0


def test_the_schema_documents_the_400_and_the_bounds():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path in ("/api/v1/search/", "/api/v1/search/suggest/"):
        assert "400" in schema["paths"][path]["get"]["responses"], path
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/search/"]["get"]["parameters"]}
    assert parameters["page"]["schema"]["maximum"] == 500
    assert parameters["rating"]["schema"]["maximum"] == 5


def test_the_results_page_ignores_the_same_extreme_values(client):
    """The page is forgiving (a bad filter is dropped), but never a server error."""
    for params in REFUSED:
        assert client.get("/fa/search/", params).status_code == 200, params


def test_an_unknown_category_finds_nothing_on_the_page_and_the_api(client):
    assert client.get("/fa/search/", {"q": "x", "category": "2147483647"}).status_code == 200
    assert client.get("/api/v1/search/", {"category": "2147483647"}).json()["count"] == 0
