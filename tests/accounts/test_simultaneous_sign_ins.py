"""Wrong passwords sent at the same instant for one address: each is checked against the
lockout only once the one before it is stored, so no more than five are ever tried."""

import threading

import pytest
from django.db import connections
from django.test import Client

from alliance87.accounts.models import SecurityEvent

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
LOCKED = "Too many failed login attempts"
TRIES = 8


def test_simultaneous_wrong_passwords_for_one_address_stop_at_five(gcg_member, settings):
    # The production hasher: a password check takes long enough for the tries to overlap.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    gcg_member.set_password("the-right-password-87")
    gcg_member.save()
    barrier = threading.Barrier(TRIES, timeout=30)
    answers: list[str] = []

    def attempt() -> None:
        client = Client()
        barrier.wait()
        response = client.post(
            "/accounts/login/", {"login": gcg_member.email, "password": "wrong-password"}
        )
        answers.append(response.content.decode())
        connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(TRIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(answers) == TRIES
    assert sum(LOCKED in answer for answer in answers) == TRIES - 5
    failed = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SIGN_IN_FAILED)
    assert failed.count() == 5
