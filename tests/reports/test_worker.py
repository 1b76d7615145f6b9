"""A real Celery worker on real Redis processes a report request end to end."""

import time

import pytest

from alliance87.celery import app as celery_app
from alliance87.reports import services
from alliance87.reports.models import ReportRequest

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_renders_a_requested_report(gcg_member):
    from celery.contrib.testing.worker import start_worker

    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
        report, _ = services.report_request(
            user=gcg_member, kind="test_kind", parameters={"country": "FJ"}, language="en"
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            report.refresh_from_db()
            if report.status in ("done", "failed"):
                break
            time.sleep(0.3)

    assert report.status == ReportRequest.Status.DONE, report.error_detail
    assert report.enqueued_at is not None
    with report.file.open("rb") as handle:
        assert handle.read(4) == b"%PDF"
