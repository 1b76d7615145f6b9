"""Unhandled errors reach the technical team: emailed to ADMINS from a page or a Celery task
(DEBUG off, as in production), and the 500 page says the team was told only when it was."""

from unittest import mock

import pytest

from alliance87.celery import app as celery_app
from alliance87.tasks import heartbeat

pytestmark = pytest.mark.django_db
TECH = ("Tech Team", "tech@alliance87.org")
TOLD = "The technical team has been told"
NOT_TOLD = "tell the Secretariat what you were doing and when"


@pytest.fixture
def broken_dashboard(client_for, gcg_member):
    """The dashboard of a signed-in member raises an unexpected error."""
    client = client_for(gcg_member)
    client.raise_request_exception = False
    with mock.patch(
        "alliance87.dashboard.rendered_sections", side_effect=RuntimeError("a bug in the dashboard")
    ):
        yield client


def test_an_error_in_a_page_is_emailed_to_the_technical_contact(
    broken_dashboard, settings, mailoutbox
):
    settings.ADMINS = [TECH]

    response = broken_dashboard.get("/dashboard/")

    assert response.status_code == 500
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["tech@alliance87.org"]
    assert mailoutbox[0].subject.startswith("[Alliance 8.7] ERROR")
    assert "/dashboard/" in mailoutbox[0].subject
    assert "RuntimeError at /dashboard/\na bug in the dashboard" in mailoutbox[0].body


def test_the_500_page_says_the_team_was_told_when_an_email_went_out(
    broken_dashboard, settings, mailoutbox
):
    settings.ADMINS = [TECH]

    response = broken_dashboard.get("/dashboard/")

    assert TOLD in response.content.decode()
    assert NOT_TOLD not in response.content.decode()


def test_without_a_technical_contact_the_500_page_claims_nobody_was_told(
    broken_dashboard, settings, mailoutbox
):
    settings.ADMINS = []

    response = broken_dashboard.get("/dashboard/")

    assert response.status_code == 500
    assert mailoutbox == []
    assert TOLD not in response.content.decode()
    assert NOT_TOLD in response.content.decode()


def test_an_email_printed_to_the_console_does_not_count_as_telling_the_team(
    broken_dashboard, settings
):
    settings.ADMINS = [TECH]
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

    response = broken_dashboard.get("/dashboard/")

    assert NOT_TOLD in response.content.decode()


def test_with_sentry_alone_the_500_page_says_the_team_was_told(broken_dashboard, settings):
    settings.ADMINS = []
    settings.SENTRY_DSN = "https://public@sentry.example.org/1"

    response = broken_dashboard.get("/dashboard/")

    assert TOLD in response.content.decode()


def test_a_task_that_fails_in_the_worker_is_emailed_to_the_technical_contact(settings, mailoutbox):
    # As in a worker, the failure is not raised to a caller: Celery's tracer logs it.
    settings.ADMINS = [TECH]
    propagates = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    try:
        result = heartbeat.apply(args=("an unexpected argument",))
    finally:
        celery_app.conf.task_eager_propagates = propagates

    assert result.state == "FAILURE"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["tech@alliance87.org"]
    assert "alliance87.tasks.heartbeat" in mailoutbox[0].subject
    assert "TypeError" in mailoutbox[0].body


@pytest.mark.redis
def test_a_task_that_fails_in_a_real_worker_is_emailed_to_the_technical_contact(
    settings, mailoutbox
):
    import time

    from celery.contrib.testing.worker import start_worker

    settings.ADMINS = [TECH]
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        # Sent by name: delay() would check the arguments before sending.
        celery_app.send_task("alliance87.tasks.heartbeat", args=["an unexpected argument"])
        deadline = time.monotonic() + 20
        while not mailoutbox and time.monotonic() < deadline:
            time.sleep(0.2)

    assert len(mailoutbox) == 1
    assert "alliance87.tasks.heartbeat" in mailoutbox[0].subject
