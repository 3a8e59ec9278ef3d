"""Settings readers of search (each with its default; none needs to be set)."""

from __future__ import annotations

import os

from django.conf import settings


def result_cache_seconds() -> int:
    """How long one query's results (counts, facets, a page of hits) are reused; 0 = never.

    Any index write retires every cached result at once (a version number in the cache).
    """
    value = getattr(settings, "SEARCH_RESULT_CACHE_SECONDS", None)
    if value is None:
        value = os.environ.get("SEARCH_RESULT_CACHE_SECONDS", "60")
    return int(value)


def elasticsearch_url() -> str:
    """ELASTICSEARCH_URL (setting, else environment): empty means the database backend."""
    value = getattr(settings, "ELASTICSEARCH_URL", None)
    return value if value is not None else os.environ.get("ELASTICSEARCH_URL", "")


def elasticsearch_index() -> str:
    """The alias readers and writers use; each rebuild creates `<alias>-<timestamp>` behind it."""
    value = getattr(settings, "ELASTICSEARCH_INDEX", None)
    return value or os.environ.get("ELASTICSEARCH_INDEX", "chaarsoo-search")


def log_batch() -> int:
    """How many results pages are noted before the query log is written (1: each one)."""
    value = getattr(settings, "SEARCH_LOG_BATCH", None)
    if value is None:
        value = os.environ.get("SEARCH_LOG_BATCH", "20")
    return max(int(value), 1)
