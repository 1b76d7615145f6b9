"""Where unhandled errors go: to ADMINS by email and to Sentry (settings.LOGGING, SENTRY_DSN).

The 500 page and the deployment checklist ask the same question: does an error reach anyone?
An email printed to the console or written to a file reaches no one.
"""

from django.conf import settings
from django.core import checks

UNDELIVERED_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


def errors_reach_the_team() -> bool:
    """Whether an unhandled error is reported to the technical team: by Sentry, or emailed
    to ADMINS through a mail server."""
    if settings.SENTRY_DSN:
        return True
    return bool(settings.ADMINS) and settings.EMAIL_BACKEND not in UNDELIVERED_EMAIL_BACKENDS


@checks.register(checks.Tags.compatibility, deploy=True)
def check_errors_reach_the_team(app_configs, **kwargs) -> list[checks.Warning]:
    if errors_reach_the_team():
        return []
    return [
        checks.Warning(
            "Unhandled errors reach no one.",
            hint="Set ADMINS (the technical contact's address) and EMAIL_URL, or SENTRY_DSN.",
            id="alliance87.W001",
        )
    ]
