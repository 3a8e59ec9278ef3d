"""Django's Redis cache, degrading to "no cache" while Redis cannot be reached.

Used when REDIS_URL is set. With Redis down the site keeps serving: reads miss, writes are
dropped (each failure logged), sessions fall back to their database rows (cached_db), the
anonymous page cache renders every page, and rate-limit counters let requests through
(logged). /healthz reports the cache as down (503), so the load balancer and the operator
see it. Short socket timeouts (settings) keep a dead Redis from stalling requests.
"""

from __future__ import annotations

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# method -> what it returns while Redis is down (a callable takes the call's arguments)
_DEGRADED = {
    "add": False,
    "get": lambda key, default=None, version=None: default,
    "set": None,
    "touch": False,
    "delete": False,
    "get_many": {},
    "has_key": False,
    "set_many": [],
    "delete_many": None,
    "clear": False,
}


def _degrading(name: str, fallback):
    method = getattr(RedisCache, name)

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except RedisError:
            logger.exception("Redis unreachable: cache.%s degraded", name)
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    return wrapper


class ResilientRedisCache(RedisCache):
    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except RedisError as exc:
            logger.exception("Redis unreachable: cache.incr degraded")
            raise ValueError(f"Key {key!r} not found (cache unreachable)") from exc


for _name, _fallback in _DEGRADED.items():
    setattr(ResilientRedisCache, _name, _degrading(_name, _fallback))
