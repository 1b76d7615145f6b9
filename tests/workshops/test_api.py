import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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
    # The token, the roles, the filter's years, the events with their countries, their
    # organisers, the request log.
    assert _count(client, "/api/v1/events/") == few
