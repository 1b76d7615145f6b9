import datetime

import pytest
from django.utils.formats import date_format

from governance.models import ActionGroup, CallForInterest, Candidate, Membership, OfficeHolder
from tests.browser.conftest import sign_in_through_form
from tests.factories import OrganisationFactory
from tests.governance.factories import (
    ConstituencyFactory,
    MeetingFactory,
    MembershipFactory,
    SeatFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def build_gcg() -> None:
    today = datetime.date.today()
    constituency = ConstituencyFactory(
        code="pfc", name="Pathfinder Country representatives", seat_quota=2
    )
    held, _vacant = (
        SeatFactory(constituency=constituency, number=n, label=f"PFC seat {n}") for n in (1, 2)
    )
    MembershipFactory(
        seat=held,
        organisation=OrganisationFactory(name="Argentina", acronym=""),
        term_start=today - datetime.timedelta(days=900),
        term_end=today + datetime.timedelta(days=90),
    )
    MembershipFactory(
        seat=None,
        constituency=constituency,
        role=Membership.Role.OBSERVER,
        organisation=OrganisationFactory(name="Walk Free", acronym=""),
        term_start=today - datetime.timedelta(days=300),
        term_end=None,
    )
    OfficeHolder.objects.create(
        office=OfficeHolder.Office.CHAIR,
        organisation=OrganisationFactory(name="France", acronym=""),
        term_start=today - datetime.timedelta(days=100),
        term_end=today + datetime.timedelta(days=1000),
    )


def test_gcg_member_browses_composition_and_rotation(page, live_server, gcg_member):
    build_gcg()
    sign_in_through_form(page, live_server, gcg_member)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="GCG").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Global Coordinating Group"
    assert (
        "France"
        in page.locator(
            "#office-holders + dl, section[aria-labelledby=office-holders]"
        ).first.inner_text()
    )
    table = page.get_by_role(
        "table", name="Members and observers: Pathfinder Country representatives"
    )
    assert "Argentina" in table.inner_text() and "Walk Free" in table.inner_text()
    assert "Vacant" in table.inner_text()

    page.get_by_role("link", name="Rotation", exact=True).click()
    alerts = page.locator("section[aria-labelledby=alerts]").inner_text()
    assert "PFC seat 2 is vacant." in alerts
    assert "Argentina's term on PFC seat 1 ends on" in alerts
    page.get_by_label("Years ahead").select_option("5")
    page.get_by_role("button", name="Show").click()
    until = datetime.date.today().year + 4
    assert page.get_by_role("heading", name=f"Rotation schedule until {until}").is_visible()
    assert page.get_by_role("link", name="Open a call").count() == 0


def test_secretariat_closes_an_inactive_group_through_a_decision(page, live_server, secretariat):
    group = ActionGroup.objects.create(
        name="Rural Development",
        kind=ActionGroup.Kind.ACTION_GROUP,
        status=ActionGroup.Status.INACTIVE,
        launched_on=datetime.date(2017, 2, 1),
        flagged_inactive_on=datetime.date.today(),
    )
    MeetingFactory(number=21, date=datetime.date.today(), title="21st meeting of the GCG")
    sign_in_through_form(page, live_server, secretariat)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Groups").click()
    page.get_by_role("link", name="Rural Development").click()
    assert "Flagged inactive" in page.locator("main").inner_text()

    page.get_by_label("Reason").fill(
        "Nothing logged since 2020; the workshop agreed to close inactive groups."
    )
    page.get_by_role("button", name="Propose the closure").click()
    assert "The closure is proposed" in page.get_by_role("status").inner_text()

    decision = page.locator(
        "form", has=page.get_by_role("button", name="Record the decision and close the group")
    )
    decision.get_by_label("Meeting").select_option(
        label=f"21. GCG meeting ({date_format(datetime.date.today())})"
    )
    decision.get_by_label("Text").fill("The GCG closed the Rural Development action group.")
    decision.get_by_role("button", name="Record the decision and close the group").click()

    assert "the group is closed" in page.get_by_role("status").inner_text()
    assert "Closed by GCG decision GCG/21/1" in page.locator("main").inner_text()
    group.refresh_from_db()
    assert group.status == ActionGroup.Status.CLOSED

    page.get_by_role("link", name="All groups").click()
    closed = page.get_by_role("table", name="Closed groups")
    assert "Rural Development" in closed.inner_text()
    assert "GCG/21/1" in closed.inner_text()


def test_secretariat_is_refused_a_second_holder_in_the_admin_then_appoints_a_candidate(
    page, live_server, secretariat
):
    today = datetime.date.today()
    constituency = ConstituencyFactory(
        code="dp", name="Development-partner governments", seat_quota=2
    )
    held, free = (
        SeatFactory(constituency=constituency, number=n, label=f"DP seat {n}") for n in (1, 2)
    )
    MembershipFactory(
        seat=held,
        organisation=OrganisationFactory(name="France", acronym=""),
        term_start=today - datetime.timedelta(days=400),
        term_end=today + datetime.timedelta(days=600),
    )
    chile = OrganisationFactory(name="Chile", acronym="")
    call = CallForInterest.objects.create(
        seat=free,
        vacancy_on=today + datetime.timedelta(days=60),
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=30),
    )
    Candidate.objects.create(call=call, organisation=chile, received_on=today)
    sign_in_through_form(page, live_server, secretariat)

    # The admin form, filled in for Chile on France's seat: saving it is refused beside the seat.
    page.goto(
        f"{live_server.url}/admin/governance/membership/add/?organisation={chile.pk}"
        f"&constituency={constituency.pk}&seat={held.pk}&role=member"
        f"&term_start={today}&term_end={today + datetime.timedelta(days=700)}"
    )
    page.get_by_role("button", name="Save", exact=True).click()
    error = page.locator(".field-seat .errorlist").inner_text()
    assert "This seat is held by France" in error
    assert "one holder per seat at a time" in error
    assert not Membership.objects.filter(organisation=chile).exists()

    # The legitimate path: the call for the free seat ends in Chile's appointment.
    page.goto(f"{live_server.url}/governance/gcg/calls/{call.pk}/")
    page.get_by_role("link", name="Appoint a candidate").click()
    page.get_by_label("Candidate").select_option(label="Chile")
    page.get_by_role("button", name="Appoint").click()
    assert "Chile is appointed; the call is closed." in page.get_by_role("status").inner_text()
    assert "Chile, from" in page.locator("main").inner_text()
    membership = Membership.objects.get(organisation=chile)
    assert membership.seat == free
    assert membership.history.get().history_user == secretariat
