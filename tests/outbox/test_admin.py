import pytest
from django.core import mail
from django.urls import reverse

from alliance87 import jobs
from alliance87.outbox import services
from alliance87.outbox.models import OutboxEmail

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:outbox_outboxemail_changelist")


@pytest.fixture
def failed_email(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        email = services.email_queue(
            purpose="test.notice",
            object_id=1,
            to="ana@example.org",
            subject="Notice",
            body="Your link: https://portal.example.org/set-password/K3Y",
        )
    jobs.claim(OutboxEmail, email.pk)
    jobs.fail(OutboxEmail, email.pk, 1, "SMTPServerDisconnected")
    return email


def test_secretariat_sees_what_was_not_sent_but_not_the_text(client_for, secretariat, failed_email):
    client = client_for(secretariat)

    listing = client.get(CHANGELIST).content.decode()
    detail = client.get(
        reverse("admin:outbox_outboxemail_change", args=[failed_email.pk])
    ).content.decode()

    assert "ana@example.org" in listing and "Not sent" in listing
    # The link of the body, whole: a page's random CSRF token may hold "K3Y" by chance.
    assert "SMTPServerDisconnected" in detail
    assert "portal.example.org/set-password/K3Y" not in detail


def test_secretariat_retries_a_failed_email_and_it_goes_out_once(
    client_for, secretariat, failed_email, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(secretariat).post(
            CHANGELIST, {"action": "retry_failed_jobs", "_selected_action": [failed_email.pk]}
        )

    failed_email.refresh_from_db()
    assert failed_email.status == OutboxEmail.Status.DONE
    assert [message.to for message in mail.outbox] == [["ana@example.org"]]


def test_gcg_member_cannot_open_the_outbox(client_for, gcg_member):
    assert client_for(gcg_member).get(CHANGELIST).status_code == 302
