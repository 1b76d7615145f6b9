import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.models import ActionGroup
from tests.api_clients import token_client

from .factories import DecisionFactory, GroupFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_focal_point_sees_approved_groups_but_not_proposed_ones(focal_point):
    active = GroupFactory(name="Child labour in supply chains")
    proposed = GroupFactory(name="Proposed group", status=ActionGroup.Status.PROPOSED)
    client = token_client(focal_point)
    names = [g["name"] for g in client.get("/api/v1/governance/groups/").json()]
    assert names == [active.name]
    assert client.get(f"/api/v1/governance/groups/{proposed.pk}/").status_code == 404


def test_meetings_and_decisions_are_for_the_gcg(gcg_observer, focal_point):
    meeting = MeetingFactory(number=42)
    DecisionFactory(meeting=meeting, text="Adopt the workplan.")
    body = token_client(gcg_observer).get("/api/v1/governance/meetings/42/").json()
    assert [d["text"] for d in body["decisions"]] == ["Adopt the workplan."]
    assert token_client(focal_point).get("/api/v1/governance/meetings/").status_code == 404


def test_composition_is_open_to_focal_points(focal_point, outsider):
    assert token_client(focal_point).get("/api/v1/governance/composition/").status_code == 200
    assert token_client(outsider).get("/api/v1/governance/composition/").status_code == 404


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_group_and_meeting_lists_run_as_many_queries_for_more_rows(gcg_member):
    client = token_client(gcg_member)
    GroupFactory()
    MeetingFactory()
    few = (
        _count(client, "/api/v1/governance/groups/"),
        _count(client, "/api/v1/governance/meetings/"),
    )
    for _ in range(5):
        GroupFactory()
        DecisionFactory(meeting=MeetingFactory())
    # The token, the roles, one query for the rows, the request log.
    assert (
        _count(client, "/api/v1/governance/groups/"),
        _count(client, "/api/v1/governance/meetings/"),
    ) == few


def test_group_list_as_csv_holds_the_groups_the_person_may_see(focal_point):
    GroupFactory(name="=Supply chains")
    GroupFactory(name="Proposed group", status=ActionGroup.Status.PROPOSED)
    response = token_client(focal_point).get("/api/v1/governance/groups/?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    cells = [
        c for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))) for c in row
    ]
    assert "'=Supply chains" in cells  # written by alliance87.exports: no formula
    assert "Proposed group" not in cells
    assert {"name", "member_count", "last_activity_on"} <= set(cells)


def test_group_list_csv_is_refused_to_outsiders(outsider):
    response = token_client(outsider).get("/api/v1/governance/groups/?format=csv")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_group_list_csv_runs_as_many_queries_for_more_groups(gcg_member):
    client = token_client(gcg_member)
    GroupFactory()
    few = _count(client, "/api/v1/governance/groups/?format=csv")
    for _ in range(5):
        GroupFactory()
    # The token, the roles, one query for the rows, the request log.
    assert _count(client, "/api/v1/governance/groups/?format=csv") == few
