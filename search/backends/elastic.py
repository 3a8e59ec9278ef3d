"""The Elasticsearch backend (elasticsearch-dsl), used when ELASTICSEARCH_URL is set.

Persian text goes through an explicit analyzer (ZWNJ → space, decimal digits, Arabic and
Persian normalisation, Persian stop words, Persian stemming), English through an
English analyzer on the `_en` fields; titles are also a `search_as_you_type` field for
suggestions. The same plan (search.query: synonyms, typo corrections from the shared
dictionary) builds the query; facets are aggregations, each filtered by the OTHER
selections, with the selections themselves in `post_filter`.

Index names carry a version (`<alias>-<timestamp>`); readers and writers use the alias;
`rebuild()` creates a new index, bulk-loads it, refreshes and swaps the alias.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.core.cache import cache
from elasticsearch import Elasticsearch, helpers
from elasticsearch_dsl import (
    A,
    Boolean,
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    Long,
    Q,
    ScaledFloat,
    Search,
    SearchAsYouType,
    Text,
    analyzer,
    char_filter,
    token_filter,
)

from search import documents
from search.backends.base import SearchBackend, SearchResult
from search.backends.database import SECTION_SIZE, price_bucket_bounds
from search.conf import elasticsearch_index
from search.query import PRICE_BUCKETS, Filters, Plan, SearchRequest, plan

REBUILDING_KEY = "site_search:es-rebuilding"
ANY_LANGUAGE = "any"

zwnj_to_space = char_filter("zwnj_to_space", "mapping", mappings=["\\u200C=>\\u0020"])
persian_stop = token_filter("persian_stop", "stop", stopwords="_persian_")
persian = analyzer(
    "chaarsoo_persian",
    tokenizer="standard",
    char_filter=[zwnj_to_space],
    filter=["lowercase", "decimal_digit", "arabic_normalization", "persian_normalization", persian_stop,
            token_filter("persian_stemmer", "persian_stem")],
)
english = analyzer(
    "chaarsoo_english",
    tokenizer="standard",
    filter=[token_filter("english_possessive", "stemmer", language="possessive_english"), "lowercase",
            token_filter("english_stop", "stop", stopwords="_english_"),
            token_filter("english_stemmer", "stemmer", language="english")],
)
# The text already normalised by search.normalize: split on spaces only.
normalised = analyzer("chaarsoo_normalised", tokenizer="whitespace", filter=["lowercase"])


class SearchDoc(Document):
    kind = Keyword()
    object_id = Long()
    language = Keyword()
    title = Text(analyzer=persian, fields={"norm": Text(analyzer=normalised)})
    title_en = Text(analyzer=english)
    summary = Text(analyzer=persian)
    summary_en = Text(analyzer=english)
    text = Text(analyzer=normalised)
    suggest = SearchAsYouType(analyzer=normalised)
    url = Keyword(index=False)
    image = Keyword(index=False)
    category_id = Integer()
    category_path = Keyword()
    category_ancestors = Keyword()
    vendor_id = Integer()
    vendor_name = Keyword()
    price = ScaledFloat(scaling_factor=100)
    currency = Keyword(index=False)
    in_stock = Boolean()
    installation = Boolean()
    rating = Integer()
    popularity = Integer()
    created = Date()


def index_settings() -> dict:
    return {"number_of_shards": 1, "number_of_replicas": 0}


def index_body() -> dict:
    """The settings and mappings a new versioned index is created with."""
    index = Index("template")
    index.settings(**index_settings())
    index.document(SearchDoc)
    return index.to_dict()


def es_source(doc: dict) -> dict:
    path = doc.get("category_path") or ""
    return {
        **{k: v for k, v in doc.items() if k not in ("title_norm",)},
        "language": doc.get("language") or ANY_LANGUAGE,
        "price": float(doc["price"]) if doc.get("price") is not None else None,
        "suggest": doc.get("title_norm", ""),
        "category_ancestors": [path[:end] for end in range(4, len(path) + 1, 4)],
    }


def doc_id(kind: str, object_id: int) -> str:
    return f"{kind}-{object_id}"


# ------------------------------------------------------------------- query bodies
MATCH_FIELDS = ["title.norm^4", "title^2", "title_en^2", "text", "summary", "summary_en"]


def text_query(the_plan: Plan, *, prefix_last: bool = False) -> Q:
    musts = []
    for index, group in enumerate(the_plan.groups):
        prefix = prefix_last and index == len(the_plan.groups) - 1
        shoulds = []
        for alt in group:
            words = " ".join(alt)
            if prefix:
                shoulds.append(Q("multi_match", query=words, type="bool_prefix",
                                 fields=["suggest", "suggest._2gram", "suggest._3gram"]))
            else:
                shoulds.append(Q("multi_match", query=words, type="phrase" if len(alt) > 1 else "best_fields",
                                 fields=MATCH_FIELDS))
        musts.append(Q("bool", should=shoulds, minimum_should_match=1))
    return Q("bool", must=musts)


def filter_queries(filters: Filters, skip: str = "") -> list[Q]:
    out = []
    if filters.category_path and skip != "category":
        out.append(Q("term", category_ancestors=filters.category_path))
    if filters.vendor_ids and skip != "vendor":
        out.append(Q("terms", vendor_id=list(filters.vendor_ids)))
    if skip != "price" and (filters.price_min is not None or filters.price_max is not None):
        bounds = {}
        if filters.price_min is not None:
            bounds["gte"] = float(filters.price_min)
        if filters.price_max is not None:
            bounds["lt"] = float(filters.price_max)
        out.append(Q("range", price=bounds))
    if filters.in_stock and skip != "in_stock":
        out.append(Q("term", in_stock=True))
    if filters.installation and skip != "installation":
        out.append(Q("term", installation=True))
    if filters.rating_min and skip != "rating":
        out.append(Q("range", rating={"gte": filters.rating_min}))
    return out


FACET_AGGS = {
    "category": lambda: A("terms", field="category_ancestors", size=500),
    "vendor": lambda: A("terms", field="vendor_id", size=100, aggs={"name": A("terms", field="vendor_name", size=1)}),
    "price": lambda: A("range", field="price", ranges=[
        {"key": str(i), **({"from": float(low)} if low is not None else {}),
         **({"to": float(high)} if high is not None else {})}
        for i, (low, high) in enumerate(price_bucket_bounds(i) for i in range(len(PRICE_BUCKETS) + 1))]),
    "in_stock": lambda: A("filter", term={"in_stock": True}),
    "installation": lambda: A("filter", term={"installation": True}),
    "rating": lambda: A("range", field="rating", ranges=[{"key": str(s), "from": s} for s in (1, 2, 3, 4, 5)]),
}
SORTS = {  # a missing value sorts last either way (Elasticsearch's default)
    "price": ["price", "object_id"],
    "-price": [{"price": "desc"}, "object_id"],
    "rating": ["rating", "object_id"],
    "-rating": [{"rating": "desc"}, "object_id"],
    "created": ["created", "object_id"],
    "-created": [{"created": "desc"}, "object_id"],
    "newest": [{"created": "desc"}, "object_id"],
}


def build_search(request: SearchRequest, the_plan: Plan, index: str = "chaarsoo-search") -> Search:
    """The main request: hits of the asked kind, counts per kind, facets for goods."""
    kind = request.kind or "product"
    search = Search(index=index).query(text_query(the_plan)).filter(
        "terms", language=[ANY_LANGUAGE, request.language])
    post = [Q("term", kind=kind)]
    if kind == "product":
        post += filter_queries(request.filters)
        for name, make in FACET_AGGS.items():
            others = [Q("term", kind="product"), *filter_queries(request.filters, skip=name)]
            search.aggs.bucket(f"facet_{name}", "filter", Q("bool", filter=others)).bucket("values", make())
    search.aggs.bucket("kinds", "terms", field="kind", size=10)
    search = search.post_filter(Q("bool", filter=post))
    search = search.sort(*SORTS.get(request.sort, ["_score", {"popularity": "desc"}, "object_id"]))
    start = (max(request.page, 1) - 1) * request.per_page
    return search[start:start + request.per_page].extra(track_total_hits=True)


def build_section(q_plan: Plan, kind: str, language: str, index: str) -> Search:
    return (Search(index=index).query(text_query(q_plan))
            .filter("terms", language=[ANY_LANGUAGE, language]).filter("term", kind=kind)[:SECTION_SIZE])


def build_suggest(q_plan: Plan, language: str, index: str, limit: int = 8) -> Search:
    return (Search(index=index).query(text_query(q_plan, prefix_last=True))
            .filter("terms", language=[ANY_LANGUAGE, language])[:limit])


def _facets_from(aggs: dict) -> dict:
    facets: dict = {name: {} for name in FACET_AGGS}
    for name in FACET_AGGS:
        agg = aggs.get(f"facet_{name}", {}).get("values", {})
        if name in ("in_stock", "installation"):
            if agg.get("doc_count"):
                facets[name][True] = agg["doc_count"]
            continue
        for bucket in agg.get("buckets", []):
            if bucket["doc_count"]:
                key = bucket["key"]
                facets[name][int(key) if name in ("vendor", "price", "rating") else key] = bucket["doc_count"]
    facets["vendor_names"] = {
        int(b["key"]): b["name"]["buckets"][0]["key"]
        for b in aggs.get("facet_vendor", {}).get("values", {}).get("buckets", []) if b.get("name", {}).get("buckets")
    }
    return facets


def _hit(source: dict) -> dict:
    doc = dict(source)
    doc["language"] = "" if doc.get("language") == ANY_LANGUAGE else doc.get("language", "")
    return doc


class ElasticBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, client: Elasticsearch, alias: str):
        self.client = client
        self.alias = alias

    @classmethod
    def for_url(cls, url: str) -> ElasticBackend:
        return cls(Elasticsearch(url, request_timeout=5, max_retries=0), elasticsearch_index())

    # ------------------------------------------------------------------ writing
    def index(self, docs: list[dict]) -> None:
        if cache.get(REBUILDING_KEY):
            raise RuntimeError("a rebuild is under way: the change is queued and replayed after it")
        helpers.bulk(self.client, ({"_index": self.alias, "_id": doc_id(d["kind"], d["object_id"]),
                                    "_source": es_source(d)} for d in docs), refresh="wait_for")

    def delete(self, kind: str, object_ids: list[int]) -> None:
        helpers.bulk(self.client, ({"_op_type": "delete", "_index": self.alias, "_id": doc_id(kind, pk)}
                                   for pk in object_ids), raise_on_error=False, refresh="wait_for")

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> str:
        name = f"{self.alias}-{time.strftime('%Y%m%d%H%M%S')}"
        cache.set(REBUILDING_KEY, name, 3600)
        try:
            body = index_body()
            self.client.indices.create(index=name, settings=body["settings"], mappings=body["mappings"])
            total, done = documents.product_count(), 0
            for kind in documents.KINDS:
                for batch in documents.BUILDERS[kind]():
                    helpers.bulk(self.client, ({"_index": name, "_id": doc_id(d["kind"], d["object_id"]),
                                                "_source": es_source(d)} for d in batch))
                    if kind == "product":
                        done += len(batch)
                        if progress:
                            progress(done, total)
            self.client.indices.refresh(index=name)
            old = list(self.client.indices.get_alias(name=self.alias, ignore_unavailable=True).keys()) \
                if self.client.indices.exists_alias(name=self.alias) else []
            actions = [{"remove": {"index": o, "alias": self.alias}} for o in old]
            actions.append({"add": {"index": name, "alias": self.alias}})
            self.client.indices.update_aliases(actions=actions)
            for o in old:
                self.client.indices.delete(index=o, ignore_unavailable=True)
        finally:
            cache.delete(REBUILDING_KEY)
        return name

    # ------------------------------------------------------------------ reading
    def search(self, request: SearchRequest) -> SearchResult:
        the_plan = plan(request.q)
        result = SearchResult(request=request, plan=the_plan, backend=self.name)
        result.counts = dict.fromkeys(("product", "service", "help"), 0)
        if the_plan.empty:
            return result
        response = build_search(request, the_plan, self.alias).using(self.client).execute()
        raw = response.to_dict()
        aggs = raw.get("aggregations", {})
        for bucket in aggs.get("kinds", {}).get("buckets", []):
            if bucket["key"] in result.counts:
                result.counts[bucket["key"]] = bucket["doc_count"]
        result.hits = [_hit(h["_source"]) for h in raw["hits"]["hits"]]
        result.total = raw["hits"]["total"]["value"]
        if (request.kind or "product") == "product":
            result.facets = _facets_from(aggs)
        if not request.kind:
            for other in ("service", "help"):
                found = build_section(the_plan, other, request.language, self.alias).using(self.client).execute()
                result.sections[other] = [_hit(h["_source"]) for h in found.to_dict()["hits"]["hits"]]
        return result

    def suggest(self, q: str, *, language: str, limit: int = 8) -> list[dict]:
        the_plan = plan(q, prefix_last=True, fix_typos=False)
        if the_plan.empty:
            return []
        found = build_suggest(the_plan, language, self.alias, limit).using(self.client).execute()
        return [_hit(h["_source"]) for h in found.to_dict()["hits"]["hits"]]
