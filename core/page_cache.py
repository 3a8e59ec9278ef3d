"""A full-page cache for anonymous shoppers on catalogue and CMS pages.

Most storefront traffic is anonymous browsing, and the same page is rendered for every
such visitor: product lists, product pages, Wagtail pages. This middleware keeps the
rendered HTML for `CHAARSOO_PAGE_CACHE_SECONDS` and serves it to visitors who carry no
session, basket, messages or recently-viewed cookie (anything personal bypasses it).
Such a visitor's product views are not added to a recently-viewed history on a hit.

Forms on cached pages still work: CSRF tokens are cut out before storing and a fresh
token for the current visitor is put back on every hit (and its cookie set by Django's
CsrfViewMiddleware, which sits outside this one).

Any save of a product, category, stock record, image, service (with its prices, documents,
categories and areas) or Wagtail page bumps a version
number, which retires every cached page at once. With the default local-memory cache
each gunicorn worker holds its own copy, so another worker's copy can lag by up to the
timeout; with Redis (`REDIS_URL`) the version is shared and invalidation is immediate.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve
from django.utils.translation import get_language

VERSION_KEY = "pagecache:version"
CSRF_SENTINEL = "__chaarsoo_csrf_token__"
NONCE_SENTINEL = "__chaarsoo_csp_nonce__"
CSRF_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(")')
# The query parameters the cacheable pages read; any other is left out of the cache key,
# so `?x=1`, `?x=2`, ... are one entry, not a new one each (an easy way to flood memory).
KNOWN_QUERY_PARAMETERS = frozenset({"page", "sort_by", "q", "category", "area", "selected_facets", "locale"})
CACHEABLE_VIEWS = frozenset(
    {
        "catalogue:index",
        "catalogue:detail",
        "catalogue:category",
        "search:search",
        "wagtail_serve",
        "services_catalog:service-list",
        "services_catalog:service-detail",
    }
)


def _history_cookie_name() -> str:
    return getattr(settings, "OSCAR_RECENTLY_VIEWED_COOKIE_NAME", "oscar_history")


def _personal_cookie_names() -> tuple[str, ...]:
    # A visitor with recently viewed products sees them listed, so that cookie is personal too.
    return (
        settings.SESSION_COOKIE_NAME,
        getattr(settings, "OSCAR_BASKET_COOKIE_OPEN", "oscar_open_basket"),
        "messages",
        _history_cookie_name(),
    )


def current_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, timeout=None)
    return int(version)


def invalidate_all(**_kwargs) -> None:
    """Retire every cached page (called whenever catalogue or CMS content changes)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def connect_invalidation() -> None:
    from django.db.models.signals import post_delete, post_save
    from oscar.core.loading import get_model
    from wagtail.signals import page_published, page_unpublished

    for app_label, model_name in (
        ("catalogue", "Product"),
        ("catalogue", "Category"),
        ("catalogue", "ProductImage"),
        ("catalogue", "ProductCategory"),
        ("partner", "StockRecord"),
        ("partner", "Partner"),
        ("services_catalog", "Service"),
        ("services_catalog", "PriceTier"),
        ("services_catalog", "RequiredDocument"),
        ("services_catalog", "ServiceCategory"),
        ("services_catalog", "Area"),
        # The product page's promises (vendors.templatetags.vendor_promises) and the
        # anonymous product pages kept whole.
        ("vendors", "Contract"),
        ("vendors", "ProductTerm"),
        ("vendors", "CategoryTerm"),
        ("vendors", "DeliveryPromise"),
    ):
        model = get_model(app_label, model_name)
        post_save.connect(invalidate_all, sender=model, dispatch_uid=f"pagecache-save-{model_name}")
        post_delete.connect(invalidate_all, sender=model, dispatch_uid=f"pagecache-del-{model_name}")
    # Wagtail's sites: core.middleware.WagtailSiteMiddleware keeps the lookup under the version.
    from wagtail.models import Site

    post_save.connect(invalidate_all, sender=Site, dispatch_uid="pagecache-save-site")
    post_delete.connect(invalidate_all, sender=Site, dispatch_uid="pagecache-del-site")
    page_published.connect(invalidate_all, dispatch_uid="pagecache-published")
    page_unpublished.connect(invalidate_all, dispatch_uid="pagecache-unpublished")


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = self.cache_key(request)
        if key is None:
            return self.get_response(request)
        cached = cache.get(key)
        if cached is not None:
            return self.rebuild(request, cached)
        response = self.get_response(request)
        if self.is_storable(response):
            cache.set(key, self.freeze(response, request), settings.CHAARSOO_PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response

    def cache_key(self, request: HttpRequest) -> str | None:
        if settings.CHAARSOO_PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
            return None
        if any(name in request.COOKIES for name in _personal_cookie_names()):
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if match.view_name not in CACHEABLE_VIEWS and match.url_name not in CACHEABLE_VIEWS:
            return None
        query = urlencode(sorted(
            (name, value) for name, values in request.GET.lists() if name in KNOWN_QUERY_PARAMETERS for value in values
        ))
        digest = hashlib.sha256(f"{request.get_host()}|{request.path}|{query}".encode()).hexdigest()
        return f"pagecache:{current_version()}:{get_language()}:{digest}"

    @staticmethod
    def is_storable(response: HttpResponse) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            # Oscar's product page starts a recently-viewed history; the page itself is
            # generic for a visitor without one, so it may be stored without the cookie.
            and set(response.cookies) <= {_history_cookie_name()}
            and "private" not in response.get("Cache-Control", "")
            and "no-cache" not in response.get("Cache-Control", "")
            and response.get("Content-Type", "").startswith("text/html")
        )

    @staticmethod
    def freeze(response: HttpResponse, request: HttpRequest | None = None) -> dict:
        content = response.content.decode(response.charset)
        content = CSRF_FIELD.sub(rf"\g<1>{CSRF_SENTINEL}\g<2>", content)
        # The CSP nonce is per response: a hit gets its own (core.csp sets the header).
        nonce = getattr(request, "_csp_nonce", None)
        if isinstance(nonce, str):
            content = content.replace(f'nonce="{nonce}"', f'nonce="{NONCE_SENTINEL}"')
        headers = {
            name: value
            for name, value in response.headers.items()
            if name.lower() not in ("content-length", "set-cookie", "x-page-cache")
        }
        return {"content": content, "headers": headers}

    @staticmethod
    def rebuild(request: HttpRequest, cached: dict) -> HttpResponse:
        content: str = cached["content"]
        if CSRF_SENTINEL in content:
            content = content.replace(CSRF_SENTINEL, get_token(request))
        if NONCE_SENTINEL in content:
            content = content.replace(NONCE_SENTINEL, str(getattr(request, "csp_nonce", "")))
        response = HttpResponse(content)
        for name, value in cached["headers"].items():
            response[name] = value
        response["X-Page-Cache"] = "hit"
        return response
