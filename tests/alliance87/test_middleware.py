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


def test_a_database_lost_while_a_middleware_loads_the_session_answers_503_not_500(
    client_for, gcg_member
):
    # Django turns an error raised in a middleware into a 500 before any outer middleware
    # sees it; the 500 handler answers the outage page instead.
    client = client_for(gcg_member)
    client.raise_request_exception = False
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load",
        side_effect=OperationalError("the database system is starting up"),
    ):
        response = client.get("/dashboard/")

    assert response.status_code == 503
    assert "briefly unavailable" in response.content.decode()


def test_a_database_lost_before_the_session_is_saved_answers_503_not_400(client_for, gcg_member):
    # Django reports a session it could not save as SessionInterrupted (400); the cause here
    # is the lost database.
    client = client_for(gcg_member)
    client.raise_request_exception = False
    with mock.patch(
        "django.contrib.sessions.models.Session.save",
        side_effect=OperationalError("server closed the connection unexpectedly"),
    ):
        response = client.get("/dashboard/")

    assert response.status_code == 503
    assert "briefly unavailable" in response.content.decode()


@pytest.mark.parametrize(
    "path", ["/", "/accounts/login/", "/no-such-page/", "/healthz", "/static/css/portal.css"]
)
def test_every_response_carries_the_permissions_policy(client, path):
    response = client.get(path)

    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in policy


def test_the_outage_page_carries_the_permissions_policy_too(client_for, gcg_member):
    with mock.patch("alliance87.views.render", side_effect=OperationalError("gone")):
        response = client_for(gcg_member).get("/dashboard/")

    assert response.status_code == 503
    assert "camera=()" in response["Permissions-Policy"]
