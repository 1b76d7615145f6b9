from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_KEY = "celery:heartbeat"


@shared_task(ignore_result=True)
def heartbeat() -> None:
    """Beat sends it every minute; /healthz reports when a worker last ran it."""
    cache.set(HEARTBEAT_KEY, timezone.now().isoformat(), timeout=None)
