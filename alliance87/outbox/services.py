"""Every write of the outbox: queue an email, send it once, retry it."""

import hashlib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from alliance87 import jobs

from .models import OutboxEmail


def dedupe_key(*, purpose: str, object_id: object, to: str) -> str:
    return f"{purpose}:{object_id}:{to.strip().lower()}"


def email_queue(
    *,
    purpose: str,
    object_id: object,
    to: str,
    subject: str,
    body: str,
    html_body: str = "",
    language: str = "",
    reply_to: str = "",
) -> OutboxEmail | None:
    """Queue one email to one person, sent once the current transaction commits.

    The same purpose, object and recipient are queued once: a second call returns None.
    """
    with transaction.atomic():
        email, created = OutboxEmail.objects.get_or_create(
            dedupe_key=dedupe_key(purpose=purpose, object_id=object_id, to=to),
            defaults={
                "purpose": purpose,
                "to": to.strip(),
                "subject": " ".join(subject.split())[:500],
                "body": body,
                "html_body": html_body,
                "language": language,
                "reply_to": reply_to,
            },
        )
        if created:
            jobs.enqueue(OutboxEmail, email.pk)
    return email if created else None


def email_render_and_queue(
    *,
    purpose: str,
    object_id: object,
    to: str,
    language: str,
    template: str,
    context: dict,
    time_zone: str = "",
) -> OutboxEmail | None:
    """Render `<template>_subject.txt` and `<template>_message.txt` in the recipient's
    language and time zone (alliance87.timezones.time_zone_for; "": the portal's) and queue
    the email (see email_queue)."""
    with translation.override(language), timezone.override(time_zone or settings.TIME_ZONE):
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}_message.txt", context)
    return email_queue(
        purpose=purpose,
        object_id=object_id,
        to=to,
        subject=subject,
        body=body,
        language=language,
    )


def private_id(*parts: object) -> str:
    """A key part derived from a secret (e.g. a sign-in link) without storing the secret."""
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:20]


def outbox_send(*, email_id: int) -> bool:
    """One attempt to send a queued email; True once it is sent.

    The row is claimed ("sending") before the mail server is called and marked sent after,
    so no email goes out twice: a refused or lost connection puts it back for a later
    attempt (alliance87.jobs), and a worker lost while sending leaves it failed, for the
    Secretariat to check, never sent again by itself.
    """
    return bool(
        jobs.execute(
            OutboxEmail,
            email_id,
            lambda attempt: _send_claimed(email_id, attempt),
            # Nothing after the send may put the email back in the queue.
            transient=(),
        )
    )


def _send_claimed(email_id: int, attempt: int) -> bool:
    try:
        email = OutboxEmail.objects.get(pk=email_id)
    except jobs.TRANSIENT as error:  # nothing sent yet: safe to try again
        raise jobs.RetryLater(error) from error
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        to=[email.to],
        reply_to=[email.reply_to] if email.reply_to else None,
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    try:
        message.send()
    except OSError as error:  # smtplib's errors, refused or dropped connections, timeouts
        raise jobs.RetryLater(error) from error
    return jobs.finish(OutboxEmail, email_id, attempt, sent_at=timezone.now())


def outbox_retry(*, email_id: int) -> bool:
    """Send a failed email again (the admin's retry, after checking it did not go out)."""
    return jobs.retry(OutboxEmail, email_id)
