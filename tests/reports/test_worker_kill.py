"""A worker killed mid-render (its pool child, or the worker itself) leaves a request that
is taken up again within about a minute and ends done exactly once, with one file.

The settings are the production ones: a killed pool child's message comes straight back and
the next delivery takes the row over; a killed worker stops the row's heartbeat, and the
sweep (run here every JOB_SWEEP_SECONDS, as beat does) takes it back once it has been silent
for JOB_LOST_AFTER_SECONDS, long before the lease would end.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from alliance87 import jobs
from alliance87.reports import services
from alliance87.reports.models import ReportRequest

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
# "Within about a minute": silent for JOB_LOST_AFTER_SECONDS (45), then the next sweep (15).
RECOVERY_SECONDS = 65


def start_worker(tmp_path) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.reports.worker_settings",
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
            "tests.reports.worker_app",
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


def wait_for(report: ReportRequest, statuses: set[str], seconds: float) -> ReportRequest:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.status in statuses:
            return report
        time.sleep(0.1)
    raise AssertionError(f"report stayed {report.status} for {seconds}s")


def pool_child(worker: subprocess.Popen) -> int:
    out = subprocess.run(["pgrep", "-P", str(worker.pid)], capture_output=True, text=True).stdout
    return int(out.split()[0])


def stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)


def taken_up_again(report: ReportRequest, killed_at: float) -> float:
    """Sweep as beat does until a second attempt holds the row; the seconds since the kill."""
    next_sweep = killed_at
    while time.monotonic() < killed_at + RECOVERY_SECONDS + 30:
        if time.monotonic() >= next_sweep:
            jobs.sweep()
            next_sweep += settings.JOB_SWEEP_SECONDS
        report.refresh_from_db()
        if report.attempts >= 2:
            return time.monotonic() - killed_at
        time.sleep(0.2)
    raise AssertionError(f"report still {report.status} after attempt {report.attempts}")


@pytest.fixture
def slow_request(gcg_member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    report, _ = services.report_request(
        user=gcg_member, kind="test_kind", parameters={"country": "ZZ"}, language="en"
    )
    return report


@pytest.mark.parametrize("victim", ["pool child", "main worker"])
def test_a_killed_worker_leaves_a_request_that_ends_done_once_with_one_file(
    slow_request, tmp_path, victim
):
    worker = start_worker(tmp_path)
    try:
        wait_for(slow_request, {"running"}, 60)
        killed_at = time.monotonic()
        if victim == "pool child":
            os.kill(pool_child(worker), signal.SIGKILL)
        else:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
            worker = start_worker(tmp_path)
        recovered_after = taken_up_again(slow_request, killed_at)
        report = wait_for(slow_request, {"done", "failed"}, 60)
    finally:
        stop(worker)

    print(f"{victim} killed: taken up again after {recovered_after:.1f} s")
    assert recovered_after < RECOVERY_SECONDS
    assert report.status == "done", (tmp_path / "worker.log").read_text()[-3000:]
    assert report.attempts == 2
    files = report.file.storage.listdir(f"reports/{report.token}")[1]
    assert files == [Path(report.file.name).name]
