import datetime
from datetime import date as D

import pytest

from governance.models import OfficeHolder, Organisation
from tests.browser.conftest import sign_in_through_form
from tests.factories import OrganisationFactory
from tests.workshops.factories import (
    AgendaItemFactory,
    CoLeadFactory,
    EventFactory,
    FollowUpActionFactory,
    GCGMeetingEventFactory,
    MinutesFactory,
    OutputFactory,
)
from workshops import services
from workshops.models import CoLead, Event, FollowUpAction, Minutes, Output

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def strategy_workshop():
    workshop = EventFactory(
        title="Alliance 8.7 strategy workshop",
        kind=Event.Kind.STRATEGY_WORKSHOP,
        start_date=datetime.date(2022, 12, 6),
        end_date=datetime.date(2022, 12, 7),
    )
    argentina = OrganisationFactory(name="Argentina", acronym="", kind="government")
    item = AgendaItemFactory(event=workshop, order=1, title="Vision and progress")
    CoLeadFactory(
        agenda_item=item,
        order=1,
        kind=CoLead.Kind.OFFICE,
        organisation=None,
        role="deputy_chair",
        holder_organisation=argentina,
    )
    CoLeadFactory(
        agenda_item=item,
        order=2,
        organisation=OrganisationFactory(name="Australia", acronym="", kind="government"),
    )
    CoLeadFactory(
        agenda_item=item,
        order=3,
        organisation=OrganisationFactory(name="International Labour Organization", acronym="ILO"),
    )
    framework = AgendaItemFactory(
        event=workshop,
        order=2,
        title="Pathfinder Country Accountability Framework",
        expected_output="Agreed accountability framework and discussion on the implementation plan.",
    )
    OutputFactory(event=workshop, agenda_item=framework, title="Accountability framework")
    return workshop


def test_gcg_member_opens_the_strategy_workshop_and_reads_the_agenda_with_co_leads(
    page, live_server, gcg_member, strategy_workshop
):
    sign_in_through_form(page, live_server, gcg_member)

    page.get_by_role("link", name="Events", exact=True).click()
    page.get_by_role("link", name="Alliance 8.7 strategy workshop").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Alliance 8.7 strategy workshop"
    agenda = page.locator("#agenda")
    first_item = agenda.locator(".agenda-item").first
    assert first_item.get_by_role("heading").inner_text() == "Vision and progress"
    assert first_item.locator(".agenda-item__co-leads").inner_text() == (
        "Co-leads: Alliance Deputy Chair (Argentina), Australia, ILO"
    )
    assert "Expected output: Agreed accountability framework" in agenda.inner_text()
    assert page.get_by_role("link", name="Record the decision").count() == 0


def test_secretariat_adopts_an_output_and_adds_a_follow_up_that_reaches_the_board(
    page, live_server, secretariat, strategy_workshop
):
    GCGMeetingEventFactory(
        title="GCG meeting on the workshop outcomes",
        start_date=datetime.date(2022, 12, 8),
        gcg_meeting__number=10,
    )
    ilo = Organisation.objects.get(acronym="ILO")
    sign_in_through_form(
        page, live_server, secretariat, next_path=f"/events/{strategy_workshop.pk}/"
    )

    page.get_by_role("link", name="Record the decision on Accountability framework").click()
    page.get_by_label("Adopted").check()
    page.get_by_label("At the meeting").select_option(
        label="GCG meeting on the workshop outcomes (8 Dec 2022)"
    )
    assert page.get_by_label("Date of the decision").input_value() == "2022-12-08"
    page.get_by_label("Record it as a new GCG decision").check()
    page.get_by_role("button", name="Record the decision").click()

    outputs = page.locator("#outputs")
    assert "Adopted at GCG meeting on the workshop outcomes on 8 December 2022." in (
        outputs.inner_text()
    )
    assert "GCG decision GCG/10/1." in outputs.inner_text()
    assert Output.objects.get().status == Output.Status.ADOPTED

    page.locator("#follow-ups").get_by_role("link", name="Add a follow-up action").click()
    page.get_by_label("Action").fill("Circulate the accountability framework to focal points")
    page.get_by_label("Owner").select_option(label="International Labour Organization (ILO)")
    page.get_by_label("Due date").fill("2023-01-31")
    page.get_by_role("button", name="Add the action").click()
    assert "The follow-up action is on the board." in page.get_by_role("status").inner_text()

    page.get_by_role("link", name="Follow-ups", exact=True).click()
    row = page.get_by_role("row").filter(has_text="Circulate the accountability framework")
    assert "Alliance 8.7 strategy workshop" in row.inner_text()
    assert "ILO" in row.inner_text()
    assert "Overdue" in row.inner_text()
    assert FollowUpAction.objects.get().owner == ilo


def choose_unoffered(page, name: str, pk: int) -> None:
    """Pick a record the select does not offer, as a stale page or a crafted request would."""
    page.evaluate(
        """([name, pk]) => {
            const select = document.querySelector(`select[name="${name}"]`);
            select.add(new Option("not offered", pk));
            select.value = String(pk);
        }""",
        [name, pk],
    )


def test_secretariat_adopts_and_approves_minutes_only_at_the_next_gcg_meeting(
    page, live_server, secretariat, strategy_workshop
):
    december = GCGMeetingEventFactory(
        title="GCG meeting on the workshop outcomes",
        start_date=datetime.date(2022, 12, 8),
        gcg_meeting__number=15,
    )
    MinutesFactory(event=december, status="circulated", circulated_on=datetime.date(2022, 12, 20))
    exchange = EventFactory(
        title="Regional peer exchange",
        kind=Event.Kind.REGIONAL_CONSULTATION,
        start_date=datetime.date(2023, 3, 1),
    )
    GCGMeetingEventFactory(
        title="GCG meeting, May 2023",
        start_date=datetime.date(2023, 5, 16),
        gcg_meeting__number=16,
    )
    sign_in_through_form(
        page, live_server, secretariat, next_path=f"/events/{strategy_workshop.pk}/"
    )

    page.get_by_role("link", name="Record the decision on Accountability framework").click()
    meeting = page.get_by_label("At the meeting")
    offered = meeting.locator("option").all_inner_texts()
    assert "Regional peer exchange (1 Mar 2023)" not in offered
    assert "Only GCG meetings held on or after the event are offered." in (
        page.locator("main").inner_text()
    )
    # A page kept open from before, or a crafted request, still meets the rule.
    page.get_by_label("Adopted").check()
    choose_unoffered(page, "meeting", exchange.pk)
    page.get_by_label("Date of the decision").fill("2023-03-01")
    page.get_by_role("button", name="Record the decision").click()
    assert "Outputs are adopted, rejected or deferred only at a GCG meeting" in (
        page.locator("main").inner_text()
    )
    assert Output.objects.get().status == Output.Status.PROPOSED

    page.get_by_label("Adopted").check()
    meeting.select_option(label="GCG meeting, May 2023 (16 May 2023)")
    page.get_by_label("Date of the decision").fill("2023-05-16")
    page.get_by_label("Record it as a new GCG decision").check()
    page.get_by_role("button", name="Record the decision").click()
    assert "GCG decision GCG/16/1." in page.locator("#outputs").inner_text()

    page.goto(f"{live_server.url}/events/{december.pk}/minutes/approve/")
    offered = page.get_by_label("Approved at the meeting").locator("option").all_inner_texts()
    assert offered == ["GCG meeting, May 2023 (16 May 2023)"]
    choose_unoffered(page, "meeting", exchange.pk)
    page.get_by_label("Date of the approval").fill("2023-03-01")
    page.get_by_role("button", name="Record the approval").click()
    assert "Minutes are approved at a later meeting of the same body" in (
        page.locator("main").inner_text()
    )
    page.get_by_label("Approved at the meeting").select_option(
        label="GCG meeting, May 2023 (16 May 2023)"
    )
    page.get_by_label("Date of the approval").fill("2023-05-16")
    page.get_by_role("button", name="Record the approval").click()
    assert "The approval of the minutes is recorded." in page.get_by_role("status").inner_text()
    minutes = Minutes.objects.get(event=december)
    assert (minutes.status, minutes.approved_at.title) == ("approved", "GCG meeting, May 2023")


def test_secretariat_carries_an_overdue_action_left_in_an_old_meeting_into_the_next_one(
    page, live_server, secretariat
):
    december = GCGMeetingEventFactory(title="GCG, December 2022", start_date=D(2022, 12, 8))
    may = GCGMeetingEventFactory(title="GCG, May 2023", start_date=D(2023, 5, 16))
    november = GCGMeetingEventFactory(title="GCG, November 2023", start_date=D(2023, 11, 20))
    GCGMeetingEventFactory(title="GCG, May 2024", start_date=D(2024, 5, 14))
    action = FollowUpActionFactory(
        event=december, description="Publish the indicator set", due_date=D(2023, 1, 31)
    )
    services.follow_ups_carry_forward(event=december, to_event=may)
    sign_in_through_form(page, live_server, secretariat, next_path=f"/events/{november.pk}/")

    page.get_by_role("link", name="Carry open actions into the next meeting").click()
    page.get_by_label("Into the agenda of").select_option(label="GCG, May 2024 (14 May 2024)")
    page.get_by_role("button", name="Carry them forward").click()

    assert "The open actions are on the next meeting's agenda." in (
        page.get_by_role("status").inner_text()
    )
    assert "Publish the indicator set" in page.locator("#agenda").inner_text()
    action.refresh_from_db()
    assert action.carried_to.event.title == "GCG, May 2024"


def test_the_agenda_warns_of_a_co_lead_the_office_holder_records_contradict(
    page, live_server, secretariat, strategy_workshop
):
    OfficeHolder.objects.create(
        office="deputy_chair",
        organisation=OrganisationFactory(name="Chile", acronym="", kind="government"),
        term_start=D(2022, 6, 1),
        term_end=D(2025, 5, 31),
    )
    sign_in_through_form(
        page, live_server, secretariat, next_path=f"/events/{strategy_workshop.pk}/"
    )

    agenda = page.locator("#agenda").inner_text()
    assert "Alliance Deputy Chair (Argentina)" in agenda
    assert "the Deputy Chair on that date was Chile" in agenda


def test_secretariat_is_refused_a_gcg_meeting_out_of_number_order_and_carries_only_to_gcg(
    page, live_server, secretariat
):
    twentieth = GCGMeetingEventFactory(
        title="20th meeting", start_date=D(2026, 5, 12), gcg_meeting__number=20
    )
    GCGMeetingEventFactory(title="21st meeting", start_date=D(2027, 1, 20), gcg_meeting__number=21)
    EventFactory(
        title="Peer exchange", kind=Event.Kind.REGIONAL_CONSULTATION, start_date=D(2026, 11, 15)
    )
    FollowUpActionFactory(event=twentieth, description="Publish the indicator set")
    sign_in_through_form(
        page, live_server, secretariat, next_path=f"/admin/workshops/event/{twentieth.pk}/change/"
    )

    # Meeting 20 moved after meeting 21: refused beside its number, nothing saved.
    page.locator("#id_start_date").fill("2027-02-01")
    page.locator("#id_end_date").fill("2027-02-01")
    page.get_by_role("button", name="Save", exact=True).click()
    error = page.locator(".field-gcg_number .errorlist").inner_text()
    assert "GCG meetings are numbered in the order they are held: meeting 21" in error
    twentieth.refresh_from_db()
    assert twentieth.start_date == D(2026, 5, 12)

    # Its open actions go to a later GCG meeting only; the peer exchange is not offered.
    page.goto(f"{live_server.url}/events/{twentieth.pk}/follow-ups/carry-forward/")
    offered = page.get_by_label("Into the agenda of").locator("option").all_inner_texts()
    assert offered == ["21st meeting (20 Jan 2027)"]
    assert "Only later GCG meetings are offered." in page.locator("main").inner_text()
