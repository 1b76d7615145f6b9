import re
import secrets
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from alliance87.accounts import roles
from alliance87.accounts.models import UsedTotpCode
from alliance87.accounts.services import (
    two_factor_code_accept,
    user_invite,
    user_settings_update,
)
from alliance87.accounts.totp import code_for

pytestmark = pytest.mark.django_db


def test_invitation_creates_an_account_without_password_bound_to_its_countries(
    country, secretariat, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        user = user_invite(
            email="New.Person@Example.org",
            first_name="Ana",
            last_name="Lopez",
            role=roles.FOCAL_POINT,
            countries=[country],
            invited_by=secretariat,
        )

    assert user.email == "new.person@example.org"
    assert not user.has_usable_password()
    assert list(user.groups.values_list("name", flat=True)) == [roles.FOCAL_POINT]
    assert list(user.focal_point_assignments.values_list("country__name", flat=True)) == ["Fiji"]
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["new.person@example.org"]


def test_invitation_link_lets_the_person_set_a_password_and_sign_in(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        user_invite(
            email="ana@example.org", first_name="Ana", last_name="Lopez", role=roles.GCG_OBSERVER
        )
    link = re.search(r"http://\S+", mailoutbox[0].body).group(0)
    path = link.split("8000", 1)[1]

    form_page = client.get(path, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"password1": "a-fresh-secret-22", "password2": "a-fresh-secret-22"},
    )

    assert response.status_code == 302
    assert (
        client.post(
            "/accounts/login/", {"login": "ana@example.org", "password": "a-fresh-secret-22"}
        ).status_code
        == 302
    )


def accept_invitation(client, mailoutbox, password: str) -> None:
    link = re.search(r"http://\S+", mailoutbox[-1].body).group(0)
    form_page = client.get(link.split("8000", 1)[1], follow=True)
    client.post(form_page.redirect_chain[-1][0], {"password1": password, "password2": password})


def test_accepting_an_invitation_verifies_the_address(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        user = user_invite(
            email="ana@example.org", first_name="Ana", last_name="Lopez", role=roles.GCG_MEMBER
        )
    assert not EmailAddress.objects.filter(user=user, verified=True).exists()

    accept_invitation(client, mailoutbox, "a-fresh-secret-22")

    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == ("ana@example.org", True, True)


def test_an_invited_secretariat_member_sets_up_two_factor_right_after_signing_in(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        user = user_invite(
            email="sam@example.org", first_name="Sam", last_name="Ortiz", role=roles.SECRETARIAT
        )
    accept_invitation(client, mailoutbox, "a-fresh-secret-22")

    signed_in = client.post(
        "/accounts/login/", {"login": "sam@example.org", "password": "a-fresh-secret-22"}
    )
    asked = client.get(signed_in.url, follow=True)  # the password once more, then the setup
    assert asked.redirect_chain[-1][0].startswith("/accounts/reauthenticate/")
    setup = client.post(asked.redirect_chain[-1][0], {"password": "a-fresh-secret-22"}, follow=True)

    assert setup.redirect_chain[-1][0].startswith(reverse("mfa_activate_totp"))
    assert setup.status_code == 200
    assert "until you have verified your email address" not in setup.content.decode()
    secret = setup.context["form"].secret  # the secret the page shows
    code = code_for(secret, int(time.time()) // 30)
    activated = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert activated.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("dashboard")).status_code == 200


def test_invitation_email_is_in_the_invitees_language(
    django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        user_invite(
            email="luc@example.org",
            first_name="Luc",
            last_name="Martin",
            role=roles.GCG_MEMBER,
            language="fr",
        )

    assert "Définissez votre mot de passe" in mailoutbox[0].body


def test_secretariat_invitee_is_staff(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = user_invite(
            email="staff@example.org", first_name="S", last_name="T", role=roles.SECRETARIAT
        )

    assert user.is_staff


def test_focal_point_invitation_without_a_country_is_refused(mailoutbox):
    with pytest.raises(ValidationError) as error:
        user_invite(email="x@example.org", first_name="X", last_name="Y", role=roles.FOCAL_POINT)

    assert "countries" in error.value.message_dict
    assert not mailoutbox


def current_step() -> int:
    # Not in the last seconds of a window: its code must still be valid when it is checked.
    if 30 - time.time() % 30 < 3:
        time.sleep(30 - time.time() % 30 + 0.2)
    return int(time.time()) // 30


def totp_code(secret: str, step: int) -> str:
    return code_for(secret, step)


def test_a_totp_code_is_accepted_once(secretariat):
    code = totp_code(secretariat.totp_secret, current_step())

    first = two_factor_code_accept(user=secretariat, code=code, request=None)
    again = two_factor_code_accept(user=secretariat, code=code, request=None)

    assert first == secretariat.authenticator_set.get(type="totp")
    assert again is None
    assert UsedTotpCode.objects.count() == 1


def test_a_used_totp_code_stays_refused_when_the_cache_is_emptied(secretariat):
    code = totp_code(secretariat.totp_secret, current_step())
    two_factor_code_accept(user=secretariat, code=code, request=None)

    cache.clear()

    assert two_factor_code_accept(user=secretariat, code=code, request=None) is None


def test_a_code_of_another_time_step_is_refused(secretariat):
    code = totp_code(secretariat.totp_secret, current_step() - 2)

    assert two_factor_code_accept(user=secretariat, code=code, request=None) is None
    assert not UsedTotpCode.objects.exists()


def test_accepting_a_code_forgets_the_steps_that_can_no_longer_be_used(secretariat):
    authenticator = secretariat.authenticator_set.get(type="totp")
    step = current_step()
    UsedTotpCode.objects.create(authenticator=authenticator, time_step=step - 40)

    two_factor_code_accept(
        user=secretariat, code=totp_code(secretariat.totp_secret, step), request=None
    )

    assert list(UsedTotpCode.objects.values_list("time_step", flat=True)) == [step]


def test_a_recovery_code_is_accepted_once(secretariat):
    codes = Authenticator.objects.create(
        user=secretariat,
        type=Authenticator.Type.RECOVERY_CODES,
        data={"seed": encrypt(secrets.token_hex(40)), "used_mask": 0},
    )
    code = codes.wrap().get_unused_codes()[0]

    assert (
        two_factor_code_accept(user=secretariat, code=code, request=None).type == "recovery_codes"
    )
    assert two_factor_code_accept(user=secretariat, code=code, request=None) is None


def test_a_person_s_settings_refuse_a_zone_that_does_not_exist(gcg_member):
    with pytest.raises(ValidationError) as refused:
        user_settings_update(user=gcg_member, language="en", time_zone="Pacific/Atlantis")

    assert "time_zone" in refused.value.message_dict


def test_an_invitation_opens_the_set_password_page_in_the_invitees_language(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        user_invite(
            email="luc@example.org",
            first_name="Luc",
            last_name="Martin",
            role=roles.GCG_MEMBER,
            language="fr",
        )
    link = re.search(r"http://\S+", mailoutbox[0].body).group(0)
    assert link.endswith("?language=fr")

    page = client.get(link.split("8000", 1)[1], follow=True)

    assert '<html lang="fr"' in page.content.decode()
    assert "Modifier le mot de passe" in page.content.decode()
