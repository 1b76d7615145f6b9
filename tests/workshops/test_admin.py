import pytest
from django.urls import reverse

from tests.workshops.factories import (
    AgendaItemFactory,
    CoLeadFactory,
    FollowUpActionFactory,
    MinutesFactory,
    OutputFactory,
    ParticipantFactory,
)

pytestmark = pytest.mark.django_db

MODELS = [
    "event",
    "agendaitem",
    "output",
    "followupaction",
    "participant",
    "minutes",
    "eventdocument",
]


@pytest.mark.parametrize("model", MODELS)
def test_the_secretariat_opens_every_workshops_admin_list(client_for, secretariat, model):
    item = AgendaItemFactory()
    CoLeadFactory(agenda_item=item)
    OutputFactory(event=item.event, agenda_item=item)
    FollowUpActionFactory(event=item.event)
    ParticipantFactory(event=item.event, name="Guest")
    MinutesFactory(event=item.event)

    response = client_for(secretariat).get(reverse(f"admin:workshops_{model}_changelist"))

    assert response.status_code == 200


def test_the_event_page_links_to_the_participants_of_that_event_in_the_admin(
    client_for, secretariat
):
    participant = ParticipantFactory(name="Guest of this event")
    ParticipantFactory(name="Guest elsewhere")
    url = reverse("admin:workshops_participant_changelist")

    response = client_for(secretariat).get(f"{url}?event__id__exact={participant.event_id}")

    html = response.content.decode()
    assert "Guest of this event" in html and "Guest elsewhere" not in html


def test_the_event_admin_page_opens_with_its_inlines(client_for, secretariat):
    item = AgendaItemFactory()

    response = client_for(secretariat).get(
        reverse("admin:workshops_event_change", args=[item.event_id])
    )

    assert response.status_code == 200
    assert item.title in response.content.decode()
