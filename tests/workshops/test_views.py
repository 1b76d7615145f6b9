import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from alliance87.accounts.models import SecurityEvent
from governance.models import OfficeHolder
from tests.factories import OrganisationFactory
from tests.workshops.factories import (
    AgendaItemFactory,
    CoLeadFactory,
    EventFactory,
    FollowUpActionFactory,
    GCGMeetingEventFactory,
    MinutesFactory,
    OutputFactory,
    ParticipantFactory,
)
from tests.workshops.test_services import PDF
from workshops import services
from workshops.models import CoLead, Event, EventDocument, FollowUpAction, Output

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def url(name: str, *args) -> str:
    return reverse(f"workshops:{name}", args=args)


@pytest.fixture
def private_event():
    return EventFactory(title="Closed strategy workshop", is_public=False)


@pytest.fixture
def public_event():
    return EventFactory(title="Open webinar", kind=Event.Kind.WEBINAR, is_public=True)


# --- Event list ----------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(url("event_list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_gcg_members_see_every_event_split_into_upcoming_and_past(client_for, gcg_member):
    EventFactory(title="Past workshop", start_date=datetime.date(2022, 12, 6))
    EventFactory(
        title="Coming meeting",
        start_date=TODAY + datetime.timedelta(days=5),
        status=Event.Status.PLANNED,
    )

    response = client_for(gcg_member).get(url("event_list"))

    assert response.status_code == 200
    assert [e.title for e in response.context["upcoming"]] == ["Coming meeting"]
    assert [e.title for e in response.context["past"]] == ["Past workshop"]


def test_focal_points_see_public_events_and_those_they_are_invited_to(
    client_for, focal_point, private_event, public_event
):
    invited = EventFactory(title="Invited national workshop")
    ParticipantFactory(event=invited, user=focal_point, role="focal_point")

    response = client_for(focal_point).get(url("event_list"))

    titles = {e.title for e in response.context["past"]}
    assert titles == {"Open webinar", "Invited national workshop"}
    assert "Closed strategy workshop" not in response.content.decode()


def test_people_without_a_role_see_only_public_events(
    client_for, outsider, private_event, public_event
):
    response = client_for(outsider).get(url("event_list"))

    assert [e.title for e in response.context["past"]] == ["Open webinar"]


def test_the_place_names_the_country_in_the_readers_language(client_for, gcg_member):
    event = EventFactory(title="Geneva workshop", start_date=datetime.date(2022, 12, 6))
    gcg_member.language = "es"
    gcg_member.save(update_fields=["language"])
    client = client_for(gcg_member)

    listed = client.get(url("event_list")).content.decode()
    detail = client.get(url("event_detail", event.pk)).content.decode()

    assert "Geneva, Suiza" in listed and "Switzerland" not in listed
    assert "Suiza" in detail and "Switzerland" not in detail


def test_the_list_filters_by_kind_region_and_year(client_for, gcg_member, country):
    EventFactory(
        title="Nadi consultation",
        kind=Event.Kind.REGIONAL_CONSULTATION,
        country=country,
        start_date=datetime.date(2017, 10, 3),
    )
    EventFactory(
        title="Geneva workshop",
        kind=Event.Kind.STRATEGY_WORKSHOP,
        start_date=datetime.date(2022, 12, 6),
    )
    client = client_for(gcg_member)

    by_kind = client.get(url("event_list"), {"kind": "regional_consultation"})
    by_region = client.get(url("event_list"), {"region": "europe_central_asia"})
    by_year = client.get(url("event_list"), {"year": "2017"})

    assert [e.title for e in by_kind.context["past"]] == ["Nadi consultation"]
    assert [e.title for e in by_region.context["past"]] == ["Geneva workshop"]
    assert [e.title for e in by_year.context["past"]] == ["Nadi consultation"]
    assert '<option value="2022">2022</option>' in by_kind.content.decode()


def test_an_unknown_filter_value_shows_an_error_instead_of_failing(client_for, gcg_member):
    EventFactory()

    response = client_for(gcg_member).get(url("event_list"), {"kind": "picnic"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize("size", [1, 6])
def test_event_list_query_count_does_not_grow_with_events(
    client_for, gcg_member, django_assert_num_queries, size
):
    organisation = OrganisationFactory()
    for index in range(size):
        event = EventFactory(start_date=datetime.date(2020 + index % 3, 1, 1 + index))
        event.organisers.add(organisation)
    client = client_for(gcg_member)

    # session, user, the user's roles (navigation), the filter's years, the events with
    # their countries, their organisers; saving the session (savepoint, update, release).
    with django_assert_num_queries(9):
        response = client.get(url("event_list"))
    assert len(response.context["past"]) == size


# --- Event page ----------------------------------------------------------------------------


@pytest.fixture
def agenda_event():
    event = EventFactory(title="Alliance 8.7 strategy workshop")
    item = AgendaItemFactory(
        event=event, order=1, title="Vision and progress", expected_output="A shared vision."
    )
    argentina = OrganisationFactory(name="Argentina", acronym="", kind="government")
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
        organisation__name="International Labour Office",
        organisation__acronym="ILO",
    )
    return event


def test_the_event_page_shows_the_agenda_with_co_leads_and_expected_outputs(
    client_for, gcg_member, agenda_event
):
    response = client_for(gcg_member).get(url("event_detail", agenda_event.pk))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Vision and progress" in html
    assert 'Alliance Deputy Chair (Argentina)</span>, <span class="co-lead">ILO' in html
    assert "A shared vision." in html


def test_the_event_page_shows_outputs_with_their_adoption(client_for, gcg_member, agenda_event):
    meeting = EventFactory(title="GCG meeting", start_date=datetime.date(2022, 12, 8))
    OutputFactory(
        event=agenda_event,
        title="Shared vision",
        status="adopted",
        decided_at=meeting,
        decided_on=datetime.date(2022, 12, 8),
    )

    html = client_for(gcg_member).get(url("event_detail", agenda_event.pk)).content.decode()

    assert "Adopted at GCG meeting on 8 December 2022." in html
    assert "Record the decision" not in html


def test_the_event_page_links_the_events_it_feeds_and_those_feeding_it(
    client_for, gcg_member, agenda_event
):
    later = EventFactory(title="GCG meeting", start_date=datetime.date(2023, 5, 10))
    earlier = EventFactory(title="Regional consultation", start_date=datetime.date(2022, 9, 1))
    agenda_event.feeds_into.add(later)
    earlier.feeds_into.add(agenda_event)

    response = client_for(gcg_member).get(url("event_detail", agenda_event.pk))

    assert response.context["feeds_into"] == [later]
    assert response.context["fed_by"] == [earlier]


def test_focal_points_see_only_the_linked_events_open_to_them(
    client_for, focal_point, public_event, private_event
):
    shown = EventFactory(title="Public follow-up", is_public=True)
    public_event.feeds_into.add(shown, private_event)

    response = client_for(focal_point).get(url("event_detail", public_event.pk))

    assert response.context["feeds_into"] == [shown]
    assert "Closed strategy workshop" not in response.content.decode()


def test_the_event_page_lists_the_actions_carried_into_its_agenda(
    client_for, gcg_member, agenda_event
):
    earlier = EventFactory(title="Earlier workshop", start_date=datetime.date(2022, 3, 1))
    item = agenda_event.agenda_items.get()
    FollowUpActionFactory(event=earlier, description="Map the supply chains", carried_to=item)
    FollowUpActionFactory(event=agenda_event, description="Draft the roadmap")

    response = client_for(gcg_member).get(url("event_detail", agenda_event.pk))

    [row] = response.context["agenda"]
    assert [a.description for a in row.carried_follow_ups] == ["Map the supply chains"]
    assert [a.description for a in response.context["follow_ups"]] == ["Draft the roadmap"]
    assert "Earlier workshop" in response.content.decode()


def test_focal_points_cannot_open_an_event_they_are_not_invited_to(
    client_for, focal_point, private_event
):
    response = client_for(focal_point).get(url("event_detail", private_event.pk))

    assert response.status_code == 404
    assert SecurityEvent.objects.filter(kind="access_refused", user=focal_point).exists()


def test_focal_points_open_public_events_and_the_ones_they_are_invited_to(
    client_for, focal_point, private_event, public_event
):
    ParticipantFactory(event=private_event, user=focal_point, role="focal_point")
    client = client_for(focal_point)

    assert client.get(url("event_detail", private_event.pk)).status_code == 200
    assert client.get(url("event_detail", public_event.pk)).status_code == 200


def test_readers_see_their_own_registration_but_not_the_others_nor_their_notes(
    client_for, gcg_member, private_event
):
    ParticipantFactory(event=private_event, user=gcg_member, attendance="attended")
    ParticipantFactory(
        event=private_event,
        name="Someone Else",
        dietary_requirements="No nuts",
        accessibility_needs="Wheelchair access",
    )

    html = client_for(gcg_member).get(url("event_detail", private_event.pk)).content.decode()

    assert "Your registration" in html and "Attended" in html
    assert "Someone Else" not in html
    assert "No nuts" not in html and "Wheelchair access" not in html


def test_the_event_page_kept_for_one_person_is_not_shown_to_another(
    client, gcg_member, secretariat, private_event
):
    """The page is kept per person: the Secretariat's participants list and the member's
    own registration never cross, even within the same minute."""
    ParticipantFactory(event=private_event, user=gcg_member, dietary_requirements="No nuts")
    client.force_login(secretariat)
    staff = client.get(url("event_detail", private_event.pk)).content.decode()
    assert "No nuts" in staff and "Your registration" not in staff

    client.force_login(gcg_member)
    member = client.get(url("event_detail", private_event.pk)).content.decode()

    assert "Your registration" in member
    assert "No nuts" not in member


def test_the_secretariat_sees_participants_with_their_accessibility_and_dietary_notes(
    client_for, secretariat, private_event
):
    ParticipantFactory(
        event=private_event,
        name="Someone Else",
        dietary_requirements="No nuts",
        accessibility_needs="Wheelchair access",
    )

    html = client_for(secretariat).get(url("event_detail", private_event.pk)).content.decode()

    assert "Someone Else" in html
    assert "No nuts" in html and "Wheelchair access" in html
    assert "1 registration: 0 accepted, 0 attended." in html


def test_draft_minutes_are_hidden_from_readers(client_for, gcg_member, secretariat, private_event):
    MinutesFactory(event=private_event, text="Secret draft text")

    assert (
        "Secret draft text"
        not in client_for(gcg_member).get(url("event_detail", private_event.pk)).content.decode()
    )
    assert (
        "Secret draft text"
        in client_for(secretariat).get(url("event_detail", private_event.pk)).content.decode()
    )


def test_readers_get_no_secretariat_actions(client_for, gcg_observer, private_event):
    OutputFactory(event=private_event)

    html = client_for(gcg_observer).get(url("event_detail", private_event.pk)).content.decode()

    assert url("followup_create", private_event.pk) not in html
    assert url("document_upload", private_event.pk) not in html
    assert "Record the decision" not in html


@pytest.mark.parametrize("size", [1, 5])
def test_event_page_query_count_does_not_grow_with_the_agenda(
    client_for, gcg_member, django_assert_num_queries, size
):
    event = EventFactory()
    for order in range(1, size + 1):
        item = AgendaItemFactory(event=event, order=order)
        CoLeadFactory(agenda_item=item, order=1)
        CoLeadFactory(
            agenda_item=item,
            order=2,
            kind=CoLead.Kind.COUNTRY,
            organisation=None,
            country=event.country,
        )
        OutputFactory(event=event, agenda_item=item)
        FollowUpActionFactory(event=event, carried_to=item)
    client = client_for(gcg_member)

    # session, user, roles, the event, the actions agreed there, minutes, own registration;
    # then the cached parts: agenda items, their co-leads, outputs, the actions carried into
    # its agenda, the events it feeds and is fed by, objectives, organisers, documents;
    # saving the session (savepoint, update, release).
    with django_assert_num_queries(18):
        response = client.get(url("event_detail", event.pk))
    assert len(response.context["agenda"]) == size
    # Once cached, the whole page for this person: the request's own alone (session, user,
    # roles, the session saved); the event is not read again.
    with django_assert_num_queries(6):
        client.get(url("event_detail", event.pk))


# --- Printable agenda ----------------------------------------------------------------------


def test_the_printable_agenda_lists_items_with_co_leads_and_print_styles(
    client_for, gcg_member, agenda_event
):
    response = client_for(gcg_member).get(url("event_agenda_print", agenda_event.pk))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Alliance Deputy Chair (Argentina)" in html
    assert "css/workshops.css" in html
    assert 'class="site-main printable"' in html


def test_the_printable_agenda_of_a_hidden_event_is_refused(client_for, outsider, private_event):
    assert client_for(outsider).get(url("event_agenda_print", private_event.pk)).status_code == 404


# --- Output decisions ----------------------------------------------------------------------


@pytest.fixture
def decision_setup():
    workshop = EventFactory(
        title="Workshop", start_date=datetime.date(2022, 12, 6), end_date=datetime.date(2022, 12, 7)
    )
    meeting = GCGMeetingEventFactory(
        title="GCG meeting", start_date=datetime.date(2022, 12, 8), gcg_meeting__number=10
    )
    output = OutputFactory(event=workshop, title="Accountability framework")
    return workshop, meeting, output


def test_the_secretariat_marks_an_output_adopted_as_a_gcg_decision(
    client_for, secretariat, decision_setup
):
    workshop, meeting, output = decision_setup

    response = client_for(secretariat).post(
        url("output_decide", output.pk),
        {
            "decision": "adopt",
            "meeting": meeting.pk,
            "decided_on": "2022-12-08",
            "create_decision": "on",
        },
    )

    assert response.status_code == 302
    assert response.url == url("event_detail", workshop.pk) + "#outputs"
    output.refresh_from_db()
    assert (output.status, output.decided_at) == (Output.Status.ADOPTED, meeting)
    assert output.gcg_decision.reference == "GCG/10/1"


def test_an_output_cannot_be_adopted_at_a_peer_exchange_through_the_page(
    client_for, secretariat, decision_setup
):
    _workshop, _meeting, output = decision_setup
    exchange = EventFactory(
        title="Regional peer exchange",
        kind=Event.Kind.REGIONAL_CONSULTATION,
        start_date=datetime.date(2023, 3, 1),
    )

    response = client_for(secretariat).post(
        url("output_decide", output.pk),
        {"decision": "adopt", "meeting": exchange.pk, "decided_on": "2023-03-01"},
    )

    assert response.status_code == 200
    assert "only at a GCG meeting" in response.context["form"].errors["meeting"][0]
    assert "Regional peer exchange" not in str(response.context["form"]["meeting"])
    output.refresh_from_db()
    assert output.status == Output.Status.PROPOSED


def test_the_decision_form_keeps_typed_values_and_shows_the_error_at_the_date(
    client_for, secretariat, decision_setup
):
    _workshop, meeting, output = decision_setup

    response = client_for(secretariat).post(
        url("output_decide", output.pk),
        {
            "decision": "reject",
            "meeting": meeting.pk,
            "decided_on": "2022-12-20",
            "note": "Typed note",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["decided_on"]
    assert "Typed note" in response.content.decode()
    assert Output.objects.get(pk=output.pk).status == Output.Status.PROPOSED


def test_deferring_without_a_reason_is_refused_next_to_the_note(
    client_for, secretariat, decision_setup
):
    _workshop, meeting, output = decision_setup

    response = client_for(secretariat).post(
        url("output_decide", output.pk),
        {"decision": "defer", "meeting": meeting.pk, "decided_on": "2022-12-08"},
    )

    assert response.context["form"].errors["note"] == ["Say why the decision is deferred."]


def test_gcg_members_cannot_record_decisions(client_for, gcg_member, decision_setup):
    _workshop, meeting, output = decision_setup
    client = client_for(gcg_member)

    assert client.get(url("output_decide", output.pk)).status_code == 403
    response = client.post(
        url("output_decide", output.pk),
        {"decision": "adopt", "meeting": meeting.pk, "decided_on": "2022-12-08"},
    )
    assert response.status_code == 403
    assert Output.objects.get(pk=output.pk).status == Output.Status.PROPOSED


def test_outsiders_cannot_even_see_the_decision_page(client_for, outsider, decision_setup):
    _workshop, _meeting, output = decision_setup

    assert client_for(outsider).get(url("output_decide", output.pk)).status_code == 404


# --- Follow-up actions ---------------------------------------------------------------------


def test_the_secretariat_adds_a_follow_up_which_appears_on_the_board(
    client_for, secretariat, private_event
):
    owner = OrganisationFactory(name="International Labour Organization", acronym="ILO")
    client = client_for(secretariat)

    response = client.post(
        url("followup_create", private_event.pk),
        {"description": "Circulate the framework", "owner": owner.pk, "due_date": "2030-01-31"},
    )

    assert response.status_code == 302
    action = FollowUpAction.objects.get()
    assert (action.owner, action.created_by) == (owner, secretariat)
    assert "Circulate the framework" in client.get(url("followup_board")).content.decode()


def test_a_follow_up_without_owner_or_date_is_refused_next_to_the_fields(
    client_for, secretariat, private_event
):
    response = client_for(secretariat).post(
        url("followup_create", private_event.pk), {"description": "Kept text"}
    )

    form = response.context["form"]
    assert set(form.errors) == {"owner", "due_date"}
    assert "Kept text" in response.content.decode()


def test_readers_cannot_add_follow_ups(client_for, gcg_observer, private_event):
    response = client_for(gcg_observer).post(url("followup_create", private_event.pk), {})

    assert response.status_code == 403


def test_the_secretariat_updates_a_follow_up_status_and_returns_to_the_board(
    client_for, secretariat
):
    action = FollowUpActionFactory()

    response = client_for(secretariat).post(
        url("followup_status", action.pk), {"status": "done", "next": url("followup_board")}
    )

    assert response.status_code == 302
    assert response.url == url("followup_board")
    action.refresh_from_db()
    assert (action.status, action.completed_on) == ("done", TODAY)


def test_the_status_update_never_redirects_off_site(client_for, secretariat):
    action = FollowUpActionFactory()

    response = client_for(secretariat).post(
        url("followup_status", action.pk), {"status": "in_progress", "next": "https://evil.test/"}
    )

    assert response.url == url("followup_board")


def test_gcg_members_cannot_update_follow_ups(client_for, gcg_member):
    action = FollowUpActionFactory()

    response = client_for(gcg_member).post(url("followup_status", action.pk), {"status": "done"})

    assert response.status_code == 403
    assert FollowUpAction.objects.get(pk=action.pk).status == "open"


def test_the_board_flags_overdue_actions_and_filters_them(client_for, gcg_member):
    FollowUpActionFactory(description="Late report", due_date=TODAY - datetime.timedelta(days=2))
    FollowUpActionFactory(description="Future report", due_date=TODAY + datetime.timedelta(days=2))
    client = client_for(gcg_member)

    everything = client.get(url("followup_board")).content.decode()
    overdue_only = client.get(url("followup_board"), {"overdue": "on"})

    assert everything.count('<span class="badge badge--red">Overdue</span>') == 1
    assert [a.description for a in overdue_only.context["actions"]] == ["Late report"]
    assert overdue_only.context["counts"] == {"open": 2, "overdue": 1, "done": 0}


def test_the_board_filters_by_owner_and_status(client_for, gcg_member):
    ilo = OrganisationFactory(acronym="ILO")
    FollowUpActionFactory(description="ILO task", owner=ilo)
    FollowUpActionFactory(description="Done elsewhere", status="done", completed_on=TODAY)
    client = client_for(gcg_member)

    by_owner = client.get(url("followup_board"), {"owner": ilo.pk})
    by_status = client.get(url("followup_board"), {"status": "done"})

    assert [a.description for a in by_owner.context["actions"]] == ["ILO task"]
    assert [a.description for a in by_status.context["actions"]] == ["Done elsewhere"]


@pytest.mark.parametrize("owner", ["9" * 40, "²"])
def test_an_owner_that_is_no_id_the_database_holds_is_searched_as_a_name(
    client_for, gcg_member, owner
):
    FollowUpActionFactory(description="ILO task", owner=OrganisationFactory(name="ILO"))

    response = client_for(gcg_member).get(url("followup_board"), {"owner": owner})

    assert response.status_code == 200
    assert response.context["actions"] == []


def test_the_board_searches_owners_by_name_or_acronym_and_events_by_title(client_for, gcg_member):
    ilo = OrganisationFactory(name="International Labour Organization", acronym="ILO")
    FollowUpActionFactory(description="ILO task", owner=ilo)
    FollowUpActionFactory(
        description="Regional task", event=EventFactory(title="Asia regional consultation")
    )
    client = client_for(gcg_member)

    by_acronym = client.get(url("followup_board"), {"owner": "ilo"})
    by_name = client.get(url("followup_board"), {"owner": "labour organ"})
    by_event = client.get(url("followup_board"), {"event": "Regional Consultation"})

    assert [a.description for a in by_acronym.context["actions"]] == ["ILO task"]
    assert [a.description for a in by_name.context["actions"]] == ["ILO task"]
    assert [a.description for a in by_event.context["actions"]] == ["Regional task"]


def test_the_board_filters_are_text_boxes_not_lists_of_every_organisation(client_for, gcg_member):
    FollowUpActionFactory(owner=OrganisationFactory(name="Listed Nowhere Org"))

    page = client_for(gcg_member).get(url("followup_board"), {"owner": "Listed"}).content.decode()

    assert '<input type="text" name="owner" value="Listed"' in page
    assert '<select name="owner"' not in page and '<select name="event"' not in page


def test_the_board_counts_follow_a_status_update(client_for, secretariat):
    action = FollowUpActionFactory(due_date=TODAY + datetime.timedelta(days=5))
    client = client_for(secretariat)
    assert client.get(url("followup_board")).context["counts"]["done"] == 0

    client.post(url("followup_status", action.pk), {"status": "done"})

    counts = client.get(url("followup_board")).context["counts"]
    assert counts == {"open": 0, "overdue": 0, "done": 1}


def test_the_board_kept_for_one_filter_is_not_served_for_another(client_for, secretariat):
    FollowUpActionFactory(owner=OrganisationFactory(name="Ministry of Labour", acronym="MOL"))
    FollowUpActionFactory(owner=OrganisationFactory(name="Walk Free", acronym="WF"))
    client = client_for(secretariat)
    everything = client.get(url("followup_board")).content.decode()
    assert "<td>WF</td>" in everything and "<td>MOL</td>" in everything

    filtered = client.get(url("followup_board"), {"owner": "Ministry"}).content.decode()

    assert "<td>MOL</td>" in filtered
    assert "<td>WF</td>" not in filtered


@pytest.mark.parametrize("user_fixture", ["focal_point", "outsider"])
def test_the_board_is_refused_to_those_who_do_not_read_everything(
    client_for, request, user_fixture
):
    user = request.getfixturevalue(user_fixture)

    assert client_for(user).get(url("followup_board")).status_code == 404


@pytest.mark.parametrize("size", [1, 6])
def test_board_query_count_does_not_grow_with_actions(
    client_for, gcg_member, django_assert_num_queries, size
):
    event = EventFactory()
    for _index in range(size):
        FollowUpActionFactory(event=event, carried_to=AgendaItemFactory())
    client = client_for(gcg_member)

    # session, user, roles, the counts (then cached), the number of actions, one page of
    # them with owner, event and review item (the filters are text searches: no choices to
    # read); saving the session (savepoint, update, release).
    with django_assert_num_queries(9):
        response = client.get(url("followup_board"))
    assert len(response.context["actions"]) == size


def test_the_board_escapes_what_people_wrote(client_for, secretariat):
    FollowUpActionFactory(
        description='<script>alert("x")</script>',
        owner=OrganisationFactory(acronym="<b>A&B</b>"),
        event=EventFactory(title="<i>Talks</i>"),
    )

    page = client_for(secretariat).get(url("followup_board")).content.decode()

    assert "<script>alert" not in page and "<b>A&B" not in page and "<i>Talks" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;b&gt;A&amp;B&lt;/b&gt;" in page and "&lt;i&gt;Talks&lt;/i&gt;" in page


def test_each_board_row_carries_its_status_form_back_to_the_same_page(client_for, secretariat):
    action = FollowUpActionFactory(status="in_progress")

    page = client_for(secretariat).get(url("followup_board"), {"status": "open_any"})

    html = page.content.decode()
    assert f'action="{url("followup_status", action.pk)}"' in html
    assert f'value="/events/follow-ups/?status=open_any#action-{action.pk}"' in html
    assert '<option value="in_progress" selected>In progress</option>' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_the_board_shows_fifty_actions_a_page_and_keeps_the_filters(client_for, gcg_member):
    event = EventFactory()
    FollowUpActionFactory.create_batch(51, event=event, due_date=datetime.date(2031, 1, 1))
    client = client_for(gcg_member)

    first = client.get(url("followup_board"), {"status": "open"})
    second = client.get(url("followup_board"), {"status": "open", "page": 2})

    assert len(first.context["actions"]) == 50
    assert len(second.context["actions"]) == 1
    assert "status=open&amp;page=2" in first.content.decode()
    assert "51" in second.content.decode()


# --- Documents -----------------------------------------------------------------------------


def test_the_secretariat_uploads_a_document_that_readers_download(
    client_for, secretariat, gcg_member, private_event, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("concept note.pdf", PDF, "application/pdf")

    response = client_for(secretariat).post(
        url("document_upload", private_event.pk),
        {"kind": "concept_note", "title": "Concept note", "file": upload},
    )

    assert response.status_code == 302
    document = EventDocument.objects.get()
    download = client_for(gcg_member).get(url("document_download", document.pk))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF
    assert 'filename="concept-note.pdf"' in download["Content-Disposition"]


def test_a_refused_upload_shows_why_next_to_the_file_field(client_for, secretariat, private_event):
    upload = SimpleUploadedFile("notes.pdf", b"plain text, not a PDF", "application/pdf")

    response = client_for(secretariat).post(
        url("document_upload", private_event.pk),
        {"kind": "report", "title": "Kept title", "file": upload},
    )

    assert response.status_code == 200
    assert "This kind of file is not accepted" in response.context["form"].errors["file"][0]
    assert 'value="Kept title"' in response.content.decode()
    assert not EventDocument.objects.exists()


def test_readers_cannot_upload(client_for, gcg_member, private_event):
    upload = SimpleUploadedFile("a.pdf", PDF, "application/pdf")

    response = client_for(gcg_member).post(
        url("document_upload", private_event.pk), {"kind": "report", "title": "A", "file": upload}
    )

    assert response.status_code == 403


def test_documents_of_hidden_events_cannot_be_downloaded(
    client_for, focal_point, private_event, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    document = EventDocument.objects.create(
        event=private_event,
        kind="report",
        title="R",
        file=SimpleUploadedFile("r.pdf", PDF),
        content_type="application/pdf",
        size=len(PDF),
    )

    assert client_for(focal_point).get(url("document_download", document.pk)).status_code == 404


# --- Registrations, minutes, carrying actions forward --------------------------------------


def test_my_registrations_lists_only_mine(client_for, gcg_observer, gcg_member):
    ParticipantFactory(event=EventFactory(title="Mine"), user=gcg_observer, role="observer")
    ParticipantFactory(event=EventFactory(title="Not mine"), user=gcg_member)

    response = client_for(gcg_observer).get(url("my_registrations"))

    assert [r.event.title for r in response.context["registrations"]] == ["Mine"]


def test_the_secretariat_drafts_circulates_and_records_approval_of_minutes(client_for, secretariat):
    meeting = GCGMeetingEventFactory(start_date=datetime.date(2022, 12, 8))
    later = GCGMeetingEventFactory(title="Next GCG", start_date=datetime.date(2023, 5, 16))
    client = client_for(secretariat)

    client.post(url("minutes_edit", meeting.pk), {"text": "Opened at 9:30."})
    client.post(url("minutes_circulate", meeting.pk))
    response = client.post(
        url("minutes_approve", meeting.pk), {"meeting": later.pk, "approved_on": "2023-05-16"}
    )

    assert response.status_code == 302
    meeting.minutes.refresh_from_db()
    assert (meeting.minutes.status, meeting.minutes.approved_at) == ("approved", later)
    html = client.get(url("event_detail", meeting.pk)).content.decode()
    assert "Approved at Next GCG on 16 May 2023." in html


def test_gcg_minutes_approved_at_a_peer_exchange_are_refused_on_the_page(client_for, secretariat):
    meeting = GCGMeetingEventFactory(start_date=datetime.date(2022, 12, 8))
    MinutesFactory(event=meeting, status="circulated", circulated_on=datetime.date(2022, 12, 20))
    exchange = EventFactory(
        title="Regional peer exchange",
        kind=Event.Kind.REGIONAL_CONSULTATION,
        start_date=datetime.date(2023, 3, 1),
    )
    client = client_for(secretariat)

    page = client.get(url("minutes_approve", meeting.pk)).content.decode()
    response = client.post(
        url("minutes_approve", meeting.pk), {"meeting": exchange.pk, "approved_on": "2023-03-01"}
    )

    assert "Regional peer exchange" not in page
    assert "No later meeting of the same body has been held yet" in page
    assert response.status_code == 200
    assert "later meeting of the same body" in response.context["form"].errors["meeting"][0]
    meeting.minutes.refresh_from_db()
    assert meeting.minutes.status == "circulated"


def test_gcg_members_cannot_touch_minutes(client_for, gcg_member):
    meeting = EventFactory()
    MinutesFactory(event=meeting)
    client = client_for(gcg_member)

    assert client.get(url("minutes_edit", meeting.pk)).status_code == 403
    assert client.post(url("minutes_circulate", meeting.pk)).status_code == 403


def test_the_secretariat_carries_open_actions_into_the_next_meeting(client_for, secretariat):
    workshop = EventFactory(
        kind=Event.Kind.STRATEGY_WORKSHOP, start_date=datetime.date(2022, 12, 6)
    )
    meeting = GCGMeetingEventFactory(title="Next GCG", start_date=datetime.date(2022, 12, 8))
    FollowUpActionFactory(event=workshop, description="Still open")

    response = client_for(secretariat).post(
        url("followups_carry_forward", workshop.pk), {"to_event": meeting.pk}
    )

    assert response.url == url("event_detail", meeting.pk) + "#agenda"
    html = client_for(secretariat).get(url("event_detail", meeting.pk)).content.decode()
    assert "Review of follow-up actions" in html and "Still open" in html


def test_carrying_again_says_the_actions_are_already_on_the_next_agenda(client_for, secretariat):
    meeting = GCGMeetingEventFactory(start_date=datetime.date(2022, 12, 8))
    later = GCGMeetingEventFactory(title="Next GCG", start_date=datetime.date(2023, 5, 16))
    FollowUpActionFactory(event=meeting, description="Still open")
    services.follow_ups_carry_forward(event=meeting, to_event=later)

    response = client_for(secretariat).post(
        url("followups_carry_forward", meeting.pk), {"to_event": later.pk}, follow=True
    )

    assert "The open actions are already on the agenda of “Next GCG”." in (
        response.content.decode()
    )


def test_a_gcg_meetings_actions_are_refused_into_a_peer_exchange_beside_the_field(
    client_for, secretariat
):
    meeting = GCGMeetingEventFactory(start_date=datetime.date(2022, 12, 8))
    exchange = EventFactory(
        kind=Event.Kind.REGIONAL_CONSULTATION,
        title="Regional peer exchange",
        start_date=datetime.date(2023, 2, 1),
    )
    FollowUpActionFactory(event=meeting, description="Still open")

    response = client_for(secretariat).post(
        url("followups_carry_forward", meeting.pk), {"to_event": exchange.pk}
    )

    assert response.status_code == 200
    assert "reviewed at a later GCG meeting" in str(response.context["form"].errors["to_event"])
    assert not exchange.agenda_items.exists()


# --- Dashboard -----------------------------------------------------------------------------


def test_the_dashboard_summarises_events_and_overdue_actions(client_for, gcg_member):
    EventFactory(
        title="Coming meeting",
        start_date=TODAY + datetime.timedelta(days=3),
        status=Event.Status.PLANNED,
    )
    FollowUpActionFactory(due_date=TODAY - datetime.timedelta(days=1))

    html = client_for(gcg_member).get(reverse("dashboard")).content.decode()

    assert '<h2 id="summary-workshops">' in html
    assert "Coming meeting" in html
    assert "Outputs by status" in html


def test_focal_points_get_events_but_no_board_figures_on_the_dashboard(
    client_for, focal_point, public_event
):
    public_event.start_date = public_event.end_date = TODAY
    public_event.save()

    html = client_for(focal_point).get(reverse("dashboard")).content.decode()

    assert "Open webinar" in html
    assert "open follow-up actions" not in html


@pytest.mark.parametrize("size", [1, 5])
def test_my_registrations_query_count_does_not_grow(
    client_for, gcg_observer, django_assert_num_queries, size
):
    for _index in range(size):
        ParticipantFactory(user=gcg_observer, role="observer", organisation=OrganisationFactory())
    client = client_for(gcg_observer)

    # session, user, roles (navigation), the registrations with their events, countries and
    # organisations; saving the session (savepoint, update, release).
    with django_assert_num_queries(7):
        response = client.get(url("my_registrations"))
    assert len(response.context["registrations"]) == size


ANONYMOUS_URLS = [
    ("event_list", False),
    ("my_registrations", False),
    ("followup_board", False),
    ("event_detail", True),
    ("event_ics", True),
    ("event_agenda_print", True),
    ("followup_create", True),
    ("document_upload", True),
    ("minutes_edit", True),
    ("minutes_approve", True),
    ("followups_carry_forward", True),
]


@pytest.mark.parametrize(("name", "takes_event"), ANONYMOUS_URLS)
def test_every_page_asks_anonymous_visitors_to_sign_in(client, name, takes_event):
    event = EventFactory(is_public=True)

    response = client.get(url(name, event.pk) if takes_event else url(name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_secretariat_is_offered_to_decide_open_outputs_only(
    client_for, secretariat, private_event
):
    meeting = EventFactory(start_date=datetime.date(2022, 12, 8))
    OutputFactory(event=private_event, title="Still open")
    OutputFactory(
        event=private_event,
        title="Already adopted",
        status="adopted",
        decided_at=meeting,
        decided_on=meeting.start_date,
    )

    html = client_for(secretariat).get(url("event_detail", private_event.pk)).content.decode()

    assert 'Record the decision<span class="visually-hidden"> on Still open' in html
    assert "on Already adopted</span>" not in html


# --- Cached parts of the event page ----------------------------------------------------------


def test_the_event_page_shows_actions_carried_after_it_was_cached(client_for, gcg_member):
    earlier = EventFactory(start_date=datetime.date(2024, 3, 1), end_date=datetime.date(2024, 3, 2))
    later = GCGMeetingEventFactory(
        start_date=datetime.date(2024, 9, 1), end_date=datetime.date(2024, 9, 2)
    )
    FollowUpActionFactory(event=earlier, description="Map the supply chains")
    client = client_for(gcg_member)
    assert "Map the supply chains" not in client.get(url("event_detail", later.pk)).content.decode()

    services.follow_ups_carry_forward(event=earlier, to_event=later)

    assert "Map the supply chains" in client.get(url("event_detail", later.pk)).content.decode()


def test_participants_cached_for_the_secretariat_never_reach_gcg_members(
    client_for, secretariat, gcg_member, private_event
):
    ParticipantFactory(event=private_event, name="Ana", accessibility_needs="Step-free access")
    assert (
        "Step-free access"
        in client_for(secretariat).get(url("event_detail", private_event.pk)).content.decode()
    )

    html = client_for(gcg_member).get(url("event_detail", private_event.pk)).content.decode()

    assert "Step-free access" not in html


def test_the_upload_page_says_the_limit_before_anything_is_sent(
    client_for, secretariat, private_event
):
    html = client_for(secretariat).get(url("document_upload", private_event.pk)).content.decode()

    assert "PDF, DOCX, XLSX, PPTX, PNG, JPEG, GIF or WebP; at most 20\xa0MB." in html
    assert f'data-max-bytes="{20 * 1024 * 1024}"' in html


def test_a_file_beyond_the_largest_upload_is_cut_off_while_read_and_refused(
    client_for, secretariat, private_event, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.UPLOAD_MAX_FILE_BYTES = 64 * 1024
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * (100 * 1024))

    response = client_for(secretariat).post(
        url("document_upload", private_event.pk),
        {"kind": "report", "title": "Big", "file": upload},
    )

    assert response.status_code == 200
    assert "more than the 64\xa0KB accepted here" in response.context["form"].errors["file"][0]
    assert not EventDocument.objects.exists()
    assert not any(tmp_path.rglob("*.pdf"))


def test_a_sending_declared_larger_than_the_portal_takes_is_refused_before_it_is_read(
    client_for, secretariat, private_event
):
    upload = SimpleUploadedFile("a.pdf", PDF)

    response = client_for(secretariat).post(
        url("document_upload", private_event.pk),
        {"kind": "report", "title": "A", "file": upload},
        CONTENT_LENGTH=str(51 * 1024 * 1024),
    )

    assert response.status_code == 413
    assert "The files sent are too large" in response.content.decode()
    assert not EventDocument.objects.exists()


def test_the_agenda_warns_when_an_office_co_lead_contradicts_the_records(client_for, secretariat):
    argentina = OrganisationFactory(name="Argentina", acronym="", kind="government")
    chile = OrganisationFactory(name="Chile", acronym="", kind="government")
    OfficeHolder.objects.create(
        office="deputy_chair",
        organisation=argentina,
        term_start=datetime.date(2020, 6, 1),
        term_end=datetime.date(2023, 5, 31),
    )
    item = AgendaItemFactory(event=EventFactory(start_date=datetime.date(2022, 12, 6)))
    CoLeadFactory(
        agenda_item=item,
        kind="office",
        organisation=None,
        role="deputy_chair",
        holder_organisation=chile,
    )

    html = client_for(secretariat).get(url("event_detail", item.event_id)).content.decode()

    assert "Alliance Deputy Chair (Chile)" in html
    assert "the Deputy Chair on that date was Argentina" in html


def test_the_decision_form_explains_how_decisions_are_numbered(
    client_for, secretariat, decision_setup
):
    # Help texts are not escaped by Django's form templates: "<meeting>" would vanish.
    workshop, meeting, output = decision_setup
    response = client_for(secretariat).get(url("output_decide", output.pk))
    assert "GCG/21/1 is the first decision of meeting 21" in response.content.decode()


def test_a_person_whose_registration_is_withdrawn_loses_the_kept_event_page_at_once(
    client_for, focal_point, private_event
):
    registration = ParticipantFactory(event=private_event, user=focal_point, role="focal_point")
    client = client_for(focal_point)
    assert client.get(url("event_detail", private_event.pk)).status_code == 200

    registration.delete()

    assert client.get(url("event_detail", private_event.pk)).status_code == 404


def test_the_event_page_is_titled_with_the_events_title_in_the_readers_language(
    client_for, gcg_member, private_event
):
    private_event.title_fr = "Atelier privé"
    private_event.save()
    gcg_member.language = "fr"
    gcg_member.save(update_fields=["language"])
    client = client_for(gcg_member)

    for _visit in range(2):
        html = client.get(url("event_detail", private_event.pk)).content.decode()
        assert "<title>Atelier privé · " in html
