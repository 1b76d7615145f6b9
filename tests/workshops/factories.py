"""Factories for the workshops area."""

import datetime

import factory

from tests.factories import CountryFactory, OrganisationFactory
from tests.governance.factories import MeetingFactory
from workshops.models import (
    AgendaItem,
    CoLead,
    Event,
    FollowUpAction,
    Minutes,
    Output,
    Participant,
)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    kind = Event.Kind.GCG_MEETING
    title = factory.Sequence(lambda n: f"Event {n}")
    start_date = datetime.date(2022, 12, 6)
    end_date = factory.LazyAttribute(lambda event: event.start_date)
    city = "Geneva"
    country = factory.SubFactory(
        CountryFactory, iso_code="CH", name="Switzerland", ilo_region="europe_central_asia"
    )
    status = Event.Status.HELD


class GCGMeetingEventFactory(EventFactory):
    """A GCG meeting: an event carrying its GCG meeting number."""

    gcg_meeting = factory.RelatedFactory(
        MeetingFactory,
        factory_related_name="event",
        date=factory.SelfAttribute("..start_date"),
        title=factory.SelfAttribute("..title"),
    )


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    event = factory.SubFactory(EventFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Agenda item {n}")


class CoLeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoLead

    agenda_item = factory.SubFactory(AgendaItemFactory)
    order = factory.Sequence(lambda n: n + 1)
    kind = CoLead.Kind.ORGANISATION
    organisation = factory.SubFactory(OrganisationFactory)


class OutputFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Output

    event = factory.SubFactory(EventFactory)
    kind = Output.Kind.AGREEMENT
    title = factory.Sequence(lambda n: f"Output {n}")
    text = "What was agreed."


class FollowUpActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUpAction

    event = factory.SubFactory(EventFactory)
    description = factory.Sequence(lambda n: f"Follow-up action {n}")
    owner = factory.SubFactory(OrganisationFactory)
    due_date = datetime.date(2030, 1, 31)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    event = factory.SubFactory(EventFactory)
    role = Participant.Role.GCG_MEMBER
    invitation = Participant.Invitation.INVITED


class MinutesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Minutes

    event = factory.SubFactory(EventFactory)
    text = "The meeting opened at 9:30."
