"""The Elasticsearch backend's index definition and query bodies, compared with the JSON
they must produce (no server needed; the engine itself runs in the corpus suite when
ELASTICSEARCH_URL is set)."""

from __future__ import annotations

from search.backends.elastic import build_search, build_suggest, es_source, index_body
from search.query import Filters, Plan, SearchRequest

FIELDS = ["title.norm^4", "title^2", "title_en^2", "text", "summary", "summary_en"]


def test_persian_and_english_analyzers():
    analysis = index_body()["settings"]["analysis"]
    assert analysis["char_filter"] == {"zwnj_to_space": {"type": "mapping", "mappings": ["\\u200C=>\\u0020"]}}
    assert analysis["analyzer"]["chaarsoo_persian"] == {
        "type": "custom", "tokenizer": "standard", "char_filter": ["zwnj_to_space"],
        "filter": ["lowercase", "decimal_digit", "arabic_normalization", "persian_normalization",
                   "persian_stop", "persian_stemmer"],
    }
    assert analysis["filter"]["persian_stop"] == {"type": "stop", "stopwords": "_persian_"}
    assert analysis["filter"]["persian_stemmer"] == {"type": "persian_stem"}
    assert analysis["analyzer"]["chaarsoo_english"]["filter"] == [
        "english_possessive", "lowercase", "english_stop", "english_stemmer"]


def test_mappings():
    properties = index_body()["mappings"]["properties"]
    assert properties["title"] == {"type": "text", "analyzer": "chaarsoo_persian",
                                   "fields": {"norm": {"type": "text", "analyzer": "chaarsoo_normalised"}}}
    assert properties["title_en"] == {"type": "text", "analyzer": "chaarsoo_english"}
    assert properties["suggest"] == {"type": "search_as_you_type", "analyzer": "chaarsoo_normalised"}
    assert properties["price"] == {"type": "scaled_float", "scaling_factor": 100}
    assert properties["category_ancestors"] == {"type": "keyword"}
    assert properties["url"] == {"type": "keyword", "index": False}


def test_search_body_with_facets_post_filter_and_price_ranges():
    the_plan = Plan(words=["سماور"], groups=[[("سماور",), ("samovar",)]])
    request = SearchRequest(q="سماور", kind="product", filters=Filters(vendor_ids=(3,), in_stock=True), sort="price")
    body = build_search(request, the_plan, "idx").to_dict()
    assert body["query"] == {"bool": {
        "must": [{"bool": {"minimum_should_match": 1, "should": [
            {"multi_match": {"query": "سماور", "fields": FIELDS, "type": "best_fields"}},
            {"multi_match": {"query": "samovar", "fields": FIELDS, "type": "best_fields"}},
        ]}}],
        "filter": [{"terms": {"language": ["any", "fa"]}}],
    }}
    assert body["post_filter"] == {"bool": {"filter": [
        {"term": {"kind": "product"}}, {"terms": {"vendor_id": [3]}}, {"term": {"in_stock": True}}]}}
    # The vendor facet leaves out its own selection, keeps the others.
    assert body["aggs"]["facet_vendor"] == {
        "filter": {"bool": {"filter": [{"term": {"kind": "product"}}, {"term": {"in_stock": True}}]}},
        "aggs": {"values": {"terms": {"field": "vendor_id", "size": 100},
                            "aggs": {"name": {"terms": {"field": "vendor_name", "size": 1}}}}},
    }
    assert body["aggs"]["facet_price"]["aggs"]["values"] == {"range": {"field": "price", "ranges": [
        {"key": "0", "to": 25.0}, {"key": "1", "from": 25.0, "to": 50.0}, {"key": "2", "from": 50.0, "to": 100.0},
        {"key": "3", "from": 100.0, "to": 250.0}, {"key": "4", "from": 250.0, "to": 500.0},
        {"key": "5", "from": 500.0}]}}
    assert body["aggs"]["kinds"] == {"terms": {"field": "kind", "size": 10}}
    assert body["sort"] == ["price", "object_id"]
    assert (body["from"], body["size"], body["track_total_hits"]) == (0, 20, True)


def test_phrase_alternatives_and_paging():
    the_plan = Plan(words=["plumber"], groups=[[("plumber",), ("لوله", "کشی")]])
    body = build_search(SearchRequest(q="plumber", kind="service", page=3), the_plan, "idx").to_dict()
    should = body["query"]["bool"]["must"][0]["bool"]["should"]
    assert should[1] == {"multi_match": {"query": "لوله کشی", "fields": FIELDS, "type": "phrase"}}
    assert body["post_filter"] == {"bool": {"filter": [{"term": {"kind": "service"}}]}}
    assert "aggs" in body and set(body["aggs"]) == {"kinds"}
    assert (body["from"], body["size"]) == (40, 20)


def test_suggest_body_uses_search_as_you_type():
    the_plan = Plan(words=["سما"], groups=[[("سما",)]], prefix_last=True)
    assert build_suggest(the_plan, "fa", "idx").to_dict() == {
        "query": {"bool": {
            "must": [{"bool": {"minimum_should_match": 1, "should": [{"multi_match": {
                "query": "سما", "fields": ["suggest", "suggest._2gram", "suggest._3gram"], "type": "bool_prefix"}}]}}],
            "filter": [{"terms": {"language": ["any", "fa"]}}],
        }},
        "size": 8,
    }


def test_documents_carry_their_category_ancestors():
    source = es_source({"kind": "product", "object_id": 1, "language": "", "category_path": "00010002",
                        "price": None, "title_norm": "سماور برقی"})
    assert source["category_ancestors"] == ["0001", "00010002"]
    assert source["language"] == "any" and source["suggest"] == "سماور برقی"
