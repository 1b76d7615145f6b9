"""A real Celery worker (prefork, one child) on the test database and Redis, for the tests
that kill it mid-job: tests/reports/test_worker_kill.py, tests/financing/test_worker_kill.py.

The worker runs tests/worker_app.py with the production defaults of the job mechanism; the
test itself sweeps as beat does (every JOB_SWEEP_SECONDS)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import Model

from alliance87 import jobs

ROOT = Path(__file__).resolve().parents[1]
# "Within about a minute": silent for JOB_LOST_AFTER_SECONDS (45), then the next sweep (15).
RECOVERY_SECONDS = 65


def start_worker(tmp_path) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CELERY_TASK_SOFT_TIME_LIMIT": "20",
        "CELERY_TASK_TIME_LIMIT": "25",
    }
    log = open(tmp_path / "worker.log", "ab")  # noqa: SIM115  closed with the process
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tests.worker_app",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--loglevel=INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"kill-test-{time.time_ns()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def kill(worker: subprocess.Popen, victim: str, tmp_path) -> subprocess.Popen:
    """Kill the worker's pool child, or the whole worker (then start another); returns the
    worker that runs on."""
    if victim == "pool child":
        out = subprocess.run(
            ["pgrep", "-P", str(worker.pid)], capture_output=True, text=True
        ).stdout
        os.kill(int(out.split()[0]), signal.SIGKILL)
        return worker
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)
    return start_worker(tmp_path)


def stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)


def wait_for(row: Model, statuses: set[str], seconds: float) -> Model:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        row.refresh_from_db()
        if row.status in statuses:
            return row
        time.sleep(0.1)
    raise AssertionError(f"{row} stayed {row.status} for {seconds}s")


def taken_up_again(row: Model, killed_at: float) -> float:
    """Sweep as beat does until a second attempt holds the row; the seconds since the kill."""
    next_sweep = killed_at
    while time.monotonic() < killed_at + RECOVERY_SECONDS + 30:
        if time.monotonic() >= next_sweep:
            jobs.sweep()
            next_sweep += settings.JOB_SWEEP_SECONDS
        row.refresh_from_db()
        if row.attempts >= 2:
            return time.monotonic() - killed_at
        time.sleep(0.2)
    raise AssertionError(f"{row} still {row.status} after attempt {row.attempts}")
