"""A worker killed mid-render (its pool child, or the worker itself) leaves a request that
is taken up again within about a minute and ends done exactly once, with one file.

The settings are the production ones: a killed pool child's message comes straight back and
the next delivery takes the row over; a killed worker stops the row's heartbeat, and the
sweep (run here every JOB_SWEEP_SECONDS, as beat does) takes it back once it has been silent
for JOB_LOST_AFTER_SECONDS, long before the lease would end.
"""

import time
from pathlib import Path

import pytest

from alliance87.reports import services
from tests.worker import RECOVERY_SECONDS, kill, start_worker, stop, taken_up_again, wait_for

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def slow_request(gcg_member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    report, _ = services.report_request(
        user=gcg_member, kind="test_kind", parameters={"country": "ZZ"}, language="en"
    )
    return report


@pytest.mark.parametrize("victim", ["pool child", "main worker"])
def test_a_killed_worker_leaves_a_request_taken_up_within_a_minute_and_done_once(
    slow_request, tmp_path, victim
):
    worker = start_worker(tmp_path)
    try:
        wait_for(slow_request, {"running"}, 60)
        killed_at = time.monotonic()
        worker = kill(worker, victim, tmp_path)
        recovered_after = taken_up_again(slow_request, killed_at)
        report = wait_for(slow_request, {"done", "failed"}, 60)
    finally:
        stop(worker)

    print(f"{victim} killed mid-render: taken up again after {recovered_after:.1f} s")
    assert recovered_after < RECOVERY_SECONDS
    assert report.status == "done", (tmp_path / "worker.log").read_text()[-3000:]
    assert report.attempts == 2
    files = report.file.storage.listdir(f"reports/{report.token}")[1]
    assert files == [Path(report.file.name).name]
