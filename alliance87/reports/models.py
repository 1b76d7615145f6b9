import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alliance87.jobs import Job, JobStatus
from alliance87.uploads import ProtectedFileField, UploadRule

# Reports are written by the renderer, not uploaded; were a file ever set by hand, it would
# have to be a PDF.
REPORT_FILE = UploadRule(kinds=["pdf"], max_bytes=200 * 1024 * 1024)


def report_file_path(instance: "ReportRequest", filename: str) -> str:
    # The token is random: a file name says nothing and cannot be guessed.
    return f"reports/{instance.token}/{filename}"


class ReportRequest(Job):
    """One PDF to produce. The database holds the truth; the broker only carries the id."""

    Status = JobStatus

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    subject_key = models.CharField(
        _("subject"), max_length=200, help_text=_("The kind and its parameters, as one key.")
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requesters = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked for by"),
        blank=True,
        related_name="report_requests",
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True, db_index=True)
    error_message = models.TextField(_("message shown to the requester"), blank=True)
    file = ProtectedFileField(
        _("file"),
        upload_to=report_file_path,
        blank=True,
        max_length=300,
        validators=[REPORT_FILE],
        download_view="reports:report_download",
    )
    file_pruned_at = models.DateTimeField(_("file removed at"), null=True, blank=True)
    data_as_of = models.DateTimeField(_("data as of"), null=True, blank=True)
    render_seconds = models.FloatField(_("render time (s)"), null=True, blank=True)

    class Meta:
        verbose_name = _("report request")
        verbose_name_plural = _("report requests")
        ordering = ["-created_at"]
        constraints = [
            # An identical request while one is queued or running joins it.
            models.UniqueConstraint(
                fields=["subject_key", "language"],
                condition=Q(status__in=["queued", "running"]),
                name="reports_one_active_request_per_subject",
            ),
        ]
        indexes = [models.Index(fields=["status", "started_at"])]

    def __str__(self) -> str:
        return f"{self.subject_key} ({self.language}, {self.get_status_display()})"
