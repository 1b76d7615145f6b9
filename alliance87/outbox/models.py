from django.db import models
from django.utils.translation import gettext_lazy as _

from alliance87.jobs import Job


class OutboxEmail(Job):
    """One email to one person, sent by a background job at most once.

    The row is written in the transaction that decides to send it and sent after commit; its
    dedupe key (purpose, object, recipient) is unique, so a notification run twice queues
    nothing the second time.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        RUNNING = "running", _("Sending")
        DONE = "done", _("Sent")
        FAILED = "failed", _("Not sent")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    purpose = models.CharField(_("purpose"), max_length=60, db_index=True)
    dedupe_key = models.CharField(
        _("key"),
        max_length=400,
        unique=True,
        help_text=_("Purpose, object and recipient: the same email is never queued twice."),
    )
    to = models.EmailField(_("to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=500)
    body = models.TextField(_("text"))
    html_body = models.TextField(_("HTML"), blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    reply_to = models.EmailField(_("reply to"), max_length=254, blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("email")
        verbose_name_plural = _("emails")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"
