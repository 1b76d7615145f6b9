import datetime

from celery import shared_task

from . import services
from .models import ReportTransition


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_report_transition(transition_id: int) -> None:
    """Email the Secretariat that a report was submitted, or the focal points that their
    report was returned, accepted or reopened."""
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


@shared_task(ignore_result=True)
def regenerate_alliance_report() -> int:
    """Daily (Celery beat): once a reporting deadline has passed, produce the Alliance-wide
    accountability report again, in every language, once per deadline."""
    from django.conf import settings

    from alliance87.reports.services import report_schedule

    from .selectors import periods_past_deadline

    produced = 0
    for period in periods_past_deadline(within_days=7):
        since = datetime.datetime.combine(
            period.deadline + datetime.timedelta(days=1), datetime.time.min, tzinfo=datetime.UTC
        )
        for language, _name in settings.LANGUAGES:
            if report_schedule(
                kind="alliance_accountability", parameters={}, language=language, since=since
            ):
                produced += 1
    return produced


@shared_task(ignore_result=True)
def sweep_kept_evidence() -> int:
    """Hourly (Celery beat): files kept after a refused save whose token has run out."""
    return services.kept_evidence_sweep()
