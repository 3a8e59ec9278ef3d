"""Operational endpoints."""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.static import serve as static_serve

logger = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any driver error means "down" for the probe
        logger.exception("healthz: database check failed")
        return False


def _cache_ok() -> bool:
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "ok", 5)
        ok = cache.get(key) == "ok"
        cache.delete(key)
        return ok
    except Exception:  # a cache server that is down raises connection errors
        logger.exception("healthz: cache check failed")
        return False


# Outside the per-request transaction: opening it would fail before the check could report.
@transaction.non_atomic_requests
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )


@transaction.non_atomic_requests
def public_media(request: HttpRequest, path: str) -> HttpResponse:
    """Public media (product and CMS images) when no web server serves MEDIA_ROOT
    (CHAARSOO_SERVE_MEDIA=1): only what is under MEDIA_ROOT, cached by browsers for a day.
    Private files live elsewhere (PRIVATE_MEDIA_ROOT) and are never reachable here."""
    response = static_serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@transaction.non_atomic_requests
def bench_ceiling(request: HttpRequest) -> HttpResponse:
    """A view that does nothing, mounted only under `make bench` to measure the ceiling."""
    return HttpResponse(b"ok", content_type="text/plain")


# ------------------------------------------------------------------ error pages
def _language_of(request: HttpRequest) -> str:
    """The URL's language (/en/… is English); anything else reads in the default (fa)."""
    from django.conf import settings
    from django.utils.translation import get_language_from_path

    return get_language_from_path(request.path_info) or settings.LANGUAGE_CODE


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Our 404 in the site's layout and the URL's language; the CMS keeps Wagtail's own."""
    from django.template import loader
    from django.utils import translation

    if request.path_info.startswith("/cms/"):
        template = "wagtailadmin/404.html"
    else:
        template = "404.html"
    with translation.override(_language_of(request)):
        request.LANGUAGE_CODE = translation.get_language()
        body = loader.render_to_string(template, {"request_path": request.path}, request)
    return HttpResponse(body, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Our 500, in the URL's language. It renders without the database or any context
    processor (the failure may be theirs): a plain page in the site's colours."""
    from django.template import loader
    from django.utils import translation

    language = _language_of(request)
    try:
        with translation.override(language):
            body = loader.get_template("500.html").render({"LANGUAGE_CODE": language})
    except Exception:  # noqa: BLE001 - the error page must not fail in turn
        logger.exception("The 500 page could not be rendered")
        body = "<!doctype html><title>500</title><h1>500</h1>"
    return HttpResponse(body, status=500)
