import pytest
from django.core.exceptions import PermissionDenied

from alliance87.access import AccessRefused
from tests.workshops.factories import EventFactory, OutputFactory, ParticipantFactory
from workshops.access import get_event_for_user, get_output_for_user, visible_events

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    return {
        "public": EventFactory(title="Public", is_public=True),
        "private": EventFactory(title="Private"),
    }


@pytest.mark.parametrize("role", ["secretariat", "gcg_member", "gcg_observer"])
def test_the_secretariat_and_the_gcg_see_every_event(request, events, role):
    user = request.getfixturevalue(role)

    assert set(visible_events(user)) == set(events.values())


def test_a_focal_point_sees_public_events_and_invitations_only(focal_point, events):
    invited = EventFactory(title="Invited")
    ParticipantFactory(event=invited, user=focal_point, role="focal_point")

    assert set(visible_events(focal_point)) == {events["public"], invited}


def test_an_invitation_of_someone_else_does_not_count(focal_point, gcg_member, events):
    ParticipantFactory(event=events["private"], user=gcg_member)

    assert events["private"] not in visible_events(focal_point)


def test_readers_asking_to_write_are_refused_with_403(gcg_member, events):
    with pytest.raises(PermissionDenied):
        get_event_for_user(gcg_member, events["private"].pk, write=True)


def test_people_who_may_not_see_the_event_get_404_even_for_writes(focal_point, events):
    with pytest.raises(AccessRefused):
        get_event_for_user(focal_point, events["private"].pk, write=True)


def test_the_secretariat_may_write(secretariat, events):
    assert (
        get_output_for_user(
            secretariat, OutputFactory(event=events["private"]).pk, write=True
        ).event
        == events["private"]
    )


def test_an_output_of_a_hidden_event_is_hidden(focal_point, events):
    with pytest.raises(AccessRefused):
        get_output_for_user(focal_point, OutputFactory(event=events["private"]).pk)
