"""A worker killed mid-import (its pool child, or the worker itself) leaves an import that
is taken up again within about a minute and writes every flow exactly once.

The worker (tests/worker_app.py) pauses before checking a file named "slow…", time enough
to kill it while the import is running.
"""

import time

import pytest

from financing.models import FundingFlow, FundingFlowImport
from financing.services import funding_flow_import_confirm, funding_flow_import_start
from tests.financing.test_services import csv_file, lookups, row  # noqa: F401  (fixture)
from tests.worker import RECOVERY_SECONDS, kill, start_worker, stop, taken_up_again, wait_for

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROWS = 300


@pytest.mark.parametrize("victim", ["pool child", "main worker"])
def test_an_import_whose_worker_is_killed_is_taken_up_again_and_writes_each_flow_once(
    lookups,  # noqa: F811
    tmp_path,
    victim,
):
    content = csv_file(*[row(reference=f"R-{n}") for n in range(ROWS)])
    job = funding_flow_import_start(file_name="slow-flows.csv", content=content, user=lookups)
    worker = start_worker(tmp_path)
    try:
        job = wait_for(job, {"previewed"}, 60)
        funding_flow_import_confirm(job=job, user=lookups)
        wait_for(job, {"running"}, 60)
        killed_at = time.monotonic()
        worker = kill(worker, victim, tmp_path)
        recovered_after = taken_up_again(job, killed_at)
        job = wait_for(job, {"done", "failed"}, 60)
    finally:
        stop(worker)

    print(f"{victim} killed mid-import: taken up again after {recovered_after:.1f} s")
    assert recovered_after < RECOVERY_SECONDS
    assert job.status == FundingFlowImport.Status.DONE, (tmp_path / "worker.log").read_text()[
        -3000:
    ]
    assert (job.attempts, job.created_count, bytes(job.content)) == (2, ROWS, b"")
    assert FundingFlow.objects.count() == ROWS
    assert FundingFlowImport.objects.count() == 1
