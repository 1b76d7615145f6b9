from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_a_lost_database_answers_a_friendly_503_not_a_stack_trace(client_for, gcg_member):
    client = client_for(gcg_member)
    with mock.patch(
        "alliance87.views.render", side_effect=OperationalError("server closed the connection")
    ):
        response = client.get("/dashboard/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "briefly unavailable" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_the_portal_answers_again_once_the_database_is_back(client_for, gcg_member):
    client = client_for(gcg_member)
    with mock.patch("alliance87.views.render", side_effect=OperationalError("gone")):
        client.get("/dashboard/")

    assert client.get("/healthz").status_code == 200
