import datetime

import pytest

from governance.models import Membership, OfficeHolder
from tests.factories import OrganisationFactory

from .factories import ConstituencyFactory, MembershipFactory, SeatFactory


@pytest.fixture
def gcg(db):
    """A constituency with two seats, one held, one vacant, an observer and the office holders."""
    constituency = ConstituencyFactory(
        code="pfc", name="Pathfinder Country representatives", seat_quota=2
    )
    seats = [
        SeatFactory(constituency=constituency, number=n, label=f"PFC seat {n}") for n in (1, 2)
    ]
    today = datetime.date.today()
    member = MembershipFactory(
        seat=seats[0],
        organisation=OrganisationFactory(name="Argentina", acronym=""),
        term_start=today - datetime.timedelta(days=400),
        term_end=today + datetime.timedelta(days=60),
    )
    MembershipFactory(
        seat=None,
        constituency=constituency,
        role=Membership.Role.OBSERVER,
        organisation=OrganisationFactory(name="Walk Free", acronym=""),
        term_start=today - datetime.timedelta(days=30),
        term_end=None,
    )
    OfficeHolder.objects.create(
        office=OfficeHolder.Office.CHAIR,
        organisation=OrganisationFactory(name="France", acronym=""),
        term_start=today - datetime.timedelta(days=100),
        term_end=today + datetime.timedelta(days=900),
    )
    return {"constituency": constituency, "seats": seats, "member": member}
