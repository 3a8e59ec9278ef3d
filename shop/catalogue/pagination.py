"""Pagination of the catalogue listings without counting the catalogue on every request.

Counting the products a listing shows means testing every product of the catalogue for
an active vendor's stock: 90-120 ms at 50,000 products on SQLite, more than everything
else on the page together (issue 16). The count only says "50,000 products" and how many
pages there are, so it is kept in the cache under the catalogue version of
`core.page_cache`, which every save of a product, category, stock record or vendor bumps:
a changed catalogue is counted again. Prices, stock and the products on a page are read
fresh on every request; only the total can lag, and only until the cache entry times out
in another worker's local-memory cache.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

from core.page_cache import current_version

COUNT_SECONDS_DEFAULT = 300


class CachedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        query = getattr(self.object_list, "query", None)
        if query is None:
            return super().count
        sql, params = query.sql_with_params()
        vendor = connections[self.object_list.db].vendor
        digest = hashlib.sha256(f"{vendor}|{sql}|{params!r}".encode()).hexdigest()
        key = f"catalogue:count:{current_version()}:{digest}"
        value = cache.get(key)
        if value is None:
            value = super().count
            seconds = settings.CHAARSOO_PAGE_CACHE_SECONDS or COUNT_SECONDS_DEFAULT
            cache.set(key, value, seconds)
        return value
