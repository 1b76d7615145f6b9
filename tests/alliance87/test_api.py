import pytest
from rest_framework.test import APIClient

from alliance87.api.throttling import TokenRateThrottle
from tests.api_clients import token_client

pytestmark = pytest.mark.django_db


def test_an_unknown_address_under_api_is_a_json_404(gcg_member):
    response = token_client(gcg_member).get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"status": 404, "code": "not_found", "detail": "Not found."}


def test_an_unknown_address_under_api_is_json_in_development_too(settings, client):
    settings.DEBUG = True  # Django's debug 404 page is HTML

    response = client.get("/api/v2/nothing/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_an_outsider_gets_a_json_404_not_a_page(outsider):
    response = token_client(outsider).get("/api/v1/pathfinders/overview/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_broken_json_is_a_400(focal_point):
    response = token_client(focal_point).post(
        "/api/v1/pathfinders/reports/1/draft/", "{not json", content_type="application/json"
    )
    assert response.status_code in (400, 404)
    assert response.json()["status"] == response.status_code


def test_too_many_requests_with_one_token_get_429_and_retry_after(gcg_member, monkeypatch):
    monkeypatch.setattr(
        TokenRateThrottle, "THROTTLE_RATES", {"token": "2/minute", "anonymous": "2/minute"}
    )
    client = token_client(gcg_member)
    other = token_client(gcg_member)
    statuses = [client.get("/api/v1/pathfinders/periods/").status_code for _ in range(3)]
    response = client.get("/api/v1/pathfinders/periods/")
    assert statuses == [200, 200, 429]
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["code"] == "throttled"
    # The limit is per token: another token of the same person still answers.
    assert other.get("/api/v1/pathfinders/periods/").status_code == 200


def test_session_writes_need_the_csrf_token(focal_point):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(focal_point)
    assert client.get("/api/v1/pathfinders/periods/").status_code == 200
    response = client.post("/api/v1/pathfinders/reports/1/submit/", {"version": 1}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_the_schema_and_its_documentation_are_served_without_a_cdn(client):
    schema = client.get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    assert "/api/v1/pathfinders/reports/{id}/draft/" in schema.json()["paths"]
    docs = client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "http://" not in docs.replace("http://testserver", "") and "https://" not in docs
