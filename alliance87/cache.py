"""A Redis cache that fails soft: when Redis cannot be reached, the portal works without it.

Nothing the portal keeps in the cache is the only copy of anything (sessions live in the
database, aggregates are recomputed), so an unreachable Redis must cost speed, never a page.
Each operation that cannot reach Redis behaves as a miss: reads return the default, writes
store nothing, `incr` finds no key. Only connection and timeout errors are caught; anything
else (a value that cannot be pickled, a wrong key) still raises.

After a failure, calls skip Redis for `RETRY_AFTER_SECONDS`, so a Redis that does not answer
(a lost network rather than a stopped server) costs one socket timeout per process every few
seconds, not one per cache call. A warning is logged at most every `WARN_EVERY_SECONDS` per
process. The keys of lost writes are deleted when Redis answers again, so a Redis that kept
its data through the outage does not serve what those writes replaced (an area's aggregate
token, for one: figures would otherwise stay stale until they expire).

`add` reports success while Redis is unreachable. Its callers use it as a lock or a
"first time only" marker (allauth's rate-limit lock): reporting failure would refuse every
request it guards, which locks everyone out rather than degrading. What must hold during an
outage does not rely on it: the sign-in lockout, the limit on wrong two-factor codes and the
memory of used TOTP codes live in the database (alliance87.accounts).

Why not django-redis with `IGNORE_EXCEPTIONS`, the documented way to make a cache fail soft:
it turns each failed call into a miss but cannot meet three needs the tests pin
(tests/alliance87/test_cache.py). It forgets the writes it lost, so a Redis that kept its
data through the outage would serve an area's old aggregate token, and stale figures, until
it expires; it pays the socket timeout on every call while Redis does not answer, where this
backend pauses for `RETRY_AFTER_SECONDS`; and its `add` answers None (refused) and `incr`
None rather than True and "no such key". This backend subclasses Django's own RedisCache
and calls only its public methods.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar, cast

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

T = TypeVar("T")

logger = logging.getLogger("alliance87.cache")

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
RETRY_AFTER_SECONDS = 2.0
WARN_EVERY_SECONDS = 30.0
# Keys whose write was lost, deleted once Redis answers again (per process): beyond this many
# the rest are only logged, and may serve a value older than the lost write until it expires.
MAX_MISSED_WRITES = 50_000

_state_lock = threading.Lock()
# Per server, shared by the per-thread backend instances Django creates.
_skip_until: dict[str, float] = {}
_warned_at: dict[str, float] = {}
# The (key, version) pairs of the writes lost while Redis was unreachable.
_missed: dict[str, set[tuple[str, int | None]]] = {}
_missed_overflow: dict[str, bool] = {}

Write = tuple[str, int | None]


class FailSoftRedisCache(RedisCache):
    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        # The key of this server's shared state: the LOCATION setting as written.
        self.location = server if isinstance(server, str) else ",".join(server)

    def is_failing(self) -> bool:
        """Whether a call failed in the last few seconds (calls are skipping Redis)."""
        return time.monotonic() < _skip_until.get(self.location, 0.0)

    def _failed(self, error: Exception) -> None:
        now = time.monotonic()
        location = self.location
        with _state_lock:
            _skip_until[location] = now + RETRY_AFTER_SECONDS
            warn = now - _warned_at.get(location, -WARN_EVERY_SECONDS) >= WARN_EVERY_SECONDS
            if warn:
                _warned_at[location] = now
        if warn:
            # The URL may carry a password: name the error, not the location.
            logger.warning(
                "cache unreachable, serving without it: %s",
                error,
                extra={"event": "cache_unreachable", "error": type(error).__name__},
            )

    def _miss_writes(self, writes: Iterable[Write]) -> None:
        # A Redis that kept its data through the outage still holds what these writes were
        # to replace (an aggregate area's token, say): forget it once Redis is back.
        location = self.location
        with _state_lock:
            missed = _missed.setdefault(location, set())
            for write in writes:
                if len(missed) >= MAX_MISSED_WRITES:
                    _missed_overflow[location] = True
                    break
                missed.add(write)

    def _forget_missed_writes(self) -> None:
        """Delete the keys whose writes were lost; raises if Redis is still unreachable."""
        location = self.location
        with _state_lock:
            writes = _missed.pop(location, set())
            overflow = _missed_overflow.pop(location, False)
        by_version: dict[int | None, list[str]] = {}
        for key, version in writes:
            by_version.setdefault(version, []).append(key)
        try:
            for version, keys in by_version.items():
                keys.sort()
                for start in range(0, len(keys), 1000):
                    # RedisCache's own delete_many: this one must raise, not fail soft.
                    super().delete_many(keys[start : start + 1000], version=version)
        except UNREACHABLE:
            self._miss_writes(writes)
            raise
        if overflow:
            logger.warning(
                "cache back after more than %s lost writes: some values may be stale until they expire",
                MAX_MISSED_WRITES,
                extra={"event": "cache_missed_writes_overflow"},
            )

    def _soft(
        self, fallback: T, call: Callable[..., T], *args: Any, writes: Iterable[Write] = ()
    ) -> T:
        """`call(*args)`, or `fallback` if Redis is unreachable; `writes` are the (key,
        version) pairs the call would change, remembered when it cannot."""
        if self.is_failing():
            self._miss_writes(writes)
            return fallback
        try:
            if _missed.get(self.location):
                self._forget_missed_writes()
            return call(*args)
        except UNREACHABLE as error:
            self._failed(error)
            self._miss_writes(writes)
            return fallback

    def add(
        self,
        key: str,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        # True while unreachable: see the module docstring.
        writes = [(key, version)]
        return self._soft(True, super().add, key, value, timeout, version, writes=writes)

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        return self._soft(default, super().get, key, default, version)

    def set(
        self,
        key: str,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        writes = [(key, version)]
        self._soft(None, super().set, key, value, timeout, version, writes=writes)

    def touch(
        self, key: str, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return self._soft(False, super().touch, key, timeout, version)

    def delete(self, key: str, version: int | None = None) -> bool:
        writes = [(key, version)]
        return self._soft(False, super().delete, key, version, writes=writes)

    def get_many(self, keys: Iterable[str], version: int | None = None) -> dict[str, Any]:
        return self._soft({}, super().get_many, keys, version)

    def has_key(self, key: str, version: int | None = None) -> bool:
        return self._soft(False, super().has_key, key, version)

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        missing: Any = object()
        writes = [(key, version)]
        value = self._soft(missing, super().incr, key, delta, version, writes=writes)
        if value is missing:
            # What incr does for a key the cache does not hold.
            raise ValueError(f"Key '{key}' not found.")
        return value

    def set_many(
        self,
        data: dict[str, Any],
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> list[str]:
        # Every key failed when Redis is unreachable.
        writes = [(key, version) for key in data]
        return self._soft(list(data), super().set_many, data, timeout, version, writes=writes)

    def delete_many(self, keys: Iterable[str], version: int | None = None) -> None:
        keys = list(keys)
        writes = [(key, version) for key in keys]
        self._soft(None, super().delete_many, keys, version, writes=writes)

    # Django's RedisCache.clear answers whether Redis flushed; django-stubs says None.
    def clear(self) -> bool:  # type: ignore[override]
        clear = cast(Callable[[], bool], super().clear)
        return self._soft(False, clear)


def cache_is_failing(alias: str = "default") -> bool:
    """Whether the cache is a fail-soft Redis that failed in the last few seconds.

    Read it right after the calls it concerns: a call that just failed makes it true.
    """
    backend = caches[alias]
    return isinstance(backend, FailSoftRedisCache) and backend.is_failing()
