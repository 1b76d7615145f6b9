from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "alliance87.reports"
    label = "reports"
    verbose_name = _("PDF reports")

    def ready(self) -> None:
        from alliance87 import jobs

        from .models import ReportRequest
        from .services import report_failed_fields

        jobs.register(
            jobs.JobKind(
                model=ReportRequest,
                task="alliance87.reports.tasks.render_report",
                max_attempts_setting="REPORT_MAX_ATTEMPTS",
                failed_fields=report_failed_fields,
            )
        )
