"""Operational endpoints."""

from __future__ import annotations

import logging
import uuid

from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

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
def bench_ceiling(request: HttpRequest) -> HttpResponse:
    """A view that does nothing, mounted only under `make bench` to measure the ceiling."""
    return HttpResponse(b"ok", content_type="text/plain")
