from django.contrib import admin

from alliance87.admin import JobAdminMixin

from . import services
from .models import OutboxEmail


@admin.register(OutboxEmail)
class OutboxEmailAdmin(JobAdminMixin, admin.ModelAdmin):
    """What was sent to whom, and what was not. The text is not shown: an invitation holds a
    sign-in link meant for its recipient alone."""

    list_display = ["created_at", "to", "subject", "purpose", "status", "attempts", "sent_at"]
    list_filter = ["status", "purpose", "language"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = (
        "to",
        "subject",
        "purpose",
        "language",
        "reply_to",
        "status",
        "attempts",
        "created_at",
        "due_at",
        "enqueued_at",
        "started_at",
        "heartbeat_at",
        "claimed_by",
        "sent_at",
        "finished_at",
        "error_detail",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("body", "html_body")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def retry_job(self, obj: OutboxEmail) -> bool:
        return services.outbox_retry(email_id=obj.pk)
