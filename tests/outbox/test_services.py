"""The outbox: one row per recipient and message, sent at most once, retried when the mail
server fails."""

from collections import Counter

import pytest
from django.core import mail
from django.utils import timezone

from alliance87 import jobs
from alliance87.outbox import services
from alliance87.outbox.models import OutboxEmail
from tests.factories import UserFactory
from tests.workshops.factories import EventFactory, MinutesFactory, ParticipantFactory
from workshops import services as workshops_services

pytestmark = pytest.mark.django_db
Status = OutboxEmail.Status


def queue(to="ana@example.org", object_id=1):
    return services.email_queue(
        purpose="test.notice", object_id=object_id, to=to, subject="Notice", body="Hello"
    )


def emailed() -> Counter:
    return Counter(message.to[0] for message in mail.outbox)


def test_the_same_email_to_the_same_person_is_queued_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue()
        again = queue(to=" ANA@example.org")
        other = queue(object_id=2)

    assert first is not None and again is None and other is not None
    assert emailed() == {"ana@example.org": 2}
    assert OutboxEmail.objects.get(pk=first.pk).status == Status.DONE


def test_nothing_is_sent_before_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as pending:
        email = queue()

    assert mail.outbox == [] and len(pending) == 1
    assert OutboxEmail.objects.get(pk=email.pk).status == Status.QUEUED


def test_an_email_the_server_refuses_waits_and_goes_out_with_a_later_attempt(
    flaky_smtp, django_capture_on_commit_callbacks
):
    flaky_smtp.refuse = {1}
    with django_capture_on_commit_callbacks():  # sent by hand below, not on commit
        email = queue()

    with django_capture_on_commit_callbacks() as retries:
        assert not services.outbox_send(email_id=email.pk)
    email.refresh_from_db()
    assert (email.status, email.attempts, mail.outbox) == (Status.QUEUED, 1, [])
    assert email.due_at > timezone.now() and "Connection unexpectedly closed" in email.error_detail
    assert len(retries) == 1  # sent again to the broker, with a delay

    assert services.outbox_send(email_id=email.pk)
    email.refresh_from_db()
    assert (email.status, email.sent_at is not None) == (Status.DONE, True)
    assert emailed() == {"ana@example.org": 1}


def test_an_email_refused_on_every_attempt_is_not_sent_and_says_why(
    flaky_smtp, settings, django_capture_on_commit_callbacks
):
    flaky_smtp.refuse = set(range(1, settings.EMAIL_MAX_ATTEMPTS + 1))
    with django_capture_on_commit_callbacks(execute=True):
        email = queue()

    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.FAILED, settings.EMAIL_MAX_ATTEMPTS)
    assert "SMTPServerDisconnected" in email.error_detail and mail.outbox == []


def test_an_email_whose_worker_was_lost_while_sending_is_never_sent_again_by_itself(
    settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        email = queue()
    jobs.claim(OutboxEmail, email.pk)  # "sending", then the worker died
    OutboxEmail.objects.filter(pk=email.pk).update(
        heartbeat_at=timezone.now()
        - timezone.timedelta(seconds=settings.JOB_LOST_AFTER_SECONDS + 1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.sweep()["outbox.OutboxEmail"]["failed"] == 1
        assert not services.outbox_send(email_id=email.pk)  # a late delivery of its message

    email.refresh_from_db()
    assert email.status == Status.FAILED and mail.outbox == []
    assert "may or may not have gone out" in email.error_detail


def test_minutes_reach_every_participant_exactly_once_when_the_server_fails_mid_batch(
    flaky_smtp, django_capture_on_commit_callbacks
):
    event = EventFactory()
    people = [UserFactory(email=f"p{n}@example.org") for n in range(5)]
    for person in people:
        ParticipantFactory(event=event, user=person)
    minutes = MinutesFactory(event=event)
    flaky_smtp.refuse = {3, 4}  # the third and fourth fail, and go out on a second attempt

    with django_capture_on_commit_callbacks(execute=True):
        workshops_services.minutes_circulate(minutes=minutes)
        workshops_services.minutes_notify_participants(minutes_id=minutes.pk)  # run again

    assert emailed() == {person.email: 1 for person in people}
    assert sorted(OutboxEmail.objects.values_list("attempts", flat=True)) == [1, 1, 1, 2, 2]
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {Status.DONE}
