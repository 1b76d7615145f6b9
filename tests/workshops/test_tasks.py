import pytest
from django.core import mail

from tests.factories import UserFactory
from tests.workshops.factories import EventFactory, MinutesFactory, ParticipantFactory
from workshops import services, tasks
from workshops.models import Minutes

pytestmark = pytest.mark.django_db


@pytest.fixture
def held_meeting():
    return EventFactory(title="GCG meeting, May 2023")


def test_circulating_minutes_emails_the_participants_with_an_account_after_commit(
    held_meeting, secretariat, django_capture_on_commit_callbacks
):
    reader = UserFactory(email="reader@example.org", language="fr", first_name="Claire")
    ParticipantFactory(event=held_meeting, user=reader)
    ParticipantFactory(event=held_meeting, name="No account", email="guest@example.org")
    ParticipantFactory(event=held_meeting, user=UserFactory(), invitation="declined")
    minutes = MinutesFactory(event=held_meeting)

    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_circulate(minutes=minutes)

    assert len(mail.outbox) == 1
    (message,) = mail.outbox
    assert message.to == ["reader@example.org"]
    assert message.subject.startswith("Procès-verbal diffusé")  # in her language
    assert message.subject.endswith(": GCG meeting, May 2023")
    assert f"/events/{held_meeting.pk}/#minutes" in message.body
    assert Minutes.objects.get(pk=minutes.pk).participants_notified_at is not None


def test_the_notification_job_is_safe_to_run_twice(
    held_meeting, django_capture_on_commit_callbacks
):
    ParticipantFactory(event=held_meeting, user=UserFactory())
    minutes = MinutesFactory(
        event=held_meeting, status="circulated", circulated_on=held_meeting.start_date
    )

    with django_capture_on_commit_callbacks(execute=True):  # sent by the outbox after commit
        first = tasks.notify_minutes_circulated(minutes.pk)
        second = tasks.notify_minutes_circulated(minutes.pk)

    assert (first, second) == (1, 0)
    assert len(mail.outbox) == 1


def test_draft_minutes_notify_nobody(held_meeting):
    ParticipantFactory(event=held_meeting, user=UserFactory())
    minutes = MinutesFactory(event=held_meeting)

    assert tasks.notify_minutes_circulated(minutes.pk) == 0
    assert mail.outbox == []


def test_the_demo_circulates_historical_minutes_without_emailing(
    held_meeting, django_capture_on_commit_callbacks
):
    ParticipantFactory(event=held_meeting, user=UserFactory())
    minutes = MinutesFactory(event=held_meeting)

    # Run what waits for the commit: only the cached figures' refresh, no email task.
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_circulate(minutes=minutes, notify=False)

    minutes.refresh_from_db()
    assert minutes.participants_notified_at is None and mail.outbox == []
