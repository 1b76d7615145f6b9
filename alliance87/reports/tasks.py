from celery import shared_task
from django.conf import settings

from alliance87 import jobs

from . import services
from .models import ReportRequest


@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def render_report(request_id: int) -> None:
    """Render one requested PDF; a duplicate delivery finds the row claimed and stops."""
    jobs.execute(
        ReportRequest,
        request_id,
        lambda attempt: services.report_render(request_id=request_id, attempt=attempt),
    )


@shared_task(ignore_result=True)
def prune_report_files() -> int:
    return services.report_prune_files(older_than_days=settings.REPORT_RETENTION_DAYS)
