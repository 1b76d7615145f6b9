"""The outbox against a real SMTP conversation (Django's SMTP backend, a local server): a
mail server that refuses one message and drops the connection on another mid-batch still
leaves every participant with exactly one email."""

from collections import Counter

import pytest

from alliance87.outbox.models import OutboxEmail
from tests.factories import UserFactory
from tests.workshops.factories import EventFactory, MinutesFactory, ParticipantFactory
from workshops import services as workshops_services

from .smtp_server import SMTPServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5
        yield server


def test_minutes_reach_each_participant_once_when_the_mail_server_fails_mid_batch(
    smtp, django_capture_on_commit_callbacks
):
    event = EventFactory()
    people = [UserFactory(email=f"p{n}@example.org") for n in range(6)]
    for person in people:
        ParticipantFactory(event=event, user=person)
    minutes = MinutesFactory(event=event)
    smtp.refuse, smtp.drop = {2}, {4}

    with django_capture_on_commit_callbacks(execute=True):
        workshops_services.minutes_circulate(minutes=minutes)

    assert Counter(message["To"] for message in smtp.received) == {
        person.email: 1 for person in people
    }
    emails = OutboxEmail.objects.order_by("pk")
    assert [email.attempts for email in emails] == [1, 2, 1, 2, 1, 1]
    assert "451" in emails[1].error_detail and "SMTPServerDisconnected" in emails[3].error_detail
    assert {email.status for email in emails} == {OutboxEmail.Status.DONE}
