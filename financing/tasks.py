"""Background work of the financing area: thin tasks that call services."""

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(
    ignore_result=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3
)
def run_funding_flow_import(job_id: int) -> None:
    """Check and write one uploaded file; a second run finds the job claimed and stops."""
    services.funding_flow_import_run(job_id=job_id)
