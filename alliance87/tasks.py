from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from . import jobs

HEARTBEAT_KEY = "celery:heartbeat"


@shared_task(ignore_result=True)
def heartbeat() -> None:
    """Beat sends it every minute; /healthz reports when a worker last ran it."""
    cache.set(HEARTBEAT_KEY, timezone.now().isoformat(), timeout=None)


@shared_task(ignore_result=True)
def sweep_jobs() -> dict:
    """Beat sends it every JOB_SWEEP_SECONDS: every kind of job, taken back or sent again."""
    return jobs.sweep()
