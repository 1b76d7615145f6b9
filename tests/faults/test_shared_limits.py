"""The sign-in limits hold across web processes: gunicorn with two workers, Redis stopped.

With Redis stopped no cache counts anything (the portal's cache fails soft), shared or per
process, so what refuses the sixth try and the replayed code can only be the database. Each
attempt is sent to a known worker: a request left unfinished (a "plug") holds one sync worker,
so the next request goes to the other; the access log names the worker that served each
attempt, and the test checks that they alternate between the two.
"""

import re
import socket
import tempfile
import time
from collections.abc import Callable

import pytest

from .harness import (
    PortalProcess,
    RedisProcess,
    Session,
    form_fields,
    portal_env,
    query,
)

pytestmark = pytest.mark.faults

OBSERVER = "gcg.observer@alliance87.test"
SECRETARIAT = "secretariat@alliance87.test"
PASSWORD = "alliance87-demo"
LOCKED = "Too many failed login attempts"
# gunicorn writes one access-log line per request, with the pid of the worker that served it.
ACCESS_LOG = "--access-logfile - --access-logformat 'served-by %(p)s %(m)s %(U)s ?%(q)s %(s)s'"
PLUG_SETTLE_SECONDS = 1.0  # for the free worker to accept the plug before the next step


class Plug:
    """A request whose headers never end: the sync worker that accepts it serves nothing
    else until release() completes it."""

    def __init__(self, port: int, tag: str) -> None:
        self.connection = socket.create_connection(("127.0.0.1", port), timeout=20)
        self.connection.sendall(
            f"GET /healthz?plug={tag} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            "X-Forwarded-Proto: https\r\n".encode()
        )
        time.sleep(PLUG_SETTLE_SECONDS)

    def release(self) -> None:
        self.connection.sendall(b"Connection: close\r\n\r\n")
        while self.connection.recv(4096):
            pass
        self.connection.close()


def alternately(port: int, calls: list[Callable[[], None]]) -> None:
    """Make the calls one after another, each on the other worker than the one before: while
    one worker is held by a plug the call reaches the other, which then takes the next plug
    before the first is released."""
    plug = Plug(port, "0")
    for number, call in enumerate(calls, start=1):
        call()
        next_plug = Plug(port, str(number))
        plug.release()
        plug = next_plug
    plug.release()


def served_by(portal: PortalProcess, path: str) -> dict[str, int]:
    """The pid of the worker that served each tagged request to `path`, by its attempt tag."""
    text = portal.log_path.read_text(errors="replace")
    pattern = rf"served-by <(\d+)> POST {re.escape(path)} \?attempt=(\S+) \d+"
    return {tag: int(pid) for pid, tag in re.findall(pattern, text)}


def password_step(port: int, email: str, password: str, attempt: str) -> tuple[Session, str]:
    session = Session(port, timeout=20)
    _status, _location, content = session.request("GET", "/accounts/login/")
    fields = form_fields(content, "/accounts/login/")
    fields.update({"login": [email], "password": [password]})
    status, location, content = session.request(
        "POST", f"/accounts/login/?attempt={attempt}", fields
    )
    return session, location if status == 302 else content.decode("utf-8", "replace")


def current_code() -> str:
    from alliance87.accounts.totp import code_for
    from demo.accounts import DEMO_TOTP_SECRET

    # Early in a window: both sign-ins send the code before it expires.
    if 30 - time.time() % 30 < 15:
        time.sleep(30 - time.time() % 30 + 0.2)
    return code_for(DEMO_TOTP_SECRET, int(time.time()) // 30)


def test_two_workers_refuse_the_sixth_sign_in_and_accept_a_totp_code_once(database_url):
    media = tempfile.TemporaryDirectory(prefix="faults-media-")
    redis = RedisProcess().start()
    env = portal_env(
        database_url, media_root=media.name, redis_url=redis.url, GUNICORN_CMD_ARGS=ACCESS_LOG
    )
    portal = PortalProcess(env, workers=2)
    try:
        portal.start()
        _master, workers = portal.pids()
        assert len(workers) == 2
        redis.stop()
        port = portal.port

        def diagnostics() -> str:
            return portal.log_tail(60)

        # Five wrong passwords, then the right one twice: each on the other worker.
        answers: dict[str, str] = {}

        def attempt(tag: str, password: str) -> Callable[[], None]:
            def call() -> None:
                answers[tag] = password_step(port, OBSERVER, password, tag)[1]

            return call

        alternately(
            port,
            [attempt(f"wrong{n}", "wrong-password") for n in range(1, 6)]
            + [attempt(f"right{n}", PASSWORD) for n in (6, 7)],
        )

        for n in range(1, 6):
            assert LOCKED not in answers[f"wrong{n}"], f"try {n} was locked\n{diagnostics()}"
            assert "are not correct" in answers[f"wrong{n}"]
        for n in (6, 7):
            assert LOCKED in answers[f"right{n}"], f"try {n}: {answers[f'right{n}'][:200]}"
        pids = served_by(portal, "/accounts/login/")
        order = [pids[f"wrong{n}"] for n in range(1, 6)] + [pids[f"right{n}"] for n in (6, 7)]
        assert set(order) == set(workers), f"{order} {workers}\n{diagnostics()}"
        assert all(a != b for a, b in zip(order, order[1:], strict=False)), order
        assert query(
            database_url,
            "SELECT count(*) FROM accounts_securityevent WHERE kind = 'sign_in_failed' "
            "AND email = %s",
            (OBSERVER,),
        ) == [(5,)]

        # The Secretariat's password step in two browsers, then one code sent from both,
        # each to the other worker: it signs in once.
        browsers = []
        for tag in ("first", "second"):
            session, location = password_step(port, SECRETARIAT, PASSWORD, f"password-{tag}")
            assert "/2fa/authenticate" in location, f"{location[:200]}\n{diagnostics()}"
            _status, _location, content = session.request("GET", "/accounts/2fa/authenticate/")
            browsers.append((tag, session, form_fields(content, "/accounts/2fa/authenticate/")))
        code = current_code()
        results: dict[str, tuple[int, str, str]] = {}

        def send_code(tag: str, session: Session, fields: dict) -> Callable[[], None]:
            def call() -> None:
                status, location, content = session.request(
                    "POST", f"/accounts/2fa/authenticate/?attempt={tag}", {**fields, "code": [code]}
                )
                results[tag] = (status, location, content.decode("utf-8", "replace"))

            return call

        alternately(port, [send_code(*browser) for browser in browsers])

        status, location, _content = results["first"]
        assert (status, location) == (302, "/dashboard/"), f"{status} {location}\n{diagnostics()}"
        status, _location, content = results["second"]
        assert status == 200 and "Incorrect code." in content, f"{status}\n{diagnostics()}"
        assert browsers[1][1].request("GET", "/dashboard/")[0] == 302  # not signed in
        pids = served_by(portal, "/accounts/2fa/authenticate/")
        assert {pids["first"], pids["second"]} == set(workers), f"{pids}\n{diagnostics()}"
        assert query(database_url, "SELECT count(*) FROM accounts_usedtotpcode") == [(1,)]
    finally:
        portal.stop()
        redis.stop()
        media.cleanup()
