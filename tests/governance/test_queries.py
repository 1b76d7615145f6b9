"""Every list page reads a fixed number of rows-independent queries, pinned at two data sizes."""

import datetime

import pytest
from django.urls import reverse

from governance.models import Membership, OfficeHolder

from .factories import (
    ActivityFactory,
    CallFactory,
    ConstituencyFactory,
    ContactPersonFactory,
    DecisionFactory,
    EngagementFactory,
    GroupFactory,
    GroupMembershipFactory,
    MembershipFactory,
    PartnerServiceFactory,
    SeatFactory,
)

pytestmark = pytest.mark.django_db

# Every signed-in page: the session, the user, the user's groups (role names) and the
# session save (SESSION_SAVE_EVERY_REQUEST: an UPDATE inside a savepoint, three statements).
REQUEST = 6


def build_gcg(size: int) -> None:
    today = datetime.date.today()
    for index in range(size):
        constituency = ConstituencyFactory(seat_quota=2)
        for number in (1, 2):
            seat = SeatFactory(constituency=constituency, number=number)
            membership = MembershipFactory(
                seat=seat,
                term_start=today - datetime.timedelta(days=300),
                term_end=today + datetime.timedelta(days=700),
            )
            membership.representatives.add(
                ContactPersonFactory(organisation=membership.organisation)
            )
        MembershipFactory(
            seat=None, constituency=constituency, role=Membership.Role.OBSERVER, term_end=None
        )
        CallFactory(seat=seat, vacancy_on=today + datetime.timedelta(days=400 + index))
        OfficeHolder.objects.create(
            office=OfficeHolder.Office.DEPUTY_CHAIR,
            organisation=membership.organisation,
            term_start=today - datetime.timedelta(days=index),
            term_end=today + datetime.timedelta(days=300),
        )


def build_groups(size: int) -> None:
    for _ in range(size):
        parent = GroupFactory(chair=GroupMembershipFactory().organisation)
        GroupFactory(kind="working_group", parent=parent)
        ActivityFactory(group=parent)
        GroupMembershipFactory(group=parent)


def build_partners(size: int) -> None:
    for _ in range(size):
        engagement = EngagementFactory()
        EngagementFactory(partner=engagement.partner, kind="pledge", date=datetime.date(2025, 3, 1))
        PartnerServiceFactory(partner=engagement.partner)


@pytest.mark.parametrize("size", [1, 6])
def test_composition_queries_do_not_grow_with_the_gcg(
    client_for, gcg_member, django_assert_num_queries, size
):
    build_gcg(size)
    client = client_for(gcg_member)
    # constituencies, seats, memberships, their representatives, office holders.
    with django_assert_num_queries(REQUEST + 5):
        assert client.get(reverse("governance:composition")).status_code == 200


@pytest.mark.parametrize("size", [1, 6])
def test_rotation_queries_do_not_grow_with_the_gcg(
    client_for, gcg_member, django_assert_num_queries, size
):
    build_gcg(size)
    client = client_for(gcg_member)
    # constituencies, seats, memberships, representatives, office holders, calls with their
    # candidate count.
    with django_assert_num_queries(REQUEST + 6):
        assert client.get(reverse("governance:rotation")).status_code == 200


@pytest.mark.parametrize("size", [1, 8])
def test_group_list_queries_do_not_grow_with_the_groups(
    client_for, gcg_member, django_assert_num_queries, size
):
    build_groups(size)
    client = client_for(gcg_member)
    # groups with parent, chairs, closing decision, member count and last activity.
    with django_assert_num_queries(REQUEST + 1):
        assert client.get(reverse("governance:group_list")).status_code == 200


@pytest.mark.parametrize("size", [1, 8])
def test_meeting_list_queries_do_not_grow_with_the_meetings(
    client_for, gcg_member, django_assert_num_queries, size
):
    DecisionFactory.create_batch(size)
    client = client_for(gcg_member)
    # meetings with their decision count.
    with django_assert_num_queries(REQUEST + 1):
        assert client.get(reverse("governance:meeting_list")).status_code == 200


@pytest.mark.parametrize("size", [1, 10])
def test_partner_analysis_queries_do_not_grow_with_the_partners(
    client_for, gcg_member, django_assert_num_queries, size
):
    build_partners(size)
    client = client_for(gcg_member)
    # partners with organisation and country, engagement records grouped by partner, then by
    # year and type, services grouped by type (the figures are then cached: see test_views).
    with django_assert_num_queries(REQUEST + 4):
        assert client.get(reverse("governance:partner_analysis")).status_code == 200


def test_the_composition_page_is_served_from_the_cache_until_the_gcg_changes(
    client_for, gcg_member, django_assert_num_queries
):
    build_gcg(1)
    client = client_for(gcg_member)
    client.get(reverse("governance:composition"))

    # The figures, tables and rotations come from the cache: only the request's own queries.
    with django_assert_num_queries(REQUEST):
        client.get(reverse("governance:composition"))
    MembershipFactory(organisation__name="Walk Free", seat=SeatFactory())

    assert "Walk Free" in client.get(reverse("governance:composition")).content.decode()
