"""Wrong passwords (or two-factor codes) sent at the same instant for one person: each is
checked against the lockout only once the one before it is stored, so no more than five are
ever tried."""

import threading
import time
from unittest import mock

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from alliance87.accounts import services
from alliance87.accounts.models import SecurityEvent
from tests.factories import PASSWORD

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


def test_simultaneous_wrong_codes_for_one_person_stop_at_five(secretariat):
    clients = []
    for _ in range(TRIES):
        client = Client()
        client.post("/accounts/login/", {"login": secretariat.email, "password": PASSWORD})
        clients.append(client)
    barrier = threading.Barrier(TRIES, timeout=30)
    answers: list[str] = []
    check = services._totp_time_step

    def slow_check(*args, **kwargs):
        time.sleep(0.2)  # a check that takes a while, so that the tries overlap
        return check(*args, **kwargs)

    def attempt(client: Client) -> None:
        barrier.wait()
        response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
        answers.append(response.content.decode())
        connections.close_all()

    threads = [threading.Thread(target=attempt, args=(client,)) for client in clients]
    with mock.patch.object(services, "_totp_time_step", slow_check):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert len(answers) == TRIES
    assert sum(LOCKED in answer for answer in answers) == TRIES - 5
    failed = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TWO_FACTOR_FAILED)
    assert failed.count() == 5
