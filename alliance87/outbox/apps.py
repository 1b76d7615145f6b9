from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "alliance87.outbox"
    label = "outbox"
    verbose_name = _("Emails")

    def ready(self) -> None:
        from alliance87 import jobs

        from .models import OutboxEmail

        jobs.register(
            jobs.JobKind(
                model=OutboxEmail,
                task="alliance87.outbox.tasks.send_outbox_email",
                max_attempts_setting="EMAIL_MAX_ATTEMPTS",
                retry_base_seconds=60,
                # At most once: an email whose worker was lost while sending may have gone out.
                rerun_lost=False,
                lost_message=(
                    "The worker {worker} stopped while sending: the email may or may not have "
                    "gone out. Check with the recipient before retrying it."
                ),
            )
        )
