"""Factories for the governance area."""

import datetime

import factory

from governance.models import (
    ActionGroup,
    CallForInterest,
    Candidate,
    Constituency,
    ContactPerson,
    Decision,
    Engagement,
    GCGMeeting,
    GroupActivity,
    GroupClosureProposal,
    GroupMembership,
    Membership,
    Organisation,
    Partner,
    PartnerService,
    Seat,
    Workplan,
)
from tests.factories import OrganisationFactory


class ContactPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Contact {n}")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GCGMeeting

    number = factory.Sequence(lambda n: 100 + n)
    date = datetime.date(2026, 5, 12)
    title = factory.LazyAttribute(lambda m: f"{m.number}th meeting of the GCG")
    # One record per meeting: the meeting is its event.
    event = factory.SubFactory(
        "tests.workshops.factories.EventFactory",
        kind="gcg_meeting",
        title=factory.SelfAttribute("..title"),
        start_date=factory.SelfAttribute("..date"),
    )


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    reference = factory.LazyAttribute(lambda d: f"GCG/{d.meeting.number}/{d.number}")
    date = factory.LazyAttribute(lambda d: d.meeting.date)
    kind = Decision.Kind.OTHER
    text = "The GCG decided."


class ConstituencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Constituency
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"constituency-{n}")
    name = factory.Sequence(lambda n: f"Constituency {n}")
    seat_quota = 2
    term_years = 3
    max_consecutive_terms = 2


class SeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seat

    constituency = factory.SubFactory(ConstituencyFactory)
    number = factory.Sequence(lambda n: n + 1)
    label = factory.LazyAttribute(lambda s: f"{s.constituency.name} seat {s.number}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    seat = factory.SubFactory(SeatFactory)
    constituency = factory.LazyAttribute(
        lambda m: m.seat.constituency if m.seat else ConstituencyFactory()
    )
    role = Membership.Role.MEMBER
    term_start = datetime.date(2025, 6, 1)
    term_end = datetime.date(2028, 5, 31)


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionGroup

    name = factory.Sequence(lambda n: f"Group {n}")
    kind = ActionGroup.Kind.ACTION_GROUP
    status = ActionGroup.Status.ACTIVE
    purpose = "Joint action on Target 8.7."
    launched_on = datetime.date(2020, 1, 1)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupActivity

    group = factory.SubFactory(GroupFactory)
    kind = GroupActivity.Kind.MEETING
    date = datetime.date(2026, 1, 15)
    title = factory.Sequence(lambda n: f"Meeting {n}")


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMembership

    group = factory.SubFactory(GroupFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    joined_on = datetime.date(2021, 3, 1)


class WorkplanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workplan

    group = factory.SubFactory(GroupFactory)
    title = "Workplan 2026"
    period_start = datetime.date(2026, 1, 1)
    period_end = datetime.date(2026, 12, 31)
    outcomes = "A research brief\nA joint event"


class ClosureProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupClosureProposal

    group = factory.SubFactory(GroupFactory, status=ActionGroup.Status.INACTIVE)
    proposed_on = datetime.date(2026, 3, 1)
    reason = "Nothing logged since 2020."


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallForInterest

    seat = factory.SubFactory(SeatFactory)
    vacancy_on = datetime.date(2027, 6, 1)
    opens_on = datetime.date(2026, 10, 1)
    closes_on = datetime.date(2027, 1, 31)


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    call = factory.SubFactory(CallFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    received_on = datetime.date(2026, 11, 1)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    organisation = factory.SubFactory(OrganisationFactory)
    joined_on = datetime.date(2018, 1, 1)


class EngagementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Engagement

    partner = factory.SubFactory(PartnerFactory)
    kind = Engagement.Kind.EVENT
    date = datetime.date(2024, 5, 1)


class PartnerServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerService

    partner = factory.SubFactory(PartnerFactory)
    kind = PartnerService.Kind.TECHNICAL_SUPPORT
    date = datetime.date(2024, 6, 1)


def org(name: str, kind: str = Organisation.Kind.GOVERNMENT, country=None) -> Organisation:
    return OrganisationFactory(name=name, acronym="", kind=kind, country=country)
