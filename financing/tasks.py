"""Background work of the financing area: thin tasks that call services."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def run_funding_flow_import(job_id: int) -> None:
    """Check and write one uploaded file; a second delivery finds the job claimed and stops."""
    services.funding_flow_import_run(job_id=job_id)
