"""gunicorn as the production image runs it (alliance87/gunicorn_conf.py)."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from alliance87 import gunicorn_conf

ROOT = Path(__file__).resolve().parents[2]
ROUTES = (
    "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
    "eth0\t00000000\t010012AC\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
    "eth0\t000012AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n"
)


def test_the_gateway_is_read_from_the_default_route(tmp_path):
    table = tmp_path / "route"
    table.write_text(ROUTES)

    assert gunicorn_conf.default_gateway(str(table)) == "172.18.0.1"


def test_without_a_default_route_there_is_no_gateway(tmp_path):
    table = tmp_path / "route"
    table.write_text(ROUTES.splitlines(keepends=True)[0] + ROUTES.splitlines(keepends=True)[2])

    assert gunicorn_conf.default_gateway(str(table)) is None
    assert gunicorn_conf.default_gateway(str(tmp_path / "missing")) is None


def test_the_trusted_proxy_is_the_gateway_unless_forwarded_allow_ips_names_one(monkeypatch):
    monkeypatch.setattr(gunicorn_conf, "default_gateway", lambda: "172.18.0.1")
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    assert gunicorn_conf.trusted_proxies() == "127.0.0.1,::1,172.18.0.1"

    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.5.2")
    assert gunicorn_conf.trusted_proxies() == "10.0.5.2"


def gunicorn(*args: str, tmp_path: Path, forwarded_allow_ips: str = "") -> subprocess.Popen:
    """gunicorn with the image's settings and the production mode (SQLite in `tmp_path`)."""
    unset = {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset} | {
        "DJANGO_ENV": "production",
        "SECRET_KEY": "x7!k2@pLq9#vZ3$wR8^tY6&uI1*oP4(aS5)dF0-gH_jK+lZ=cX",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "FORWARDED_ALLOW_IPS": forwarded_allow_ips,
        # Production refuses to start without Redis; what is tested here never reaches it
        # (without a server at that address the cache fails soft).
        "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:1/0",
    }
    config = ["--config", "python:alliance87.gunicorn_conf"]
    control = ["--control-socket", str(tmp_path / "gunicorn.ctl")]
    return subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), *config, *control, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


@pytest.fixture
def start_gunicorn(tmp_path):
    """Starts the portal under gunicorn on a free local port; returns the port."""
    started = []

    def start(forwarded_allow_ips: str) -> int:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        bind = ["--bind", f"127.0.0.1:{port}", "--workers", "2"]
        process = gunicorn(
            *bind,
            "alliance87.wsgi:application",
            tmp_path=tmp_path,
            forwarded_allow_ips=forwarded_allow_ips,
        )
        started.append(process)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if get(port, "/healthz").status == 200:
                    return port
            except OSError:
                time.sleep(0.2)
        raise AssertionError("gunicorn did not answer /healthz within 30 s")

    start.processes = started
    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def get(port: int, path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"X-Forwarded-Proto": "https"})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_the_proxys_https_is_believed(start_gunicorn):
    response = get(start_gunicorn("127.0.0.1"), "/dashboard/")

    assert response.status == 302 and response.getheader("Location").startswith("/accounts/")
    assert response.getheader("Strict-Transport-Security")


def test_https_claimed_by_anyone_else_is_not_believed(start_gunicorn):
    port = start_gunicorn("192.0.2.10")

    response = get(port, "/dashboard/")

    assert response.status == 301
    assert response.getheader("Location") == f"https://127.0.0.1:{port}/dashboard/"
    assert response.getheader("Strict-Transport-Security") is None


def test_sigterm_stops_gunicorn_with_exit_code_zero(start_gunicorn):
    start_gunicorn("127.0.0.1")
    process = start_gunicorn.processes[0]

    process.send_signal(signal.SIGTERM)

    assert process.wait(timeout=30) == 0


def test_a_portal_that_cannot_load_stops_gunicorn_instead_of_restarting_workers(tmp_path):
    process = gunicorn("--bind", "127.0.0.1:0", "alliance87.no_such_module:app", tmp_path=tmp_path)
    try:
        status = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    assert status != 0
