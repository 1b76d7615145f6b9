"""The README's worked example, as a focal point of Fiji on the demo: a token, the overview,
the report started for the open period, values pushed to the draft, the draft submitted."""

from pathfinders import selectors
from pathfinders.models import ProgressReport

from .conftest import FOCAL_POINT


def test_the_readmes_worked_example_runs_from_nothing(api_as):
    ProgressReport.objects.filter(
        pathfinder__country__iso_code="FJ", period=selectors.current_period()
    ).delete()
    client = api_as(FOCAL_POINT)

    overview = client.get("/api/v1/pathfinders/overview/")
    assert overview.status_code == 200
    assert [row["iso_code"] for row in overview.json()["rows"]] == ["FJ"]

    started = client.post("/api/v1/pathfinders/countries/FJ/reports/")
    assert started.status_code == 201, started.json()
    report = started.json()
    assert (report["status"], report["version"]) == ("draft", 1)
    again = client.post("/api/v1/pathfinders/countries/FJ/reports/").json()
    assert (again["report"], again["current_version"]) == (report["id"], 1)
    drafts = client.get("/api/v1/pathfinders/reports/?country=FJ&status=draft").json()
    assert [row["id"] for row in drafts["results"]] == [report["id"]]

    pushed = client.post(
        f"/api/v1/pathfinders/reports/{report['id']}/draft/",
        {
            "version": 1,
            "summary": "Labour inspections doubled this half-year.",
            "values": [{"indicator": "PL1", "value": "yes", "narrative": "Adopted in May"}],
            # Every commitment has a status before the report is submitted.
            "commitment_updates": [
                {"commitment": "1.1", "status": "on_track", "progress_percent": 40},
                *[
                    {"commitment": code, "status": "not_started"}
                    for code in ["1.2", "2.1", "2.2", "3.1"]
                ],
            ],
        },
        format="json",
    )
    assert pushed.status_code == 200, pushed.json()
    assert pushed.json()["version"] == 2

    submitted = client.post(
        f"/api/v1/pathfinders/reports/{report['id']}/submit/", {"version": 2}, format="json"
    )
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["status"] == "submitted"
