import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError

from . import services

logger = logging.getLogger(__name__)

# A database or storage hiccup is worth another try; a bug in the data or template is not.
TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


@shared_task(bind=True, max_retries=3, acks_late=True, reject_on_worker_lost=True)
def render_report(self, request_id: int) -> None:
    attempt = services.report_claim(request_id=request_id)
    if attempt is None:
        return  # a duplicate delivery, or another worker has it
    try:
        services.report_render(request_id=request_id, attempt=attempt)
    except TRANSIENT as error:
        if self.request.retries < self.max_retries and services.report_requeue(
            request_id=request_id, attempt=attempt
        ):
            raise self.retry(exc=error, countdown=5 * 2**self.request.retries) from error
        services.report_fail(request_id=request_id, attempt=attempt, error=error)
    except SoftTimeLimitExceeded as error:
        services.report_fail(request_id=request_id, attempt=attempt, error=error)
    except Exception as error:
        logger.exception("report %s failed", request_id)
        services.report_fail(request_id=request_id, attempt=attempt, error=error)


@shared_task(ignore_result=True)
def sweep_report_requests() -> dict[str, int]:
    return services.report_sweep()


@shared_task(ignore_result=True)
def prune_report_files() -> int:
    return services.report_prune_files(older_than_days=settings.REPORT_RETENTION_DAYS)
