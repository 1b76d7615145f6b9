"""API clients for the tests: each sends a fresh personal token of the person given."""

from rest_framework.test import APIClient

from alliance87.accounts.tokens import api_token_create


def token_client(user, *, days: int = 30) -> APIClient:
    _token, plain = api_token_create(user=user, name="test", days=days)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plain}")
    return client
