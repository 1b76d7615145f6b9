from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from alliance87.accounts.models import User
from alliance87.accounts.tokens import api_token_create

SECRETARIAT = "secretariat@alliance87.test"
GCG_MEMBER = "gcg.member@alliance87.test"
GCG_OBSERVER = "gcg.observer@alliance87.test"
FOCAL_POINT = "focal.point@alliance87.test"  # Fiji
FOCAL_POINT_CI = "focal.point.ci@alliance87.test"  # Côte d'Ivoire


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=StringIO())


@pytest.fixture
def api_as(demo):
    """An API client sending a fresh personal token of the person with this email."""

    def client_for(email: str) -> APIClient:
        user = User.objects.get(email=email)
        _token, plain = api_token_create(user=user, name="test", days=30)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {plain}")
        return client

    return client_for
