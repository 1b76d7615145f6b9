from django.contrib import admin

from alliance87.admin import JobAdminMixin

from . import services
from .models import ReportRequest


@admin.register(ReportRequest)
class ReportRequestAdmin(JobAdminMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "subject_key",
        "language",
        "status",
        "attempts",
        "requested_by",
        "render_seconds",
    ]
    list_filter = ["status", "kind", "language"]
    search_fields = ["subject_key", "requested_by__email"]
    list_select_related = ["requested_by"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    readonly_fields = [f.name for f in ReportRequest._meta.fields] + ["requesters"]
    exclude = []

    def has_add_permission(self, request) -> bool:
        return False

    def retry_job(self, obj: ReportRequest) -> bool:
        return services.report_retry(request_id=obj.pk)
