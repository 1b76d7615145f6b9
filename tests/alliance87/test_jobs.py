"""The one job mechanism (alliance87/jobs.py), shown on PDF report requests."""

import subprocess
import sys
import time

import pytest
from django.db import OperationalError
from django.utils import timezone

from alliance87 import jobs
from alliance87.reports.models import ReportRequest

pytestmark = pytest.mark.django_db
Status = jobs.JobStatus


@pytest.fixture
def job():
    return ReportRequest.objects.create(kind="test_kind", subject_key="test_kind:FJ", language="en")


def ago(seconds: float):
    return timezone.now() - timezone.timedelta(seconds=seconds)


def sweep() -> dict[str, int]:
    return jobs.sweep()["reports.ReportRequest"]


def test_only_one_claim_of_a_queued_job_succeeds(job):
    assert jobs.claim(ReportRequest, job.pk) == 1
    assert jobs.claim(ReportRequest, job.pk) is None

    job.refresh_from_db()
    assert (job.status, job.attempts) == (Status.RUNNING, 1)
    assert job.claimed_by == jobs.worker_name()


def test_a_running_job_with_a_recent_heartbeat_is_left_alone(job):
    jobs.claim(ReportRequest, job.pk)

    assert sweep() == {"rerun": 0, "failed": 0, "resent": 0}
    job.refresh_from_db()
    assert job.status == Status.RUNNING


def test_a_job_silent_for_longer_than_the_limit_is_queued_and_sent_again(
    job, settings, django_capture_on_commit_callbacks
):
    jobs.claim(ReportRequest, job.pk)
    ReportRequest.objects.filter(pk=job.pk).update(
        heartbeat_at=ago(settings.JOB_LOST_AFTER_SECONDS + 1)
    )

    with django_capture_on_commit_callbacks() as sent:
        assert sweep()["rerun"] == 1

    job.refresh_from_db()
    assert (job.status, job.attempts, len(sent)) == (Status.QUEUED, 1, 1)
    assert "stopped while running" in job.error_detail


def test_a_job_past_its_lease_is_taken_back_even_while_its_heartbeat_goes_on(job, settings):
    jobs.claim(ReportRequest, job.pk)
    ReportRequest.objects.filter(pk=job.pk).update(
        started_at=ago(settings.JOB_LEASE_SECONDS + 1), heartbeat_at=timezone.now()
    )

    assert sweep()["rerun"] == 1


def test_a_job_lost_on_its_last_attempt_fails_with_a_message_for_the_requester(job, settings):
    ReportRequest.objects.filter(pk=job.pk).update(attempts=settings.REPORT_MAX_ATTEMPTS - 1)
    jobs.claim(ReportRequest, job.pk)
    ReportRequest.objects.filter(pk=job.pk).update(heartbeat_at=ago(3600))

    assert sweep()["failed"] == 1

    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert "could not be produced" in job.error_message


def test_a_queued_job_the_broker_lost_is_sent_again(
    job, settings, django_capture_on_commit_callbacks
):
    ReportRequest.objects.filter(pk=job.pk).update(
        due_at=ago(settings.JOB_RESEND_AFTER_SECONDS + 1)
    )

    with django_capture_on_commit_callbacks() as sent:
        assert sweep()["resent"] == 1

    assert len(sent) == 1


def test_a_transient_error_queues_the_job_again_later_then_fails_it_at_the_cap(job, settings):
    def flaky(attempt):
        raise OperationalError("the database went away")

    jobs.execute(ReportRequest, job.pk, flaky)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Status.QUEUED, 1)
    assert job.due_at > timezone.now()  # a delay before the next attempt
    assert "the database went away" in job.error_detail

    for _attempt in range(settings.REPORT_MAX_ATTEMPTS - 1):
        jobs.execute(ReportRequest, job.pk, flaky)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Status.FAILED, settings.REPORT_MAX_ATTEMPTS)


def test_a_late_finish_of_an_attempt_taken_back_changes_nothing(job):
    first = jobs.claim(ReportRequest, job.pk)
    jobs.lost(ReportRequest, job.pk, first, reason="lost")
    second = jobs.claim(ReportRequest, job.pk)

    assert not jobs.finish(ReportRequest, job.pk, first)
    assert jobs.finish(ReportRequest, job.pk, second)


def test_a_late_failure_of_an_attempt_taken_back_leaves_the_job_queued(job):
    first = jobs.claim(ReportRequest, job.pk)
    jobs.lost(ReportRequest, job.pk, first, reason="lost")

    assert not jobs.fail(ReportRequest, job.pk, first, RuntimeError("too late"))
    job.refresh_from_db()
    assert job.status == Status.QUEUED


def test_a_job_whose_worker_process_on_this_host_is_gone_is_taken_over_at_once(job):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    jobs.claim(ReportRequest, job.pk)
    ReportRequest.objects.filter(pk=job.pk).update(claimed_by=f"{jobs.worker_name()[:-1]}x")
    assert jobs.claim(ReportRequest, job.pk) is None  # not a process of ours: left alone
    host = jobs.worker_name().rpartition(":")[0]
    ReportRequest.objects.filter(pk=job.pk).update(claimed_by=f"{host}:{dead.pid}")

    assert jobs.claim(ReportRequest, job.pk) == 2


def test_retrying_a_failed_job_queues_it_with_fresh_attempts(
    job, django_capture_on_commit_callbacks
):
    jobs.claim(ReportRequest, job.pk)
    jobs.fail(ReportRequest, job.pk, 1, "broken")

    with django_capture_on_commit_callbacks() as sent:
        assert jobs.retry(ReportRequest, job.pk)
    assert not jobs.retry(ReportRequest, job.pk)  # queued, not failed: nothing to retry

    job.refresh_from_db()
    assert (job.status, job.attempts, len(sent)) == (Status.QUEUED, 0, 1)


@pytest.mark.django_db(transaction=True)
def test_a_running_job_shows_a_heartbeat_while_it_works(settings):
    settings.JOB_HEARTBEAT_SECONDS = 0.05
    job = ReportRequest.objects.create(kind="test_kind", subject_key="test_kind:FJ", language="en")
    seen = []

    def work(attempt):
        started = ReportRequest.objects.get(pk=job.pk).heartbeat_at
        time.sleep(0.5)
        seen.append(ReportRequest.objects.get(pk=job.pk).heartbeat_at > started)

    jobs.execute(ReportRequest, job.pk, work)

    assert seen == [True]
