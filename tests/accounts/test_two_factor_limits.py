"""Wrong two-factor codes are limited per person, with the cache (Redis) down as with it up:
each wrong code is stored as a security event, and after five in five minutes every code,
the right one too, is refused until the window passes."""

import time

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from alliance87.accounts.models import SecurityEvent
from alliance87.accounts.totp import code_for
from tests.factories import PASSWORD, SecretariatFactory

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
LOCKED = "Too many failed login attempts"
IP = "198.51.100.7"


@pytest.fixture(params=["cache down", "cache up"])
def cache_state(request) -> str:
    """The production cache pointed at a port nothing listens on (a stopped Redis), or the
    test settings' working cache."""
    if request.param == "cache down":
        request.getfixturevalue("cache_down")
    return request.param


def sign_in(client, email, ip=IP):
    response = client.post(LOGIN, {"login": email, "password": PASSWORD}, REMOTE_ADDR=ip)
    assert response.url == reverse("mfa_authenticate")
    return response


def enter_code(client, code, ip=IP):
    return client.post(reverse("mfa_authenticate"), {"code": code}, REMOTE_ADDR=ip)


def current_totp(secret: str) -> str:
    # Not in the last seconds of a window: the code must still be valid when it arrives.
    if 30 - time.time() % 30 < 3:
        time.sleep(30 - time.time() % 30 + 0.2)
    return code_for(secret, int(time.time()) // 30)


def code_error(response) -> list[str]:
    return response.context["form"].errors.get("code", [])


def test_five_wrong_codes_are_refused_as_incorrect(client, secretariat, cache_state):
    sign_in(client, secretariat.email)

    for _ in range(5):
        response = enter_code(client, "000000")
        assert response.status_code == 200
        assert code_error(response) == ["Incorrect code."]

    assert "_auth_user_id" not in client.session


def test_the_sixth_code_is_refused_even_when_right(client, secretariat, cache_state):
    sign_in(client, secretariat.email)
    for _ in range(5):
        enter_code(client, "000000")

    response = enter_code(client, current_totp(secretariat.totp_secret))

    assert response.status_code == 200
    assert code_error(response) == [LOCKED + ". Try again later."]
    assert "_auth_user_id" not in client.session


def test_signing_in_again_does_not_lift_the_limit(client, secretariat, cache_state):
    # A new password entry starts a new pending sign-in: the count is the person's.
    sign_in(client, secretariat.email)
    for _ in range(5):
        enter_code(client, "000000")

    client.cookies.clear()
    sign_in(client, secretariat.email, ip="203.0.113.9")
    response = enter_code(client, current_totp(secretariat.totp_secret), ip="203.0.113.9")

    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_wrong_codes_appear_in_the_security_log(client, secretariat, cache_state):
    sign_in(client, secretariat.email)
    for _ in range(3):
        enter_code(client, "000000")

    failed = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TWO_FACTOR_FAILED)
    assert failed.count() == 3
    assert {(e.user_id, e.email, e.ip_address) for e in failed} == {
        (secretariat.pk, secretariat.email, IP)
    }
    assert failed.first().get_kind_display() == "Wrong two-factor code"


def test_refused_codes_do_not_prolong_the_limit(client, secretariat, cache_state):
    sign_in(client, secretariat.email)
    for _ in range(8):
        enter_code(client, "000000")

    failed = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TWO_FACTOR_FAILED)
    assert failed.count() == 5


def test_another_staff_member_still_signs_in(client, secretariat, cache_state):
    colleague = SecretariatFactory(email="colleague@example.org")
    sign_in(client, secretariat.email)
    for _ in range(6):
        enter_code(client, "000000")

    client.cookies.clear()
    sign_in(client, colleague.email)
    response = enter_code(client, current_totp(colleague.totp_secret))

    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_the_right_code_is_accepted_once_the_window_has_passed(client, secretariat, cache_state):
    sign_in(client, secretariat.email)
    for _ in range(5):
        enter_code(client, "000000")
    SecurityEvent.objects.update(
        occurred_at=timezone.now() - timezone.timedelta(minutes=5, seconds=1)
    )
    # allauth's own count (cache up) would still refuse: its window is the same five minutes.
    cache.clear()

    response = enter_code(client, current_totp(secretariat.totp_secret))

    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_mistakes_before_an_accepted_code_are_forgotten(client, secretariat, cache_state):
    # As allauth forgets its count when a code is accepted.
    sign_in(client, secretariat.email)
    for _ in range(4):
        enter_code(client, "000000")
    assert enter_code(client, current_totp(secretariat.totp_secret)).status_code == 302
    client.post("/accounts/logout/")

    sign_in(client, secretariat.email)
    enter_code(client, "000000")
    response = enter_code(client, "000000")

    assert code_error(response) == ["Incorrect code."]


def test_with_the_cache_up_the_limit_holds_when_the_cache_loses_its_count(client, secretariat):
    # A Redis restarted (or flushed) in the middle of an attack forgets allauth's count.
    sign_in(client, secretariat.email)
    for _ in range(5):
        enter_code(client, "000000")
    cache.clear()

    response = enter_code(client, current_totp(secretariat.totp_secret))

    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_codes_to_reauthenticate_count_too(client, secretariat, cache_state):
    client.force_login(secretariat)
    for _ in range(5):
        client.post(reverse("mfa_reauthenticate"), {"code": "000000"}, REMOTE_ADDR=IP)

    response = client.post(
        reverse("mfa_reauthenticate"), {"code": current_totp(secretariat.totp_secret)}
    )

    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    failed = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TWO_FACTOR_FAILED)
    assert failed.count() == 5
