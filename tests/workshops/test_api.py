import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from alliance87.accounts.tokens import api_token_create, api_token_revoke
from tests.api_clients import token_client

from .factories import (
    AgendaItemFactory,
    CoLeadFactory,
    EventFactory,
    FollowUpActionFactory,
    OutputFactory,
    ParticipantFactory,
)

pytestmark = pytest.mark.django_db


def test_a_private_event_is_shown_only_to_those_invited(focal_point, outsider):
    private = EventFactory(title="Closed consultation", is_public=False)
    ParticipantFactory(event=private, user=focal_point)
    assert token_client(focal_point).get(f"/api/v1/events/{private.pk}/").status_code == 200
    assert token_client(outsider).get(f"/api/v1/events/{private.pk}/").status_code == 404
    listed = token_client(outsider).get("/api/v1/events/").json()
    assert listed["count"] == 0


def test_an_event_carries_its_agenda_co_leads_outputs_and_follow_ups(gcg_member):
    event = EventFactory(title="Regional workshop")
    item = AgendaItemFactory(event=event, title="Opening")
    co_lead = CoLeadFactory(agenda_item=item)
    OutputFactory(event=event, agenda_item=item, title="Joint statement")
    FollowUpActionFactory(event=event, description="Share the statement")
    body = token_client(gcg_member).get(f"/api/v1/events/{event.pk}/").json()
    assert body["agenda"][0]["title"] == "Opening"
    assert body["agenda"][0]["co_leads"][0]["label"] == co_lead.label
    assert body["agenda"][0]["outputs"][0]["title"] == "Joint statement"
    assert body["follow_ups"][0]["description"] == "Share the statement"


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_event_list_runs_as_many_queries_for_more_events(gcg_member):
    client = token_client(gcg_member)
    EventFactory()
    few = _count(client, "/api/v1/events/")
    for _ in range(5):
        EventFactory()
    # The token, the roles, the filter's years, the count, one page of events with their
    # countries, the request log.
    assert _count(client, "/api/v1/events/") == few


def _csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def test_event_list_pages_soonest_first(gcg_member):
    later = EventFactory(title="Later", start_date=datetime.date(2024, 5, 1))
    sooner = EventFactory(title="Sooner", start_date=datetime.date(2023, 5, 1))
    same_day = EventFactory(title="Also sooner", start_date=datetime.date(2023, 5, 1))
    client = token_client(gcg_member)
    body = client.get("/api/v1/events/?page_size=2").json()
    assert body["count"] == 3
    assert [e["id"] for e in body["results"]] == [same_day.pk, sooner.pk]
    assert [e["id"] for e in client.get(body["next"]).json()["results"]] == [later.pk]


def test_event_list_as_csv_holds_every_event_the_person_may_see(focal_point):
    EventFactory(title="=Open workshop", kind="regional_consultation", is_public=True)
    EventFactory(title="Closed consultation", is_public=False)
    rows = _csv_rows(token_client(focal_point).get("/api/v1/events/?format=csv&page_size=1"))
    cells = [cell for row in rows for cell in row]
    assert "'=Open workshop" in cells  # written by alliance87.exports: no formula
    assert "Closed consultation" not in cells


def test_event_list_csv_names_its_filters_and_refuses_a_bad_one(gcg_member):
    EventFactory(title="Regional", kind="regional_consultation")
    EventFactory(title="Meeting")
    client = token_client(gcg_member)
    cells = [
        c
        for row in _csv_rows(client.get("/api/v1/events/?format=csv&kind=regional_consultation"))
        for c in row
    ]
    assert "Regional" in cells and "Meeting" not in cells
    refused = client.get("/api/v1/events/?format=csv&kind=picnic")
    assert refused.status_code == 400
    assert "kind" in refused.json()["errors"]


# --- The follow-up board ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["secretariat", "gcg_member", "gcg_observer"])
def test_the_board_is_read_by_the_gcg_and_the_secretariat(role, request):
    action = FollowUpActionFactory(description="Share the statement")
    body = token_client(request.getfixturevalue(role)).get("/api/v1/events/follow-ups/").json()
    assert [a["id"] for a in body["results"]] == [action.pk]
    assert body["results"][0]["event_title"] == action.event.title


def test_the_board_is_not_for_focal_points_even_when_invited(focal_point, outsider):
    private = EventFactory(title="Closed consultation", is_public=False)
    ParticipantFactory(event=private, user=focal_point)
    FollowUpActionFactory(event=private)
    for user in [focal_point, outsider]:
        response = token_client(user).get("/api/v1/events/follow-ups/")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_the_board_refuses_anonymous_and_revoked_tokens(gcg_member):
    FollowUpActionFactory()
    assert APIClient().get("/api/v1/events/follow-ups/").status_code == 401
    token, plain = api_token_create(user=gcg_member, name="old", days=30)
    api_token_revoke(token=token, by=gcg_member)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plain}")
    response = client.get("/api/v1/events/follow-ups/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_the_board_takes_the_board_pages_filters(gcg_member):
    meeting = EventFactory(title="Fifth GCG meeting")
    workshop = EventFactory(title="Regional workshop", kind="regional_consultation")
    overdue = FollowUpActionFactory(event=meeting, due_date=datetime.date(2020, 1, 1))
    FollowUpActionFactory(event=workshop, due_date=datetime.date(2020, 1, 1))
    FollowUpActionFactory(event=meeting, status="done", completed_on=datetime.date(2020, 2, 1))
    client = token_client(gcg_member)
    found = client.get("/api/v1/events/follow-ups/?overdue=true&event=fifth").json()
    assert [a["id"] for a in found["results"]] == [overdue.pk]
    assert found["results"][0]["overdue"] is True
    kinds = client.get("/api/v1/events/follow-ups/?event__kind=regional_consultation").json()
    assert kinds["count"] == 1
    refused = client.get("/api/v1/events/follow-ups/?status=someday")
    assert refused.status_code == 400
    assert "status" in refused.json()["errors"]


def test_the_board_shows_the_meeting_that_reviews_an_action(gcg_member):
    next_meeting = EventFactory(title="Sixth GCG meeting")
    item = AgendaItemFactory(event=next_meeting, title="Follow-up review")
    FollowUpActionFactory(carried_to=item)
    body = token_client(gcg_member).get("/api/v1/events/follow-ups/").json()
    assert body["results"][0]["reviewed_at"] == "Sixth GCG meeting"


def test_the_board_as_csv_holds_every_matching_action(gcg_member):
    for index in range(3):
        FollowUpActionFactory(description=f"Action {index}")
    FollowUpActionFactory(
        description="@Done one", status="done", completed_on=datetime.date.today()
    )
    rows = _csv_rows(
        token_client(gcg_member).get("/api/v1/events/follow-ups/?format=csv&status=open_any")
    )
    cells = [cell for row in rows for cell in row]
    assert {"Action 0", "Action 1", "Action 2"} <= set(cells)
    assert "'@Done one" not in cells and "@Done one" not in cells
    assert "description" in cells


def test_the_board_runs_as_many_queries_for_more_actions(gcg_member):
    client = token_client(gcg_member)
    FollowUpActionFactory(carried_to=AgendaItemFactory())
    few = _count(client, "/api/v1/events/follow-ups/")
    for _ in range(5):
        FollowUpActionFactory(carried_to=AgendaItemFactory())
        FollowUpActionFactory()
    # The token, the roles, the count, one page of actions with their owner, event and
    # review item, the request log.
    assert _count(client, "/api/v1/events/follow-ups/") == few


def test_the_board_csv_runs_as_many_queries_for_more_actions(gcg_member):
    client = token_client(gcg_member)
    FollowUpActionFactory()
    few = _count(client, "/api/v1/events/follow-ups/?format=csv")
    for _ in range(5):
        FollowUpActionFactory(carried_to=AgendaItemFactory())
    # The token, the roles, every matching action with its owner, event and review item,
    # the request log.
    assert _count(client, "/api/v1/events/follow-ups/?format=csv") == few


def test_event_list_csv_runs_as_many_queries_for_more_events(gcg_member):
    client = token_client(gcg_member)
    EventFactory()
    few = _count(client, "/api/v1/events/?format=csv")
    for _ in range(5):
        EventFactory()
    # The token, the roles, the filter's years, every event with its country, the request log.
    assert _count(client, "/api/v1/events/?format=csv") == few
