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
