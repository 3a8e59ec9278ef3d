"""Search backends: one interface (`base.SearchBackend`), two engines.

`get_backend()` gives Elasticsearch when ELASTICSEARCH_URL is set, else the database.
"""

from __future__ import annotations

from search.backends.base import SearchBackend, SearchResult
from search.backends.database import DatabaseBackend
from search.conf import elasticsearch_url

__all__ = ["SearchBackend", "SearchResult", "database_backend", "external_backend", "get_backend"]

_database = DatabaseBackend()


def database_backend() -> DatabaseBackend:
    return _database


def external_backend() -> SearchBackend | None:
    """The Elasticsearch backend when ELASTICSEARCH_URL is set, else None."""
    url = elasticsearch_url()
    if not url:
        return None
    from search.backends.elastic import ElasticBackend  # loaded only when configured

    return ElasticBackend.for_url(url)


def get_backend() -> SearchBackend:
    return external_backend() or _database
