import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from alliance87.accounts.tokens import api_token_create, api_token_revoke
from pathfinders.models import ProgressReport, ReportStatus, Stage
from tests.api_clients import token_client
from tests.factories import CountryFactory

from .factories import PathfinderFactory, PeriodFactory, ReportFactory

pytestmark = pytest.mark.django_db


def test_focal_point_lists_only_their_own_countries_reports(focal_point, report, other_report):
    response = token_client(focal_point).get("/api/v1/pathfinders/reports/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [report.pk]


def test_focal_point_cannot_read_another_countrys_report(focal_point, report, other_report):
    response = token_client(focal_point).get(f"/api/v1/pathfinders/reports/{other_report.pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_focal_point_cannot_write_another_countrys_report(focal_point, report, other_report):
    response = token_client(focal_point).post(
        f"/api/v1/pathfinders/reports/{other_report.pk}/draft/",
        {"version": other_report.version, "summary": "Not mine"},
        format="json",
    )
    assert response.status_code == 404
    other_report.refresh_from_db()
    assert other_report.summary != "Not mine"


def test_observer_token_cannot_write_a_report(gcg_observer, report):
    client = token_client(gcg_observer)
    assert client.get(f"/api/v1/pathfinders/reports/{report.pk}/").status_code == 200
    response = client.post(
        f"/api/v1/pathfinders/reports/{report.pk}/draft/",
        {"version": report.version, "summary": "Observer's"},
        format="json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert (
        client.post(
            f"/api/v1/pathfinders/reports/{report.pk}/submit/", {"version": 1}, format="json"
        ).status_code
        == 403
    )


def test_focal_point_pushes_draft_values_through_the_form_checks(focal_point, report, indicators):
    response = token_client(focal_point).post(
        f"/api/v1/pathfinders/reports/{report.pk}/draft/",
        {
            "version": report.version,
            "summary": "A good half-year",
            "values": [
                {"indicator": "NUM", "value": "250", "narrative": "Inspections"},
                {"indicator": "YN", "value": "yes"},
            ],
            "commitment_updates": [
                {"commitment": "1.1", "status": "on_track", "progress_percent": 40}
            ],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["version"] == report.version + 1
    assert body["summary"] == "A good half-year"
    values = {v["indicator"]: v for v in body["values"]}
    assert values["NUM"]["value_number"] == 250
    assert values["NUM"]["narrative"] == "Inspections"
    assert body["commitment_updates"][0]["status"] == "on_track"


def test_a_value_out_of_range_is_named_with_its_place(focal_point, report, indicators):
    response = token_client(focal_point).post(
        f"/api/v1/pathfinders/reports/{report.pk}/draft/",
        {
            "version": report.version,
            "values": [{"indicator": "PCT", "value": "140"}, {"indicator": "NOPE", "value": "1"}],
        },
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "between 0 and 100" in errors["values.0.value"][0]
    assert "NOPE" in errors["values.1.indicator"][0]
    report.refresh_from_db()
    assert report.version == 1


def test_a_stale_version_is_a_conflict_with_the_current_version(focal_point, report, indicators):
    client = token_client(focal_point)
    url = f"/api/v1/pathfinders/reports/{report.pk}/draft/"
    assert client.post(url, {"version": 1, "summary": "first"}, format="json").status_code == 200
    response = client.post(url, {"version": 1, "summary": "second"}, format="json")
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    report.refresh_from_db()
    assert report.summary == "first"


def test_submission_is_a_separate_call_with_the_version(focal_point, report, indicators):
    client = token_client(focal_point)
    submit = f"/api/v1/pathfinders/reports/{report.pk}/submit/"
    refused = client.post(submit, {"version": 1}, format="json")
    assert refused.status_code == 400
    assert "1.1, 1.2" in refused.json()["errors"]["non_field_errors"][0]
    updates = [{"commitment": code, "status": "on_track"} for code in ("1.1", "1.2")]
    client.post(
        f"/api/v1/pathfinders/reports/{report.pk}/draft/",
        {"version": 1, "commitment_updates": updates},
        format="json",
    )
    response = client.post(submit, {"version": 2}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == ReportStatus.SUBMITTED
    again = client.post(submit, {"version": 3}, format="json")
    assert again.status_code == 409
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_overview_gives_the_pages_figures(secretariat, report, other_report, client_for):
    api = token_client(secretariat).get("/api/v1/pathfinders/overview/").json()
    assert api["figures"]["countries"] == 2
    page = client_for(secretariat).get("/pathfinders/")
    assert page.context["figures"] == api["figures"]
    assert [row["iso_code"] for row in api["rows"]] == [r["iso_code"] for r in page.context["rows"]]


def test_overview_rows_keep_the_stored_country_name_in_any_language(secretariat, report):
    response = token_client(secretariat).get(
        "/api/v1/pathfinders/overview/", HTTP_ACCEPT_LANGUAGE="fr"
    )

    assert response["Content-Language"] == "fr"
    assert [row["country"] for row in response.json()["rows"]] == ["Fiji"]


def test_overview_csv_is_the_pages_download(secretariat, report, client_for):
    api = token_client(secretariat).get("/api/v1/pathfinders/overview/?format=csv")
    page = client_for(secretariat).get("/pathfinders/overview.csv")
    assert api["Content-Type"].startswith("text/csv")
    assert api.content.decode().splitlines()[3:] == page.content.decode().splitlines()[3:]


def test_a_bad_filter_is_a_400_naming_it(secretariat, report):
    response = token_client(secretariat).get("/api/v1/pathfinders/reports/?status=lost")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["status"]


def test_country_detail_of_a_focal_points_own_country_only(focal_point, report, other_pathfinder):
    client = token_client(focal_point)
    own = client.get("/api/v1/pathfinders/countries/FJ/")
    assert own.status_code == 200
    assert [c["code"] for c in own.json()["roadmaps"][0]["commitments"]] == ["1.1", "1.2"]
    assert client.get("/api/v1/pathfinders/countries/GH/").status_code == 404


def _count(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/pathfinders/countries/",
        "/api/v1/pathfinders/reports/",
        "/api/v1/pathfinders/periods/",
        "/api/v1/pathfinders/overview/",
    ],
)
def test_list_endpoints_run_as_many_queries_for_more_countries(secretariat, report, period, url):
    client = token_client(secretariat)
    few = _count(client, url)
    for index in range(6):
        place = CountryFactory(iso_code=f"Q{chr(65 + index)}", name=f"Land {index}")
        ReportFactory(pathfinder=PathfinderFactory(country=place), period=period)
    # The token, its owner's roles, the page's own queries (the count and one page of rows,
    # or the overview's selector), and the request log.
    assert _count(client, url) == few


# --- Starting a report ------------------------------------------------------------------------

START = "/api/v1/pathfinders/countries/{}/reports/"


def test_focal_point_starts_their_countrys_report_for_the_open_period(
    focal_point, pathfinder, period, commitments
):
    response = token_client(focal_point).post(START.format("fj"), {}, format="json")
    assert response.status_code == 201, response.json()
    report = ProgressReport.objects.get(pathfinder=pathfinder, period=period)
    assert response["Location"] == f"/api/v1/pathfinders/reports/{report.pk}/"
    body = response.json()
    assert (body["id"], body["status"], body["version"]) == (report.pk, "draft", 1)
    assert report.created_by == focal_point
    assert [t.to_status for t in report.transitions.all()] == [ReportStatus.DRAFT]


def test_starting_a_report_already_started_points_to_it(focal_point, report):
    response = token_client(focal_point).post(START.format("FJ"), {}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["report"], body["current_version"]) == (
        "conflict",
        report.pk,
        report.version,
    )
    assert ProgressReport.objects.count() == 1


def test_focal_point_cannot_start_another_countrys_report(focal_point, other_pathfinder, period):
    response = token_client(focal_point).post(START.format("GH"), {}, format="json")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize("role", ["secretariat", "gcg_member", "gcg_observer"])
def test_readers_cannot_start_a_report(role, request, pathfinder, period):
    response = token_client(request.getfixturevalue(role)).post(
        START.format("FJ"), {}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not ProgressReport.objects.exists()


def test_anonymous_and_revoked_tokens_cannot_start_a_report(focal_point, pathfinder, period):
    assert APIClient().post(START.format("FJ"), {}, format="json").status_code == 401
    token, plain = api_token_create(user=focal_point, name="old", days=30)
    api_token_revoke(token=token, by=focal_point)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert client.post(START.format("FJ"), {}, format="json").status_code == 401
    assert not ProgressReport.objects.exists()


def test_a_report_is_started_only_for_the_open_period(focal_point, pathfinder, period, framework):
    closed = PeriodFactory(
        label="2025 H2",
        framework_version=framework,
        opens_on=period.opens_on - datetime.timedelta(days=180),
        due_on=period.opens_on - datetime.timedelta(days=100),
    )
    response = token_client(focal_point).post(
        START.format("FJ"), {"period": closed.pk}, format="json"
    )
    assert response.status_code == 400
    assert "2026 H1" in response.json()["errors"]["period"][0]
    assert not ProgressReport.objects.exists()
    named = token_client(focal_point).post(START.format("FJ"), {"period": period.pk}, format="json")
    assert named.status_code == 201


def test_no_open_period_is_a_conflict(focal_point, pathfinder, framework):
    PeriodFactory(
        framework_version=framework,
        opens_on=datetime.date.today() + datetime.timedelta(days=5),
        due_on=datetime.date.today() + datetime.timedelta(days=60),
    )
    response = token_client(focal_point).post(START.format("FJ"), {}, format="json")
    assert response.status_code == 409
    assert not ProgressReport.objects.exists()


def test_a_country_without_pathfinder_status_starts_no_report(focal_point, pathfinder, period):
    pathfinder.stage = Stage.WORKSHOP_HELD
    pathfinder.save()
    response = token_client(focal_point).post(START.format("FJ"), {}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"]
    assert not ProgressReport.objects.exists()
