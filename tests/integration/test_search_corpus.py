"""The shared corpus against every backend: the database one (SQLite here, PostgreSQL
with DATABASE_URL=postgres://…) and Elasticsearch when ELASTICSEARCH_URL is set."""

from __future__ import annotations

import os

import pytest

from search.backends import database_backend
from search.query import SearchRequest
from tests.search_corpus import CORPUS, WRONG_LAYOUT

pytestmark = pytest.mark.django_db

BACKENDS = [
    "database",
    pytest.param("elasticsearch", marks=pytest.mark.skipif(
        not os.environ.get("ELASTICSEARCH_URL"),
        reason="ELASTICSEARCH_URL is not set: no Elasticsearch server to run the corpus against")),
]


@pytest.fixture
def backend(request, settings):
    if request.param == "database":
        return database_backend()
    from search.backends.elastic import ElasticBackend
    from search.indexing import rebuild_external

    settings.ELASTICSEARCH_URL = os.environ["ELASTICSEARCH_URL"]
    engine = ElasticBackend.for_url(settings.ELASTICSEARCH_URL)
    rebuild_external(engine)
    return engine


def test_corpus_has_forty_queries():
    assert len(CORPUS) + len(WRONG_LAYOUT) >= 40


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
@pytest.mark.parametrize(("query", "kind", "expected", "language"), CORPUS)
def test_corpus(backend, query, kind, expected, language):
    result = backend.search(SearchRequest(q=query, kind=kind or "", language=language))
    if expected is None:
        assert sum(result.counts.values()) == 0, result.hits
        return
    titles = [hit["title"] for hit in result.hits]
    assert any(expected in title for title in titles), (query, titles)
    assert result.counts[kind] >= 1


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
@pytest.mark.parametrize(("query", "meant"), WRONG_LAYOUT)
def test_wrong_keyboard_layout_is_offered(backend, query, meant):
    result = backend.search(SearchRequest(q=query))
    assert result.plan.did_you_mean == meant


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_facets_count_with_the_other_selections(backend):
    everything = backend.search(SearchRequest(q="سری"))
    assert everything.total == 30
    vendors = everything.facets["vendor"]
    assert sum(vendors.values()) == 30
    roshan = max(vendors, key=lambda v: (vendors[v], -v))
    from search.query import Filters

    narrowed = backend.search(SearchRequest(q="سری", filters=Filters(vendor_ids=(roshan,))))
    assert narrowed.total == vendors[roshan]
    # The vendor facet itself still counts every vendor (its own selection left out) ...
    assert narrowed.facets["vendor"] == vendors
    # ... while the category facet counts only the chosen vendor's goods.
    assert sum(count for path, count in narrowed.facets["category"].items() if len(path) == 4) == vendors[roshan]
    cheap = backend.search(SearchRequest(q="سری", filters=Filters(vendor_ids=(roshan,), price_max=50)))
    assert cheap.total == sum(n for bucket, n in narrowed.facets["price"].items() if bucket <= 1)
    assert all(hit["price"] < 50 for hit in cheap.hits)


@pytest.mark.parametrize("sort", ["relevance", "price", "-price", "newest"])
def test_pages_read_backwards_give_the_same_order(sort):
    """Pages past the middle are read from the end (a fast last page): same order."""
    backend = database_backend()
    whole = backend.search(SearchRequest(q="سری", kind="product", sort=sort, per_page=30))
    paged = []
    for page in range(1, 6):
        paged += backend.search(SearchRequest(q="سری", kind="product", sort=sort, per_page=7, page=page)).hits
    assert [h["object_id"] for h in paged] == [h["object_id"] for h in whole.hits]
    assert len(paged) == 30


def test_facets_read_off_the_keys_equal_the_sql_ones(monkeypatch):
    """Selections on the range bounds are counted from the facet keys; the same counts as
    the statements used for any other price range."""
    from decimal import Decimal

    from search.backends import database as database_module
    from search.query import Filters

    backend = database_backend()
    vendor = next(iter(backend.search(SearchRequest(q="سری")).facets["vendor"]))
    for filters in (
        Filters(vendor_ids=(vendor,), in_stock=True, price_min=Decimal("25"), price_max=Decimal("100")),
        Filters(category_path="0002", price_max=Decimal("50")),
        Filters(rating_min=None, installation=True),
    ):
        from_keys = backend.search(SearchRequest(q="سری", filters=filters))
        monkeypatch.setattr(database_module, "_price_on_bucket_bounds", lambda f: False)
        from_sql = backend.search(SearchRequest(q="سری", filters=filters))
        monkeypatch.undo()
        assert from_keys.facets == from_sql.facets
        assert from_keys.total == from_sql.total
        assert [h["id"] for h in from_keys.hits] == [h["id"] for h in from_sql.hits]
