import re

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from alliance87.accounts.models import SecurityEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN, {"login": email, "password": password}, **extra)


def test_sign_in_with_email_and_password_lands_on_the_dashboard(client, gcg_member):
    response = sign_in(client, gcg_member.email, REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SIGNED_IN)
    assert (event.user, event.ip_address) == (gcg_member, "198.51.100.7")
    assert event.occurred_at.tzinfo is not None


def test_wrong_password_is_refused_and_logged(client, gcg_member):
    response = sign_in(client, gcg_member.email, "wrong-password")

    assert response.status_code == 200
    assert (
        "The email address and/or password you specified are not correct."
        in response.content.decode()
    )
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SIGN_IN_FAILED)
    assert event.email == gcg_member.email


def test_sign_in_is_rate_limited_after_five_failures_for_one_address(client, gcg_member):
    for _ in range(5):
        sign_in(client, gcg_member.email, "wrong-password")

    response = sign_in(client, gcg_member.email)  # even the right password

    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_up_is_closed(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "new@example.org", "password1": "x" * 12, "password2": "x" * 12},
    )

    assert "Sign Up Closed" in response.content.decode()
    assert not SecurityEvent.objects.exists()
    from alliance87.accounts.models import User

    assert not User.objects.filter(email="new@example.org").exists()


def test_sign_out_is_logged(client_for, gcg_member):
    client = client_for(gcg_member)

    client.post("/accounts/logout/")

    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.SIGNED_OUT, user=gcg_member
    ).exists()
    assert client.get(reverse("dashboard")).status_code == 302


def test_an_idle_session_expires(client_for, gcg_member, settings):
    client = client_for(gcg_member)
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 30 * 60

    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))

    assert client.get(reverse("dashboard")).status_code == 302


def test_secretariat_password_alone_does_not_sign_in(client, secretariat):
    response = sign_in(client, secretariat.email)

    assert response.status_code == 302
    assert response.url == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session


def test_staff_without_an_authenticator_must_set_one_up_first(client_for, secretariat):
    secretariat.authenticator_set.all().delete()

    response = client_for(secretariat).get(reverse("dashboard"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_activate_totp"))


def test_staff_cannot_remove_their_authenticator(client_for, secretariat):
    client = client_for(secretariat)

    response = client.post(reverse("mfa_deactivate_totp"))

    assert secretariat.authenticator_set.filter(type="totp").exists()
    assert response.status_code in (200, 302)


def test_admin_sign_in_goes_through_the_portal_sign_in(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_admin_is_refused_to_a_signed_in_member_and_logged(client_for, gcg_member):
    response = client_for(gcg_member).get("/admin/")

    assert response.status_code in (302, 403)
    follow = client_for(gcg_member).get("/admin/login/?next=/admin/")
    assert follow.status_code == 403
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.ACCESS_REFUSED, user=gcg_member
    ).exists()


def test_admin_opens_for_the_secretariat(client_for, secretariat):
    response = client_for(secretariat).get("/admin/")

    assert response.status_code == 200
    assert "Alliance 8.7 administration" in response.content.decode()


def test_a_forgotten_password_is_reset_from_an_emailed_link(client, gcg_member, mailoutbox):
    client.post("/accounts/password/reset/", {"email": gcg_member.email})
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+", mailoutbox[0].body).group(0)
    form = client.get(link.split("testserver", 1)[-1], follow=True)
    new = {"password1": "a-brand-new-secret-31", "password2": "a-brand-new-secret-31"}

    response = client.post(form.redirect_chain[-1][0], new)

    assert response.status_code == 302
    assert sign_in(client, gcg_member.email, "a-brand-new-secret-31").status_code == 302


def test_every_member_may_set_up_two_factor_authentication(client, gcg_member):
    sign_in(client, gcg_member.email)
    asked = client.get(reverse("mfa_activate_totp"))
    assert asked.url.startswith("/accounts/reauthenticate/")  # the password once more, first
    client.post(asked.url, {"password": PASSWORD})

    response = client.get(reverse("mfa_activate_totp"))

    assert response.status_code == 200
    assert "Authenticator" in response.content.decode()


def test_the_sign_in_page_does_not_invite_people_to_sign_up(client):
    page = client.get(LOGIN).content.decode()

    assert "sign up" not in page.lower()
    assert "/accounts/signup/" not in page
    assert "invitation" in page


def test_a_password_reset_for_an_unknown_address_sends_no_email(client, gcg_member, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})

    assert response.status_code == 302  # the same answer as for a known address
    assert mailoutbox == []
    client.post("/accounts/password/reset/", {"email": gcg_member.email})
    assert [m.to for m in mailoutbox] == [[gcg_member.email]]


def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one(client_for, gcg_member):
    from django.test import Client

    elsewhere = Client()
    elsewhere.force_login(gcg_member)
    client = client_for(gcg_member)
    new = "a-brand-new-secret-31"

    changed = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )

    assert changed.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200
    assert elsewhere.get(reverse("dashboard")).status_code == 302


def test_a_password_reset_ends_every_session(client, gcg_member, mailoutbox):
    import re

    from django.test import Client

    signed_in = Client()
    signed_in.force_login(gcg_member)
    client.post("/accounts/password/reset/", {"email": gcg_member.email})
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+", mailoutbox[0].body).group(0)
    form = client.get(link.split("testserver", 1)[-1], follow=True)
    new = {"password1": "a-brand-new-secret-31", "password2": "a-brand-new-secret-31"}

    client.post(form.redirect_chain[-1][0], new)

    assert signed_in.get(reverse("dashboard")).status_code == 302


def test_a_password_set_in_the_admin_ends_that_persons_sessions(
    client_for, secretariat, gcg_member
):
    from django.test import Client

    signed_in = Client()
    signed_in.force_login(gcg_member)
    new = "a-brand-new-secret-31"

    response = client_for(secretariat).post(
        reverse("admin:auth_user_password_change", args=[gcg_member.pk]),
        {"password1": new, "password2": new, "usable_password": "true"},
    )

    assert response.status_code == 302
    assert signed_in.get(reverse("dashboard")).status_code == 302


def test_the_lockout_holds_when_the_cache_is_emptied(client, gcg_member):
    # Failed sign-ins are counted in the database: a restarted Redis forgets nothing.
    for _ in range(5):
        sign_in(client, gcg_member.email, "wrong-password")
    cache.clear()

    response = sign_in(client, gcg_member.email)

    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_password_reset_lifts_the_lockout_of_its_address(client, gcg_member, mailoutbox):
    for _ in range(5):
        sign_in(client, gcg_member.email, "wrong-password")
    client.post("/accounts/password/reset/", {"email": gcg_member.email})
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+", mailoutbox[0].body).group(0)
    form = client.get(link.split("testserver", 1)[-1], follow=True)
    new = {"password1": "a-brand-new-secret-31", "password2": "a-brand-new-secret-31"}
    client.post(form.redirect_chain[-1][0], new)

    response = sign_in(client, gcg_member.email, "a-brand-new-secret-31")

    assert response.status_code == 302
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.PASSWORD_RESET, user=gcg_member
    ).exists()


def test_a_forwarded_address_written_by_the_client_is_not_believed(client, gcg_member, settings):
    settings.PRODUCTION = True  # as deployed, with no proxy of ours declared
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0

    sign_in(
        client,
        gcg_member.email,
        "wrong",
        REMOTE_ADDR="198.51.100.7",
        HTTP_X_FORWARDED_FOR="1.2.3.4",
    )

    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SIGN_IN_FAILED)
    assert event.ip_address == "198.51.100.7"


def test_behind_one_proxy_the_address_it_appended_is_the_clients(client, gcg_member, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    spoofed_then_appended = "1.2.3.4, 203.0.113.9"

    sign_in(
        client,
        gcg_member.email,
        "wrong",
        REMOTE_ADDR="172.18.0.1",
        HTTP_X_FORWARDED_FOR=spoofed_then_appended,
    )

    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SIGN_IN_FAILED)
    assert event.ip_address == "203.0.113.9"


def test_a_password_reset_email_names_the_portal_in_the_persons_language(
    client, gcg_member, mailoutbox, settings
):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "portal.test"]
    gcg_member.language = "fr"
    gcg_member.save(update_fields=["language"])

    # Asked from an English page, at the address the portal was reached at.
    client.post("/accounts/password/reset/", {"email": gcg_member.email}, HTTP_HOST="portal.test")

    body = mailoutbox[0].body
    assert "Alliance 8.7" in body
    assert "portal.test" in body and "testserver" not in body
    assert "mot de passe" in body.lower()  # the French text of allauth's email
    assert mailoutbox[0].subject.startswith("[Alliance 8.7] ")
