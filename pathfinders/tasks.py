from celery import shared_task

from . import services
from .models import ReportTransition


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_report_transition(transition_id: int) -> None:
    """Email the focal points that their report was returned or accepted."""
    transition = (
        ReportTransition.objects.select_related(
            "report__pathfinder__country", "report__period", "by"
        )
        .filter(pk=transition_id)
        .first()
    )
    if transition is not None:
        services.report_transition_notify(transition=transition)


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_due_date_reminders() -> None:
    """Daily (Celery beat): reminders 14 and 3 days before the due date, and when overdue."""
    services.reminders_send_due()
