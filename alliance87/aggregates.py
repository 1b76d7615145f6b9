"""Cached aggregates: the figures an area's pages compute from thousands of rows, kept in
the cache until that area's data changes.

Each area (an app label) has a token in the cache. Any save or delete of one of its models
replaces the token at once and again after the transaction commits, so a page never serves
figures older than the last committed write: a reader that computed from the old data while
the write was in flight stored them under a token that is already gone. Writes that bypass
model signals (bulk_create, QuerySet.update) call `aggregates_changed` themselves; the
timeout bounds what anything missed could cost.

When the cache is unreachable the figures are simply computed (the cache fails soft).
"""

import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

T = TypeVar("T")

AREAS = ("pathfinders", "governance", "financing", "workshops")
# The reference data every area shows (alliance87.models: countries, focal points): a change
# there is a change in every area.
REFERENCE_AREA = "alliance87"
TIMEOUT_SECONDS = 600
# The render-once lock of `cached_under`: held at most LOCK_SECONDS (a process that dies while
# computing does not hold the others up longer); waiters ask every POLL_SECONDS and compute by
# themselves after WAIT_SECONDS.
LOCK_SECONDS = 10
WAIT_SECONDS = 5.0
POLL_SECONDS = 0.01
_VERSION_KEY = "aggregates:token:{area}"


def _token(area: str) -> str:
    key = _VERSION_KEY.format(area=area)
    token = cache.get(key)
    if token is None:
        token = uuid.uuid4().hex
        if not cache.add(key, token, timeout=None):
            token = cache.get(key) or token
    return token


def _replace_tokens(areas: Iterable[str]) -> None:
    cache.set_many({_VERSION_KEY.format(area=area): uuid.uuid4().hex for area in areas}, None)


def aggregates_changed(*areas: str) -> None:
    """The data of these areas changed: their cached figures are recomputed on next read."""
    _replace_tokens(areas)
    transaction.on_commit(lambda: _replace_tokens(areas))


def version(areas: Iterable[str]) -> str:
    """The current tokens of `areas`, as one string: a key that holds it (a `{% cache %}`
    fragment's, a cached aggregate's) is left behind as soon as any of their data changes."""
    areas = sorted(set(areas))
    found = cache.get_many([_VERSION_KEY.format(area=area) for area in areas])
    return ":".join(found.get(_VERSION_KEY.format(area=area)) or _token(area) for area in areas)


def versioned_key(areas: Iterable[str], key: str) -> str:
    """`key` for the data of `areas` as it stands now: the key changes with any write to them.

    Read it before computing what is stored under it (so what is computed from data a write
    replaces goes under a key already gone). Also the key of a template's `{% cache %}`
    fragment that shows what was computed: the fragment then follows the same writes.
    """
    return f"aggregates:{key}:{version(areas)}"


def cached_aggregate(
    areas: Iterable[str], key: str, compute: Callable[[], T], timeout: int = TIMEOUT_SECONDS
) -> T:
    """`compute()`, or its result stored for `key` while none of `areas` has changed.

    The key must name everything else the result depends on (filters, the countries the
    reader may see, the language when the result holds translated text).
    """
    return cached_under(versioned_key(areas, key), compute, timeout)


class NotKept(Exception):  # noqa: N818 - an answer, not an error
    """Raised by a computation of `cached_under` with what to answer this once, without
    keeping it (an answer other than 200, say): the next reader computes anew."""

    def __init__(self, value: Any) -> None:
        super().__init__()
        self.value = value


def cached_under(full_key: str, compute: Callable[[], T], timeout: int = TIMEOUT_SECONDS) -> T:
    """`compute()`, or its result stored under `full_key` (from `versioned_key`).

    Computed once for all who ask at the same time: when a key goes (a write replaced a
    token, the quarter hour of `alliance87.fragments` turned), every reader of a busy page
    misses at once. The first takes the key's lock and computes; the others wait for its
    result rather than compute the same thing side by side, each slower for the others. A
    waiter computes by itself if the lock goes without a result (the computation raised, an
    access helper refused, the answer was not to be kept: `NotKept`) or after `WAIT_SECONDS`.
    """
    missing = object()
    value = cache.get(full_key, missing)
    if value is not missing:
        return value
    lock = f"{full_key}:computing"
    # While Redis is unreachable, `add` reports success (alliance87.cache): nobody waits.
    if not cache.add(lock, 1, LOCK_SECONDS):
        value = _wait_for(full_key, lock, missing)
        if value is not missing:
            return value
    try:
        value = compute()
        cache.set(full_key, value, timeout)
    except NotKept as answer:
        return answer.value
    finally:
        cache.delete(lock)
    return value


def _wait_for(full_key: str, lock: str, missing: object) -> Any:
    """What the holder of `lock` stores under `full_key`, or `missing` if the lock goes or
    the wait is over without it."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        found = cache.get_many([full_key, lock])
        if full_key in found:
            return found[full_key]
        if lock not in found:
            return missing
    return missing


def _on_change(sender, **kwargs) -> None:
    area = sender._meta.app_label
    if area in AREAS:
        aggregates_changed(area)
    elif area == REFERENCE_AREA:
        aggregates_changed(*AREAS)


def connect_signals() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_change, dispatch_uid=f"aggregates-{signal!r}")
