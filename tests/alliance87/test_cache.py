"""The Redis cache fails soft: with Redis unreachable the portal answers, only slower.

Every test points the cache at a real address: a closed local port (a stopped Redis), a
socket that accepts and never answers (a lost network), or a private redis-server.
"""

import logging
import pickle
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.urls import reverse

from alliance87.cache import cache_is_failing


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _use_redis_at(settings, port: int) -> None:
    # The production block of settings.CACHES, pointed at the given port.
    settings.CACHES = {
        "default": {
            "BACKEND": "alliance87.cache.FailSoftRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/10",
            "KEY_PREFIX": "alliance87-test",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def stopped_redis(settings) -> None:
    """The cache points at a port nothing listens on: a stopped Redis."""
    _use_redis_at(settings, _free_port())


@pytest.fixture
def silent_redis(settings) -> Iterator[None]:
    """The cache points at a socket that accepts connections and never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        _use_redis_at(settings, sock.getsockname()[1])
        yield


@pytest.fixture
def private_redis(settings) -> Iterator[subprocess.Popen]:
    """A redis-server of this test's own on a free port, without persistence."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("needs redis-server: apt-get install redis-server")
    port = _free_port()
    command = [
        binary,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_for_port(port)
    _use_redis_at(settings, port)
    process.command = command  # type: ignore[attr-defined]
    yield process
    process.kill()
    process.wait(timeout=5)


def _wait_for_port(port: int, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.02)
    raise TimeoutError(f"redis-server did not listen on {port} within {timeout} s")


def test_reads_are_misses_when_redis_is_stopped(stopped_redis):
    assert cache.get("figures") is None
    assert cache.get("figures", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("figures") is False
    assert cache.get_or_set("figures", lambda: 42) == 42


def test_writes_store_nothing_and_do_not_raise_when_redis_is_stopped(stopped_redis):
    cache.set("figures", 1)
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.delete("figures") is False
    cache.delete_many(["a", "b"])
    assert cache.touch("figures") is False
    assert cache.clear() is False
    assert cache.get("figures") is None


def test_incr_behaves_as_for_a_missing_key_when_redis_is_stopped(stopped_redis):
    with pytest.raises(ValueError):
        cache.incr("counter")
    with pytest.raises(ValueError):
        cache.decr("counter")


def test_add_reports_success_when_redis_is_stopped(stopped_redis):
    # Used as a lock and a "first time only" marker (allauth's rate limits, used TOTP
    # codes): failing would refuse every sign-in instead of degrading.
    assert cache.add("lock", True) is True
    assert cache.add("lock", True) is True


def test_a_programming_error_still_raises_when_redis_is_stopped(stopped_redis):
    with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):
        cache.set("figures", lambda: 1)


def test_a_stopped_redis_answers_fast(stopped_redis):
    started = time.monotonic()
    for n in range(200):
        cache.get(f"figures-{n}")
        cache.set(f"figures-{n}", n)
    assert time.monotonic() - started < 0.5


def test_a_silent_redis_costs_one_timeout_then_is_skipped(silent_redis):
    started = time.monotonic()
    assert cache.get("figures") is None
    first = time.monotonic() - started
    for n in range(100):
        assert cache.get(f"figures-{n}") is None
    rest = time.monotonic() - started - first

    assert first < 1.5  # connect, then one read timeout (0.5 s)
    assert rest < 0.1
    assert cache_is_failing()


def test_an_outage_is_logged_once_not_per_call(stopped_redis, caplog, monkeypatch):
    monkeypatch.setattr("alliance87.cache.RETRY_AFTER_SECONDS", 0.0)  # every call tries Redis
    with caplog.at_level(logging.WARNING, logger="alliance87.cache"):
        for n in range(20):
            cache.get(f"figures-{n}")

    warnings = [r for r in caplog.records if r.name == "alliance87.cache"]
    assert len(warnings) == 1
    assert "cache unreachable" in warnings[0].getMessage()


def test_pages_render_when_redis_is_stopped(stopped_redis, client_for, gcg_member, country):
    client = client_for(gcg_member)

    for name in ("dashboard", "pathfinders:overview", "financing:gaps", "governance:composition"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
    assert cache_is_failing()


def test_healthz_answers_when_redis_is_stopped(stopped_redis, db, client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "worker_heartbeat": None}


def test_the_cache_works_again_once_redis_is_back(private_redis, monkeypatch):
    monkeypatch.setattr("alliance87.cache.RETRY_AFTER_SECONDS", 0.2)
    cache.set("figures", {"total": 3})
    assert cache.get("figures") == {"total": 3}

    private_redis.kill()
    private_redis.wait(timeout=5)
    assert cache.get("figures") is None  # a miss, not an error

    restarted = subprocess.Popen(
        private_redis.command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_for_port(int(private_redis.command[2]))
        time.sleep(0.3)  # past the pause after a failure
        cache.set("figures", {"total": 4})
        assert cache.get("figures") == {"total": 4}
        assert not cache_is_failing()
    finally:
        restarted.kill()
        restarted.wait(timeout=5)


def test_a_write_lost_in_an_outage_does_not_leave_the_old_value_behind(private_redis, monkeypatch):
    # A Redis that keeps its data through the outage (paused here) must not serve what a
    # lost write replaced, e.g. an area's aggregate token: that key is deleted once it is back.
    import redis

    monkeypatch.setattr("alliance87.cache.RETRY_AFTER_SECONDS", 0.2)
    cache.set("aggregates:token:pathfinders", "old")
    cache.set("untouched", "kept")
    port = int(private_redis.command[2])
    redis.Redis(port=port).execute_command("CLIENT", "PAUSE", 1500, "ALL")

    cache.set("aggregates:token:pathfinders", "new")  # times out: lost
    assert cache_is_failing()
    time.sleep(1.6)  # the pause is over, and the retry pause after the failure

    assert cache.get("aggregates:token:pathfinders") is None
    assert cache.get("untouched") == "kept"
