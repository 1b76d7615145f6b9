"""The fault harness: the portal's real services, started, broken and stopped by a test.

A fault test drives separate processes (gunicorn with the production settings, a Celery
worker and beat, a private redis-server) on a scratch PostgreSQL database of its own; it never
uses pytest-django's test database (do not request the `db` fixture). Every wait is bounded and
every process is ended by its own id in `stop()`, which is safe to call twice, so call it in
a `finally`. Subprocess output goes to log files: `log_tail()` is for assertion messages.

    free_port() -> int
        A free TCP port on 127.0.0.1.

    scratch_database(server_url) -> context manager yielding the database URL
        On `server_url` (e.g. FAULTS_DATABASE_SERVER=postgres://postgres@127.0.0.1:5433)
        creates `faults_<pid>_<random>`, migrated and loaded with the demo data, and drops it
        at the end. `manage.py migrate` and `manage.py seed_demo` run in a subprocess
        (development settings: seed_demo refuses production) once per pytest process and
        server, into a template database (`faults_template_<pid>`, dropped when the process
        exits); each scratch database is a copy of it, made in about a second. Databases
        left by a killed test process are dropped by the next run.

    query(database_url, sql, params=()) -> list[tuple]
        Read the scratch database directly (psycopg2), e.g. to check what was stored.

    editable_report(database_url, iso_code) -> int
        The newest draft or returned progress report of a demo country (e.g. "FJ").

    indicator_fields(database_url, kind) -> set[str]
        The progress form's value fields ("ind-<id>-value") of the indicators of one kind.

    stored_report(database_url, report_id) -> StoredReport
        A progress report as stored: version, summary, values (StoredValue: indicator_id,
        kind, value_number, value_text, narrative) and commitment_narratives.

    portal_env(database_url, *, media_root, redis_url, **extra) -> dict
        The environment of the production settings (bench/portal_client.production_env):
        DJANGO_ENV=production, a random SECRET_KEY, DEBUG off, the given database and media
        folder, Celery and the cache on `redis_url` (production mode refuses to start
        without Redis; the `redis_url` fixture gives a private one): the shared REDIS_URL is
        never inherited. `extra` adds or overrides variables (e.g.
        REPORT_REQUESTS_PER_HOUR="1000").

    The processes below share stop() (SIGTERM to the process group, SIGKILL after a grace
    period: bench/portal_client.stop_process_group) and log_tail(lines=None, width=400).

    PortalProcess(env, workers=4): start(), stop(), port, pids(), log_tail()
        gunicorn (bench/portal_client.start_gunicorn), started once /healthz answers.
        pids() is (master pid, sorted worker pids). Static files are collected once per
        pytest process into a temporary STATIC_ROOT.

    RedisProcess(port=None): start(), stop(), port, url, url_for(database), log_tail()
        `redis-server --save '' --appendonly no` on a free (or the given) port; start()
        again after stop() comes back on the same port.

    CeleryWorker(env, concurrency=2): start(timeout=60), stop(), log_tail()
        `celery -A alliance87 worker`, started once it logs that it is ready.

    CeleryBeat(env): start(timeout=60), stop(), log_tail()
        `celery -A alliance87 beat` (schedule and pid files in a folder of its own), started
        once it has sent a due task.

    PostgresCluster(spec): stop(), start(), restart()
        `pg_ctlcluster` on a dedicated cluster, e.g. FAULTS_POSTGRES_CLUSTER="15 faults".
        Never the shared cluster on 5432. checkpoint(server_url) first keeps the stop short.

    render_in_development(database_url, request_ids, folder) -> {id: DevelopmentRendering}
        The given report requests rendered again, in a subprocess with the development
        settings (static files straight from static/, no manifest), each as of its recorded
        data_as_of: DevelopmentRendering(pdf=<folder>/<id>.pdf, refused=[URLs]).

    sign_in_as(port, email) -> Session
        A demo person signed in through the real sign-in form (bench/portal_client.sign_in_demo:
        the Secretariat with its TOTP code; sign it in at most once per portal and 30 seconds,
        as a code is used only once), with a request timeout of REQUEST_TIMEOUT seconds.

    copy_session(session) -> Session
        Another client with the same cookies (the same person in another browser tab).

    Session, form_fields, sign_in: from bench/portal_client.py (the benchmark's client).

The tests are marked `faults` and skipped, with the reason, without FAULTS_POSTGRES_CLUSTER,
FAULTS_DATABASE_SERVER or redis-server (tests/conftest.py); .ci/run provides them.
"""

import atexit
import contextlib
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import psycopg2

from bench.portal_client import (
    HOST,
    ROOT,
    Session,
    child_processes,
    form_fields,
    free_port,
    production_env,
    sign_in,
    sign_in_demo,
    start_gunicorn,
    stop_process_group,
)

__all__ = [
    "CeleryBeat",
    "CeleryWorker",
    "PortalProcess",
    "PostgresCluster",
    "RedisProcess",
    "Session",
    "checkpoint",
    "copy_session",
    "editable_report",
    "form_fields",
    "free_port",
    "indicator_fields",
    "portal_env",
    "query",
    "render_in_development",
    "scratch_database",
    "sign_in",
    "sign_in_as",
    "stored_report",
]

REQUEST_TIMEOUT = 20  # seconds: no request of a fault test may hang longer

_LOCK = threading.RLock()
_TEMPLATES: dict[str, str] = {}
_STATIC_COLLECTED: set[str] = set()
_WORK: list[Path] = []


def _work() -> Path:
    """Logs, seed media, collected static files: one folder per pytest process, made when
    first needed and removed when the process exits."""
    with _LOCK:
        if not _WORK:
            _WORK.append(Path(tempfile.mkdtemp(prefix="faults-")))
            atexit.register(shutil.rmtree, _WORK[0], ignore_errors=True)
        return _WORK[0]


def _log_path(name: str) -> Path:
    return _work() / f"{name}-{secrets.token_hex(4)}.log"


def _tail(path: Path | None, lines: int = 40, width: int = 400) -> str:
    """The last lines of a log, each cut to `width` characters (a JSON line holds a whole
    traceback)."""
    if path is None or not path.exists():
        return "(no log)"
    text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join(
        line if len(line) <= width else line[:width] + " [...]" for line in text[-lines:]
    )


# --- PostgreSQL --------------------------------------------------------------------------


def _server_url(server_url: str, database: str) -> str:
    parts = urllib.parse.urlsplit(server_url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, f"/{database}", "", ""))


def _admin(server_url: str, *statements: str) -> None:
    connection = psycopg2.connect(_server_url(server_url, "postgres"), connect_timeout=5)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        connection.close()


def query(database_url: str, sql: str, params: tuple | dict = ()) -> list[tuple]:
    connection = psycopg2.connect(database_url, connect_timeout=5)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    finally:
        connection.close()


def _development_env(database_url: str) -> dict:
    """The development settings on `database_url`: no Redis, files served from static/."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"DJANGO_ENV", "REDIS_URL", "REDIS_CACHE_URL", "SECRET_KEY", "EMAIL_URL", "DEBUG"}
    }
    env.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "alliance87.settings",
            "MEDIA_ROOT": str(_work() / "seed-media"),
            "STATIC_ROOT": str(_work() / "development-static"),
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def _manage(database_url: str, *args: str, timeout: float) -> None:
    """A management command in development mode on `database_url`, quietly."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_development_env(database_url),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode:
        output = (result.stdout + result.stderr)[-3000:]
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{output}")


def _template(server_url: str) -> str:
    """The migrated, seeded template database of this process on `server_url`."""
    with _LOCK:
        if server_url in _TEMPLATES:
            return _TEMPLATES[server_url]
        _drop_leftovers(server_url)
        name = f"faults_template_{os.getpid()}"
        _admin(server_url, f"CREATE DATABASE {name}")
        try:
            url = _server_url(server_url, name)
            _manage(url, "migrate", "--noinput", "-v0", timeout=300)
            _manage(url, "seed_demo", timeout=300)
        except BaseException:
            _admin(server_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            raise
        _TEMPLATES[server_url] = name
        atexit.register(_drop_quietly, server_url, name)
        return name


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def _drop_leftovers(server_url: str) -> None:
    """Drop the databases of fault-test processes that were killed before their clean-up.
    Each name carries the pid of its process; databases of live processes are left alone."""
    rows = query(
        _server_url(server_url, "postgres"),
        "SELECT datname FROM pg_database WHERE datname ~ '^faults_(template_)?[0-9]+(_|$)'",
    )
    for (name,) in rows:
        pid = int(re.match(r"faults_(?:template_)?(\d+)", name).group(1))
        if not _alive(pid):
            _drop_quietly(server_url, name)


def _drop_quietly(server_url: str, name: str) -> None:
    with contextlib.suppress(psycopg2.Error):  # the server is gone: nothing to drop
        _admin(server_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _strategy(server_url: str) -> str:
    connection = psycopg2.connect(_server_url(server_url, "postgres"), connect_timeout=5)
    try:
        return "STRATEGY FILE_COPY" if connection.server_version >= 150000 else ""
    finally:
        connection.close()


@contextlib.contextmanager
def scratch_database(server_url: str) -> Iterator[str]:
    template = _template(server_url)
    name = f"faults_{os.getpid()}_{secrets.token_hex(4)}"
    deadline = time.monotonic() + 30
    while True:
        try:
            # FILE_COPY copies the files after one checkpoint, leaving no dirty buffers
            # behind: the default (WAL_LOG) makes every later checkpoint, the one DROP
            # DATABASE forces and the shutdown one of a restart test, take seconds.
            _admin(
                server_url, f"CREATE DATABASE {name} TEMPLATE {template} {_strategy(server_url)}"
            )
            break
        except psycopg2.errors.ObjectInUse:
            # A backend of the seeding subprocess may linger for a moment.
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    try:
        yield _server_url(server_url, name)
    finally:
        _drop_after_restart(server_url, name)


def _drop_after_restart(server_url: str, name: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            _admin(server_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            return
        except psycopg2.OperationalError:
            # A test that stopped the server may still be bringing it back.
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def checkpoint(server_url: str) -> None:
    """Write the dirty buffers out now, so stopping the cluster takes a moment, not seconds
    (a freshly copied database leaves a lot for the shutdown checkpoint)."""
    _admin(server_url, "CHECKPOINT")


class PostgresCluster:
    """A dedicated Debian cluster ("15 faults"), stopped and started with pg_ctlcluster."""

    def __init__(self, spec: str) -> None:
        self.version, self.name = spec.split()

    def _ctl(self, action: str, *options: str) -> None:
        subprocess.run(
            [
                "pg_ctlcluster",
                "--skip-systemctl-redirect",
                *options,
                self.version,
                self.name,
                action,
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )

    def stop(self) -> None:
        self._ctl("stop", "--mode", "fast")

    def start(self) -> None:
        self._ctl("start")  # returns once the server accepts connections

    def restart(self) -> None:
        self._ctl("restart", "--mode", "fast")


# --- Progress reports in the scratch database --------------------------------------------


def editable_report(database_url: str, iso_code: str) -> int:
    """The newest draft or returned progress report of the country."""
    rows = query(
        database_url,
        """SELECT r.id FROM pathfinders_progressreport r
           JOIN pathfinders_pathfindercountry p ON p.id = r.pathfinder_id
           JOIN pathfinders_country c ON c.id = p.country_id
           WHERE c.iso_code = %s AND r.status IN ('draft', 'returned')
           ORDER BY r.id DESC LIMIT 1""",
        (iso_code,),
    )
    assert rows, f"the demo data has no editable report for {iso_code}"
    return rows[0][0]


def indicator_fields(database_url: str, kind: str) -> set[str]:
    """The progress form's value fields of the indicators of `kind` ("text", "percentage")."""
    rows = query(database_url, "SELECT id FROM pathfinders_indicator WHERE kind = %s", (kind,))
    return {f"ind-{pk}-value" for (pk,) in rows}


@dataclass(frozen=True)
class StoredValue:
    indicator_id: int
    kind: str
    value_number: Decimal | None
    value_text: str
    narrative: str


@dataclass(frozen=True)
class StoredReport:
    version: int
    summary: str
    values: list[StoredValue]
    commitment_narratives: list[str]


def stored_report(database_url: str, report_id: int) -> StoredReport:
    """What the database holds of a progress report: the report, its indicator values and
    the narratives of its commitment updates."""
    ((version, summary),) = query(
        database_url,
        "SELECT version, summary FROM pathfinders_progressreport WHERE id = %s",
        (report_id,),
    )
    values = query(
        database_url,
        """SELECT i.id, i.kind, v.value_number, v.value_text, v.narrative
           FROM pathfinders_indicatorvalue v
           JOIN pathfinders_indicator i ON i.id = v.indicator_id WHERE v.report_id = %s""",
        (report_id,),
    )
    updates = query(
        database_url,
        "SELECT narrative FROM pathfinders_commitmentupdate WHERE report_id = %s",
        (report_id,),
    )
    return StoredReport(
        version=version,
        summary=summary,
        values=[StoredValue(*row) for row in values],
        commitment_narratives=[narrative for (narrative,) in updates],
    )


# --- Processes ---------------------------------------------------------------------------


def portal_env(database_url: str, *, media_root: Path | str, redis_url: str, **extra: str) -> dict:
    env = production_env(database_url)
    for name in ("REDIS_URL", "REDIS_CACHE_URL", "EMAIL_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "alliance87.settings",
            "BENCH_FLOOR": "false",
            "STATIC_ROOT": str(_work() / "static"),
            "MEDIA_ROOT": str(media_root),
        }
    )
    env["REDIS_URL"] = redis_url
    env.update({name: str(value) for name, value in extra.items()})
    return env


def _collect_static(env: dict) -> None:
    with _LOCK:
        if env["STATIC_ROOT"] in _STATIC_COLLECTED:
            return
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=180,
        )
        _STATIC_COLLECTED.add(env["STATIC_ROOT"])


class _ServiceProcess:
    """A process the harness starts in a session of its own, its output in a log file."""

    label = ""  # names the process in its log file, log_tail() and errors
    grace = 10.0  # seconds from SIGTERM to SIGKILL in stop()
    tail_lines = 40

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.log_path = _log_path(self.label.replace(" ", "-"))

    def _launch(
        self, command: list[str], *, env: dict | None, timeout: float, poll: float, late: str
    ) -> None:
        """Run `command` and wait until `_ready()`; after `timeout` seconds, stop it and
        raise with `late` ("<late> within <timeout> s") and the log."""
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            if self._ready():
                return
            time.sleep(poll)
        self.stop()
        raise RuntimeError(f"{late} within {timeout:g} s\n{self.log_tail()}")

    def _ready(self) -> bool:
        raise NotImplementedError

    def stop(self) -> None:
        stop_process_group(self.process, grace=self.grace)

    def log_tail(self, lines: int | None = None, width: int = 400) -> str:
        lines = lines or self.tail_lines
        tail = _tail(self.log_path, lines, width)
        return f"--- {self.label} log (last {lines} lines) ---\n{tail}"


class PortalProcess(_ServiceProcess):
    label = "gunicorn"
    grace = 15.0

    def __init__(self, env: dict, workers: int = 4) -> None:
        super().__init__()
        self.env = dict(env)
        self.workers = workers
        self.port: int | None = None

    def start(self) -> "PortalProcess":
        _collect_static(self.env)
        self.port = free_port()
        with open(self.log_path, "ab") as log:
            try:
                self.process = start_gunicorn(
                    self.env, self.port, self.workers, collectstatic=False, log=log
                )
            except SystemExit as error:
                raise RuntimeError(f"{error}\n{self.log_tail()}") from None
        return self

    def pids(self) -> tuple[int, list[int]]:
        assert self.process is not None
        return self.process.pid, sorted(child_processes(self.process.pid))


class RedisProcess(_ServiceProcess):
    label = "redis-server"
    tail_lines = 20

    def __init__(self, port: int | None = None) -> None:
        super().__init__()
        self.port = port

    @property
    def url(self) -> str:
        return self.url_for(0)

    def url_for(self, database: int) -> str:
        return f"redis://{HOST}:{self.port}/{database}"

    def _ready(self) -> bool:
        try:
            with socket.create_connection((HOST, self.port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> "RedisProcess":
        self.port = self.port or free_port()
        self._launch(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                HOST,
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(_work()),
            ],
            env=None,
            timeout=10,
            poll=0.1,
            late="redis-server did not answer",
        )
        return self


class _CeleryProcess(_ServiceProcess):
    """`celery -A alliance87 <command>` with the portal's environment."""

    def __init__(self, env: dict) -> None:
        super().__init__()
        self.env = dict(env)

    def _launch_celery(self, command: str, *options: str, timeout: float, late: str) -> None:
        self._launch(
            [sys.executable, "-m", "celery", "-A", "alliance87", command, "--loglevel=INFO"]
            + list(options),
            env=self.env,
            timeout=timeout,
            poll=0.2,
            late=late,
        )


class CeleryWorker(_CeleryProcess):
    label = "celery worker"
    grace = 20.0

    def __init__(self, env: dict, concurrency: int = 2) -> None:
        super().__init__(env)
        self.concurrency = concurrency

    def _ready(self) -> bool:
        return bool(re.search(r"\bready\.", _tail(self.log_path, 200, width=1000)))

    def start(self, timeout: float = 60) -> "CeleryWorker":
        self._launch_celery(
            "worker",
            f"--concurrency={self.concurrency}",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"faults-{os.getpid()}-{secrets.token_hex(3)}@%h",
            timeout=timeout,
            late="the Celery worker was not ready",
        )
        return self


class CeleryBeat(_CeleryProcess):
    label = "celery beat"
    grace = 15.0
    tail_lines = 30

    def __init__(self, env: dict) -> None:
        super().__init__(env)
        self.folder = Path(tempfile.mkdtemp(prefix="beat-", dir=_work()))

    def _ready(self) -> bool:
        return "Sending due task" in self.log_path.read_text(errors="replace")

    def start(self, timeout: float = 60) -> "CeleryBeat":
        self._launch_celery(
            "beat",
            "--schedule",
            str(self.folder / "beat-schedule"),
            "--pidfile",
            str(self.folder / "beat.pid"),
            timeout=timeout,
            late="celery beat sent nothing",
        )
        return self


# --- Clients -----------------------------------------------------------------------------


def sign_in_as(port: int, email: str) -> Session:
    session = sign_in_demo(port, email)
    session.timeout = REQUEST_TIMEOUT
    return session


def copy_session(session: Session) -> Session:
    return Session(session.port, dict(session.cookies), session.timeout)


# --- The same reports rendered in development ----------------------------------------------


@dataclass(frozen=True)
class DevelopmentRendering:
    pdf: Path
    refused: list[str]


def render_in_development(
    database_url: str, request_ids: list[int], folder: Path, timeout: float = 180
) -> dict[int, DevelopmentRendering]:
    """Render the given report requests again with the development settings (static files
    straight from static/, no manifest), each as of its recorded data_as_of, in a subprocess
    (tests/faults/render_development.py) on `database_url`."""
    folder.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.faults.render_development",
            str(folder),
            *map(str, request_ids),
        ],
        cwd=ROOT,
        env=_development_env(database_url),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode:
        output = (result.stdout + result.stderr)[-3000:]
        raise RuntimeError(f"rendering in development failed:\n{output}")
    return {
        pk: DevelopmentRendering(
            pdf=folder / f"{pk}.pdf",
            refused=(folder / f"{pk}.refused").read_text().split(),
        )
        for pk in request_ids
    }
