import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance87.accounts.models import ApiRequest, ApiToken
from alliance87.accounts.tokens import api_token_create, api_token_revoke, token_hash
from tests.api_clients import token_client

pytestmark = pytest.mark.django_db

ME = "/api/v1/pathfinders/periods/"


def test_a_token_is_shown_once_and_stored_hashed(client_for, gcg_member):
    client = client_for(gcg_member)
    response = client.post(reverse("accounts:api_tokens"), {"name": "Monitoring", "days": 30})
    assert response.status_code == 200
    plain = response.context["created"]["plain"]
    token = ApiToken.objects.get(user=gcg_member)
    assert token.name == "Monitoring"
    assert token.token_hash == token_hash(plain)
    assert plain not in str(ApiToken.objects.values_list().get())
    assert response["Cache-Control"] == "no-store"
    again = client.get(reverse("accounts:api_tokens"))
    assert plain not in again.content.decode()
    assert "Monitoring" in again.content.decode()


def test_a_token_needs_a_name_and_a_valid_length(client_for, gcg_member):
    response = client_for(gcg_member).post(
        reverse("accounts:api_tokens"), {"name": "", "days": 9999}
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"name", "days"}
    assert not ApiToken.objects.exists()


def test_the_owner_revokes_a_token_and_it_is_refused(client_for, gcg_member):
    token, plain = api_token_create(user=gcg_member, name="CI", days=10)
    api = token_client(gcg_member)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert api.get(ME).status_code == 200
    client_for(gcg_member).post(reverse("accounts:api_token_revoke", args=[token.pk]))
    response = api.get(ME)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_nobody_revokes_someone_elses_token_from_their_page(client_for, gcg_member, gcg_observer):
    token, _plain = api_token_create(user=gcg_member, name="CI", days=10)
    response = client_for(gcg_observer).post(reverse("accounts:api_token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_an_expired_token_is_refused(gcg_member):
    token, plain = api_token_create(user=gcg_member, name="Old", days=1)
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    api = token_client(gcg_member)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert api.get(ME).status_code == 401


def test_an_unknown_token_and_no_token_are_401(gcg_member):
    api = token_client(gcg_member)
    api.credentials(HTTP_AUTHORIZATION="Bearer a87_nothing_here")
    assert api.get(ME).status_code == 401
    api.credentials()
    response = api.get(ME)
    assert response.status_code == 401
    assert response.json()["status"] == 401


def test_the_secretariat_revokes_anyones_token_in_the_admin(client_for, secretariat, gcg_member):
    token, _plain = api_token_create(user=gcg_member, name="CI", days=10)
    client = client_for(secretariat)
    listing = client.get(reverse("admin:accounts_apitoken_changelist"))
    assert "CI" in listing.content.decode()
    client.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_by == secretariat


def test_revoking_twice_keeps_the_first_revocation(gcg_member, secretariat):
    token, _plain = api_token_create(user=gcg_member, name="CI", days=10)
    api_token_revoke(token=token, by=gcg_member)
    first = token.revoked_at
    api_token_revoke(token=token, by=secretariat)
    token.refresh_from_db()
    assert (token.revoked_at, token.revoked_by) == (first, gcg_member)


def test_every_request_is_logged_with_token_user_and_address(gcg_member):
    token, plain = api_token_create(user=gcg_member, name="CI", days=10)
    api = token_client(gcg_member)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {plain}")
    api.get(ME, REMOTE_ADDR="203.0.113.9")
    entry = ApiRequest.objects.get(token=token)
    assert (entry.user, entry.ip_address, entry.status, entry.path) == (
        gcg_member,
        "203.0.113.9",
        200,
        ME,
    )
    assert entry.occurred_at.tzinfo is not None


def test_staff_set_up_two_factor_before_creating_a_token(client_for):
    from alliance87.accounts import roles
    from tests.factories import UserFactory

    staff = UserFactory(role=roles.SECRETARIAT)  # no authenticator yet
    response = client_for(staff).post(reverse("accounts:api_tokens"), {"name": "CI", "days": 30})
    assert response.status_code == 302
    assert reverse("mfa_activate_totp") in response["Location"]
    assert not ApiToken.objects.exists()
    # Their session reaches no API data either, and is told why in JSON.
    api = client_for(staff).get("/api/v1/pathfinders/periods/")
    assert (api.status_code, api.json()["code"]) == (403, "two_factor_required")
