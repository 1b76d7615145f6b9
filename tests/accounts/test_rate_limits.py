"""Sign-in with the cache (Redis) unreachable: the lockout of failed sign-ins still holds,
counted from the failures stored in the database, and everyone else still signs in."""

import time

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance87.accounts.models import SecurityEvent
from alliance87.accounts.totp import code_for
from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cache_down")]
LOGIN = "/accounts/login/"
LOCKED = "Too many failed login attempts"


def sign_in(client, email, password=PASSWORD, ip="198.51.100.7"):
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=ip)


def current_totp(secret: str) -> str:
    # Not in the last seconds of a window: the code must still be valid when it arrives.
    if 30 - time.time() % 30 < 3:
        time.sleep(30 - time.time() % 30 + 0.2)
    return code_for(secret, int(time.time()) // 30)


def test_with_the_cache_down_a_member_signs_in(client, gcg_member):
    response = sign_in(client, gcg_member.email)

    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_with_the_cache_down_the_sixth_try_for_an_address_is_refused_even_with_the_right_password(
    client, gcg_member
):
    for _ in range(5):
        assert LOCKED not in sign_in(client, gcg_member.email, "wrong-password").content.decode()

    response = sign_in(client, gcg_member.email)

    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_with_the_cache_down_the_lockout_holds_from_another_ip_and_another_case(client, gcg_member):
    for n in range(5):
        sign_in(client, gcg_member.email, "wrong-password", ip=f"198.51.100.{n + 1}")

    response = sign_in(client, gcg_member.email.upper(), ip="203.0.113.9")

    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_with_the_cache_down_other_addresses_still_sign_in(client, gcg_member, gcg_observer):
    for _ in range(6):
        sign_in(client, gcg_member.email, "wrong-password")

    response = sign_in(client, gcg_observer.email)

    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_with_the_cache_down_a_refused_try_does_not_prolong_the_lockout(client, gcg_member):
    for _ in range(8):
        sign_in(client, gcg_member.email, "wrong-password")

    failed = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SIGN_IN_FAILED)
    assert failed.count() == 5


def test_with_the_cache_down_failures_older_than_five_minutes_no_longer_lock(client, gcg_member):
    for _ in range(5):
        sign_in(client, gcg_member.email, "wrong-password")
    SecurityEvent.objects.update(
        occurred_at=timezone.now() - timezone.timedelta(minutes=5, seconds=1)
    )

    response = sign_in(client, gcg_member.email)

    assert response.status_code == 302


def test_with_the_cache_down_twenty_failures_from_one_ip_lock_that_ip(client, gcg_member):
    for n in range(20):
        sign_in(client, f"nobody{n}@example.org", "wrong-password", ip="192.0.2.50")

    refused = sign_in(client, gcg_member.email, ip="192.0.2.50")
    elsewhere = sign_in(client, gcg_member.email, ip="192.0.2.51")

    assert LOCKED in refused.content.decode()
    assert elsewhere.status_code == 302


def test_with_the_cache_down_the_secretariat_signs_in_with_a_totp_code(client, secretariat):
    password_step = sign_in(client, secretariat.email)
    assert password_step.url == reverse("mfa_authenticate")

    response = client.post(
        reverse("mfa_authenticate"), {"code": current_totp(secretariat.totp_secret)}
    )

    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_with_the_cache_down_a_wrong_totp_code_is_refused(client, secretariat):
    sign_in(client, secretariat.email)

    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_with_the_cache_down_a_used_totp_code_is_refused_the_second_time(client, secretariat):
    # Used codes are remembered in the database, not in the cache.
    code = current_totp(secretariat.totp_secret)
    sign_in(client, secretariat.email)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    client.post("/accounts/logout/")

    sign_in(client, secretariat.email)
    response = client.post(reverse("mfa_authenticate"), {"code": code})

    assert response.status_code == 200
    assert response.context["form"].errors["code"] == ["Incorrect code."]
    assert "_auth_user_id" not in client.session
