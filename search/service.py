"""What the results page and the API share: reading the request, asking the backend
(falling back to the database when Elasticsearch fails), logging the query, and the
suggestions for a search that found nothing."""

from __future__ import annotations

import hashlib
import logging
import threading
from decimal import Decimal, InvalidOperation

from django.core.cache import cache

from core import clock
from search.backends import database_backend, external_backend
from search.backends.base import SearchResult
from search.conf import log_batch, result_cache_seconds
from search.models import QueryLog, SearchDocument
from search.normalize import normalize
from search.query import SORTS, VERSION_KEY, Filters, SearchRequest

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 100
PER_PAGE = 20
MAX_PAGE = 500
KINDS = ("product", "service", "help")


MAX_ID = 2**31 - 1  # the largest id an integer column holds
MAX_PRICE = Decimal("9999999999.99")  # the price column: 12 digits, 2 of them decimals


def _int(value, default=None):
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return number if abs(number) <= MAX_ID else default


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() and 0 <= number <= MAX_PRICE else None


# The path of a category that does not exist: matches no document (tree paths are made of
# 0-9A-Z; not a NUL character, which PostgreSQL refuses in a text parameter).
UNKNOWN_CATEGORY = "-"


def category_path(category_id: int | None) -> str:
    if not category_id:
        return ""
    row = SearchDocument.objects.filter(kind="category", object_id=category_id).values_list(
        "category_path", flat=True).first()
    return row or UNKNOWN_CATEGORY


def request_from(params, *, language: str, per_page: int = PER_PAGE) -> SearchRequest:
    """A SearchRequest from query parameters (q, type, category, vendor, price_min, …,
    `sort`: one of query.SORTS)."""
    kind = params.get("type", "")
    filters = Filters(
        category_path=category_path(_int(params.get("category"))),
        vendor_ids=tuple(sorted({v for v in (_int(x) for x in params.getlist("vendor")) if v})),
        price_min=_decimal(params.get("price_min")),
        price_max=_decimal(params.get("price_max")),
        in_stock=params.get("in_stock") in ("1", "true", "on"),
        installation=params.get("installation") in ("1", "true", "on"),
        rating_min=_int(params.get("rating")) if _int(params.get("rating")) in (1, 2, 3, 4, 5) else None,
    )
    sort = params.get("sort", "relevance")
    return SearchRequest(
        q=params.get("q", "").strip()[:MAX_QUERY_LENGTH],
        kind=kind if kind in KINDS else "",
        language=language,
        filters=filters,
        sort=sort if sort in SORTS else "relevance",
        page=min(max(_int(params.get("page"), 1) or 1, 1), MAX_PAGE),
        per_page=per_page,
    )


def _cache_key(request: SearchRequest) -> str:
    version = cache.get(VERSION_KEY, 0)
    raw = repr((version, request.q, request.kind, request.language, request.filters, request.sort,
                request.page, request.per_page))
    return "site_search:result:" + hashlib.sha256(raw.encode()).hexdigest()


def run(request: SearchRequest) -> SearchResult:
    """Search (results reused for a short while, see conf.result_cache_seconds)."""
    seconds = result_cache_seconds()
    if not seconds:
        return _run(request)
    key = _cache_key(request)
    result = cache.get(key)
    if result is None:
        result = _run(request)
        cache.set(key, result, seconds)
    return result


def _run(request: SearchRequest) -> SearchResult:
    """Search with the configured backend; the database answers when Elasticsearch fails."""
    external = external_backend()
    if external is not None:
        try:
            return external.search(request)
        except Exception as error:  # the engine is down or refused: the database answers
            logger.warning("search: Elasticsearch failed (%s); answered from the database", error)
    return database_backend().search(request)


def suggest(q: str, *, language: str, limit: int = 8) -> list[dict]:
    external = external_backend()
    if external is not None:
        try:
            return external.suggest(q, language=language, limit=limit)
        except Exception as error:
            logger.warning("search: Elasticsearch suggestions failed (%s); answered from the database", error)
    return database_backend().suggest(q, language=language, limit=limit)


_pending_log: list[QueryLog] = []
_pending_lock = threading.Lock()


def log_query(q: str, results: int, language: str) -> None:
    """Note a results page (page one only), written in batches.

    A write per page would make every search a write transaction, serialised with all
    the others on SQLite; the process keeps up to `log_batch()` rows (and at most 30
    seconds' worth) and writes them in one INSERT. A
    process that dies loses at most one batch of this report's rows, never shop data.
    """
    query = normalize(q)[:200]
    if not query:
        return
    now = clock.now()
    with _pending_lock:
        _pending_log.append(QueryLog(query=query, results=results, language=language, created=now))
        due = len(_pending_log) >= log_batch() or (now - _pending_log[0].created).total_seconds() > 30
        rows = _pending_log[:] if due else []
        if due:
            _pending_log.clear()
    if rows:
        QueryLog.objects.bulk_create(rows)


def when_nothing_found(limit: int = 6) -> dict[str, list[dict]]:
    """Never a dead end: top categories and the most booked services."""
    fields = ("kind", "object_id", "language", "title", "title_en", "url", "summary", "summary_en", "price",
              "currency", "image")
    return {
        "categories": list(SearchDocument.objects.filter(kind="category", popularity=1)
                           .order_by("category_path").values(*fields)[:limit * 2]),
        "services": list(SearchDocument.objects.filter(kind="service")
                         .order_by("-popularity", "pk").values(*fields)[:limit]),
    }


def localized_url(doc: dict, language: str) -> str:
    """Documents store their fa address; goods, services and categories exist in both."""
    url = doc.get("url") or ""
    if not doc.get("language") and url.startswith("/fa/") and language != "fa":
        return f"/{language}/" + url[4:]
    return url


def display_title(doc: dict, language: str) -> str:
    if language == "en" and doc.get("title_en"):
        return doc["title_en"]
    return doc.get("title", "")


def display_summary(doc: dict, language: str) -> str:
    if language == "en" and doc.get("summary_en"):
        return doc["summary_en"]
    return doc.get("summary", "")


def category_docs() -> list[dict]:
    return list(SearchDocument.objects.filter(kind="category").order_by("category_path")
                .values("object_id", "title", "title_en", "category_path"))
