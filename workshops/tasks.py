"""Background work of the workshops area: thin tasks that take an id and call a service."""

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(
    ignore_result=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5
)
def notify_minutes_circulated(minutes_id: int) -> int:
    return services.minutes_notify_participants(minutes_id=minutes_id)
