"""The cache on Redis, falling back to this process's memory while Redis is unreachable.

Rate limits (allauth's for sign-in, django-ratelimit's for ideas, applications and votes)
count in the cache. With a plain RedisCache an unreachable Redis turns every one of those
requests into a 500. Failing open would switch brute-force protection off for exactly as
long as an attacker can keep Redis busy; a per-process fallback keeps counting, only less
precisely (each gunicorn worker counts on its own, so a limit is at most `workers` times
looser), and logs a warning so the outage is seen. Nothing else the project keeps in the
cache must survive a restart, so the memory copy loses nothing that matters.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

REDIS_DOWN_ERRORS = (RedisConnectionError, RedisTimeoutError, ConnectionError, OSError)

# How long to use the memory copy before asking Redis again, so a request does not wait
# for a connect timeout on every cache call while Redis is down.
RETRY_AFTER_SECONDS = 10.0


def _fallback_method(name: str):
    def method(self, *args: Any, **kwargs: Any) -> Any:
        if not self._redis_down():
            try:
                return getattr(super(FallbackRedisCache, self), name)(*args, **kwargs)
            except REDIS_DOWN_ERRORS as exc:
                self._mark_down(exc)
        return getattr(self._fallback, name)(*args, **kwargs)

    method.__name__ = name
    return method


class FallbackRedisCache(RedisCache):
    """Django's RedisCache whose calls go to a LocMemCache while Redis does not answer."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._fallback = LocMemCache(f"fallback-{server}", {"TIMEOUT": params.get("TIMEOUT")})
        self._down_until = 0.0

    def _redis_down(self) -> bool:
        return time.monotonic() < self._down_until

    def _mark_down(self, exc: BaseException) -> None:
        if not self._redis_down():
            logger.warning(
                "cache: Redis unreachable, counting rate limits in this process for %ss: %r",
                RETRY_AFTER_SECONDS,
                exc,
            )
        self._down_until = time.monotonic() + RETRY_AFTER_SECONDS

    add = _fallback_method("add")
    get = _fallback_method("get")
    set = _fallback_method("set")
    touch = _fallback_method("touch")
    delete = _fallback_method("delete")
    get_many = _fallback_method("get_many")
    has_key = _fallback_method("has_key")
    incr = _fallback_method("incr")
    set_many = _fallback_method("set_many")
    delete_many = _fallback_method("delete_many")
    clear = _fallback_method("clear")
