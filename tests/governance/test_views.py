import datetime

import pytest
from django.urls import reverse

from governance.models import (
    ActionGroup,
    CallForInterest,
    Decision,
    GroupActivity,
    GroupClosureProposal,
    Membership,
)
from tests.exports import csv_parts, sheet_table, workbook
from tests.factories import OrganisationFactory

from .factories import (
    ActivityFactory,
    CallFactory,
    CandidateFactory,
    ClosureProposalFactory,
    DecisionFactory,
    EngagementFactory,
    GroupFactory,
    GroupMembershipFactory,
    MeetingFactory,
    MembershipFactory,
    PartnerServiceFactory,
)

pytestmark = pytest.mark.django_db

READERS = ["secretariat", "gcg_member", "gcg_observer"]
PUBLIC_READERS = [*READERS, "focal_point"]


def user_for(request, role):
    return request.getfixturevalue(role)


# --- Access --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name, readers",
    [
        ("governance:composition", PUBLIC_READERS),
        ("governance:composition_csv", PUBLIC_READERS),
        ("governance:group_list", PUBLIC_READERS),
        ("governance:rotation", READERS),
        ("governance:meeting_list", READERS),
        ("governance:partner_analysis", READERS),
    ],
)
@pytest.mark.parametrize("role", [*PUBLIC_READERS, "outsider"])
def test_each_page_opens_for_its_readers_and_is_refused_to_others(
    request, client_for, gcg, url_name, readers, role
):
    response = client_for(user_for(request, role)).get(reverse(url_name))
    assert response.status_code == (200 if role in readers else 404)


@pytest.mark.parametrize(
    "url_name",
    [
        "governance:composition",
        "governance:rotation",
        "governance:group_list",
        "governance:partner_analysis",
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize(
    "role, status", [("gcg_member", 403), ("gcg_observer", 403), ("focal_point", 404)]
)
def test_only_the_secretariat_opens_calls(request, client_for, role, status):
    assert (
        client_for(user_for(request, role)).get(reverse("governance:call_create")).status_code
        == status
    )


@pytest.mark.parametrize(
    "role, status", [("gcg_member", 403), ("focal_point", 403), ("outsider", 404)]
)
def test_readers_cannot_log_activity_by_posting_directly(request, client_for, role, status):
    group = GroupFactory()
    url = reverse("governance:activity_create", args=[group.pk])
    data = {"activity-kind": "meeting", "activity-date": "2026-01-10", "activity-title": "Sneaky"}
    assert client_for(user_for(request, role)).post(url, data).status_code == status
    assert not GroupActivity.objects.exists()


@pytest.mark.parametrize("role", ["gcg_member", "gcg_observer", "focal_point"])
def test_readers_cannot_close_a_group_by_posting_directly(request, client_for, role):
    proposal = ClosureProposalFactory()
    meeting = MeetingFactory()
    url = reverse("governance:group_close", args=[proposal.group.pk])
    data = {
        "decision-meeting": meeting.pk,
        "decision-reference": "X/1",
        "decision-date": "2026-05-12",
    }
    assert client_for(user_for(request, role)).post(url, data).status_code == 403
    assert not Decision.objects.exists()


def test_focal_points_do_not_see_proposed_groups(client_for, focal_point):
    proposed = GroupFactory(name="Proposed group", status=ActionGroup.Status.PROPOSED)
    GroupFactory(name="Running group")
    client = client_for(focal_point)
    page = client.get(reverse("governance:group_list")).content.decode()
    assert "Running group" in page and "Proposed group" not in page
    assert client.get(reverse("governance:group_detail", args=[proposed.pk])).status_code == 404


def test_focal_points_read_a_group_without_its_closure_proposals(client_for, focal_point):
    proposal = ClosureProposalFactory(reason="Dormant since 2019.")
    page = client_for(focal_point).get(reverse("governance:group_detail", args=[proposal.group.pk]))
    assert page.status_code == 200
    assert "Dormant since 2019." not in page.content.decode()


@pytest.mark.parametrize("seat", ["²", "9" * 40, "-1"])
def test_a_call_form_ignores_a_seat_that_is_no_id(client_for, secretariat, seat):
    response = client_for(secretariat).get(reverse("governance:call_create"), {"seat": seat})

    assert response.status_code == 200
    assert response.context["form"].initial == {}


def test_gcg_members_read_calls_and_candidates_but_get_no_form(client_for, gcg_member):
    call = CallFactory()
    response = client_for(gcg_member).get(reverse("governance:call_detail", args=[call.pk]))
    assert response.status_code == 200
    assert response.context["form"] is None
    assert (
        client_for(gcg_member)
        .post(reverse("governance:call_detail", args=[call.pk]), {})
        .status_code
        == 403
    )


# --- Composition -----------------------------------------------------------------------------------------


def test_composition_shows_members_observers_vacancies_and_the_chair(client_for, gcg_member, gcg):
    page = client_for(gcg_member).get(reverse("governance:composition")).content.decode()
    assert "Pathfinder Country representatives" in page
    assert "Argentina" in page and "Walk Free" in page
    assert "Vacant" in page
    assert "Chair" in page and "France" in page


def test_composition_lists_the_upcoming_rotation(client_for, gcg_member, gcg):
    response = client_for(gcg_member).get(reverse("governance:composition"))
    seats = [row["seat"].label for row in response.context["upcoming"]]
    assert seats == ["PFC seat 2", "PFC seat 1"]


def test_composition_exports_as_csv(client_for, focal_point, gcg):
    response = client_for(focal_point).get(reverse("governance:composition_csv"))
    assert response["Content-Type"].startswith("text/csv")
    title, rows = csv_parts(response)
    assert title == [["GCG composition"], ["Filters", "none"]]
    assert rows[0][:4] == ["Constituency", "Role", "Seat", "Organisation"]
    first = ["Pathfinder Country representatives", "Member", "PFC seat 1", "Argentina"]
    assert rows[1][:4] == first
    assert any(row[1] == "Observer" and row[3] == "Walk Free" for row in rows)
    assert any(row[1] == "Vacant" and row[2] == "PFC seat 2" for row in rows)
    assert any(row[1] == "Chair" and row[3] == "France" for row in rows)


def test_former_members_are_not_in_the_composition(client_for, gcg_member, gcg):
    MembershipFactory(
        seat=gcg["seats"][1],
        organisation=OrganisationFactory(name="Old member"),
        term_start=datetime.date(2015, 1, 1),
        term_end=datetime.date(2018, 1, 1),
    )
    page = client_for(gcg_member).get(reverse("governance:composition")).content.decode()
    assert "Old member" not in page


# --- Rotation and calls ------------------------------------------------------------------------------------


def test_rotation_flags_the_vacancy_and_the_term_ending_soon(client_for, gcg_observer, gcg):
    response = client_for(gcg_observer).get(reverse("governance:rotation"))
    kinds = [flag["kind"] for flag in response.context["flags"]]
    assert kinds == ["ending_soon", "vacancy"]
    assert "PFC seat 2 is vacant." in response.content.decode()


def test_rotation_horizon_is_chosen_and_bounded(client_for, gcg_member, gcg):
    client = client_for(gcg_member)
    assert client.get(reverse("governance:rotation"), {"years": 5}).context["years"] == 5
    assert client.get(reverse("governance:rotation"), {"years": 50}).context["years"] == 10
    assert client.get(reverse("governance:rotation"), {"years": "soon"}).context["years"] == 3


def test_the_rotation_page_offers_a_call_for_the_next_chair(client_for, secretariat, gcg):
    response = client_for(secretariat).get(reverse("governance:rotation"))
    holder = response.context["offices"][0]["holder"]
    next_term = (holder.term_end + datetime.timedelta(days=1)).isoformat()
    link = f"{reverse('governance:call_create')}?office=chair&amp;vacancy={next_term}"
    assert link in response.content.decode()


def test_the_secretariat_opens_a_call_from_the_rotation_page(client_for, secretariat, gcg):
    seat = gcg["seats"][1]
    client = client_for(secretariat)
    form = client.get(reverse("governance:call_create"), {"seat": seat.pk, "vacancy": "2027-06-01"})
    assert form.context["form"].initial["seat"] == seat.pk
    response = client.post(
        reverse("governance:call_create"),
        {
            "seat": seat.pk,
            "vacancy_on": "2027-06-01",
            "opens_on": "2027-01-01",
            "closes_on": "2027-03-31",
        },
    )
    call = CallForInterest.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "governance:call_detail", args=[call.pk]
    )
    assert call.opened_by == secretariat


def test_a_call_with_neither_seat_nor_office_keeps_what_was_typed(client_for, secretariat, gcg):
    response = client_for(secretariat).post(
        reverse("governance:call_create"),
        {
            "vacancy_on": "2027-06-01",
            "opens_on": "2027-01-01",
            "closes_on": "2027-03-31",
            "notes": "Keep me",
        },
    )
    assert response.status_code == 200
    assert "Choose either a seat or an office." in response.content.decode()
    assert "Keep me" in response.content.decode()
    assert not CallForInterest.objects.exists()


def test_the_secretariat_records_a_candidate(client_for, secretariat):
    call = CallFactory()
    candidate = OrganisationFactory(name="Chile")
    response = client_for(secretariat).post(
        reverse("governance:call_detail", args=[call.pk]),
        {"organisation": candidate.pk, "received_on": "2026-11-01", "statement": "We are ready."},
    )
    assert response.status_code == 302
    assert call.candidates.get().organisation == candidate


def test_a_candidate_cannot_be_recorded_twice(client_for, secretariat):
    call = CallFactory()
    candidate = OrganisationFactory(name="Chile")
    call.candidates.create(organisation=candidate, received_on=datetime.date(2026, 11, 1))
    response = client_for(secretariat).post(
        reverse("governance:call_detail", args=[call.pk]),
        {"organisation": candidate.pk, "received_on": "2026-11-02"},
    )
    assert response.status_code == 200
    assert "already a candidate" in response.content.decode()


# --- Groups ----------------------------------------------------------------------------------------------------


def test_group_list_separates_closed_groups_as_history(client_for, gcg_member):
    GroupFactory(name="Supply Chains")
    closed = GroupFactory(
        name="Rural Development",
        status=ActionGroup.Status.CLOSED,
        closed_by_decision=DecisionFactory(),
    )
    response = client_for(gcg_member).get(reverse("governance:group_list"))
    assert [g.name for g in response.context["action_groups"]] == ["Supply Chains"]
    assert response.context["closed_groups"] == [closed]


def test_group_list_filters_by_status_and_search(client_for, gcg_member):
    GroupFactory(name="Supply Chains")
    GroupFactory(name="Migration", status=ActionGroup.Status.INACTIVE)
    client = client_for(gcg_member)
    assert [
        g.name
        for g in client.get(reverse("governance:group_list"), {"status": "inactive"}).context[
            "action_groups"
        ]
    ] == ["Migration"]
    assert [
        g.name
        for g in client.get(reverse("governance:group_list"), {"q": "supply"}).context[
            "action_groups"
        ]
    ] == ["Supply Chains"]


def test_group_list_counts_current_members_and_shows_the_last_activity(client_for, gcg_member):
    group = GroupFactory(name="Migration")
    GroupMembershipFactory.create_batch(3, group=group)
    GroupMembershipFactory(group=group, left_on=datetime.date(2024, 1, 1))
    ActivityFactory(group=group, date=datetime.date(2026, 3, 10))
    ActivityFactory(group=group, date=datetime.date(2025, 3, 10))
    row = client_for(gcg_member).get(reverse("governance:group_list")).context["action_groups"][0]
    assert (row.member_count, row.last_activity_on) == (3, datetime.date(2026, 3, 10))


def test_group_page_shows_members_workplans_and_activity(client_for, focal_point):
    group = GroupFactory(name="Migration")
    GroupMembershipFactory(
        group=group,
        organisation=OrganisationFactory(name="IOM"),
        joined_on=datetime.date(2018, 3, 1),
    )
    group.workplans.create(
        title="Workplan 2026",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        outcomes="Knowledge brief\nResource plan",
    )
    ActivityFactory(group=group, title="Workplan review meeting")
    page = (
        client_for(focal_point)
        .get(reverse("governance:group_detail", args=[group.pk]))
        .content.decode()
    )
    for text in (
        "IOM",
        "1 Mar 2018",
        "Workplan 2026",
        "Knowledge brief",
        "Workplan review meeting",
    ):
        assert text in page


def test_the_secretariat_logs_an_activity(client_for, secretariat):
    group = GroupFactory()
    response = client_for(secretariat).post(
        reverse("governance:activity_create", args=[group.pk]),
        {
            "activity-kind": "output",
            "activity-date": "2026-01-10",
            "activity-title": "Policy brief",
        },
    )
    assert response.status_code == 302
    assert group.activities.get().title == "Policy brief"


def test_an_activity_without_a_title_is_refused_next_to_the_field(client_for, secretariat):
    group = GroupFactory()
    response = client_for(secretariat).post(
        reverse("governance:activity_create", args=[group.pk]),
        {"activity-kind": "output", "activity-date": "2026-01-10", "activity-notes": "Typed notes"},
    )
    assert response.status_code == 400
    assert response.context["activity_form"].errors["title"]
    assert "Typed notes" in response.content.decode()


def test_the_secretariat_closes_an_inactive_group_through_a_decision(client_for, secretariat):
    group = GroupFactory(name="Rural Development", status=ActionGroup.Status.INACTIVE)
    meeting = MeetingFactory(number=21, date=datetime.date.today())
    client = client_for(secretariat)
    response = client.post(
        reverse("governance:closure_propose", args=[group.pk]), {"closure-reason": "Dormant."}
    )
    assert response.status_code == 302
    assert group.closure_proposals.get().status == GroupClosureProposal.Status.OPEN
    response = client.post(
        reverse("governance:group_close", args=[group.pk]),
        {
            "decision-meeting": meeting.pk,
            "decision-text": "The GCG closed the group.",
        },
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.status == ActionGroup.Status.CLOSED
    assert group.closed_by_decision.reference == "GCG/21/1"
    assert group.closed_by_decision.date == meeting.date


def test_a_closure_cannot_be_decided_at_a_meeting_held_before_the_proposal(client_for, secretariat):
    proposal = ClosureProposalFactory(proposed_on=datetime.date(2026, 6, 1))
    earlier = MeetingFactory(number=20, date=datetime.date(2026, 5, 12))
    response = client_for(secretariat).post(
        reverse("governance:group_close", args=[proposal.group.pk]),
        {"decision-meeting": earlier.pk, "decision-text": "Closed."},
    )
    assert response.status_code == 400
    assert "held on or after 2026-06-01" in response.context["decision_form"].errors["meeting"][0]
    proposal.group.refresh_from_db()
    assert proposal.group.status == ActionGroup.Status.INACTIVE
    assert not Decision.objects.exists()


def test_the_closure_form_says_why_no_meeting_is_offered(client_for, secretariat):
    proposal = ClosureProposalFactory(proposed_on=datetime.date.today())
    MeetingFactory(date=datetime.date(2026, 5, 12))
    response = client_for(secretariat).get(
        reverse("governance:group_detail", args=[proposal.group.pk])
    )
    field = response.context["decision_form"].fields["meeting"]
    assert not field.offered.exists()
    assert "No GCG meeting has been held since the proposal" in response.content.decode()


def test_an_active_group_offers_no_closure_form(client_for, secretariat):
    group = GroupFactory()
    response = client_for(secretariat).get(reverse("governance:group_detail", args=[group.pk]))
    assert "closure_form" not in response.context
    response = client_for(secretariat).post(
        reverse("governance:closure_propose", args=[group.pk]), {"closure-reason": "Because."}
    )
    assert response.status_code == 400
    assert "Only an inactive group" in response.content.decode()


def test_the_secretariat_proposes_and_a_decision_approves_a_new_group(client_for, secretariat, gcg):
    sponsor = MembershipFactory(seat=gcg["seats"][1]).organisation
    client = client_for(secretariat)
    response = client.post(
        reverse("governance:group_propose"),
        {
            "name": "Fisheries",
            "kind": "action_group",
            "purpose": "Forced labour at sea.",
            "terms_of_reference": "Scope and workplan.",
            "sponsors": [gcg["member"].organisation.pk, sponsor.pk],
        },
    )
    group = ActionGroup.objects.get(name="Fisheries")
    assert response.url == reverse("governance:group_detail", args=[group.pk])
    assert group.status == ActionGroup.Status.PROPOSED
    meeting = MeetingFactory(number=22, date=datetime.date.today())
    client.post(
        reverse("governance:group_approve", args=[group.pk]),
        {
            "approval-meeting": meeting.pk,
            "approval-text": "Created.",
        },
    )
    group.refresh_from_db()
    assert group.status == ActionGroup.Status.ACTIVE
    assert group.created_by_decision.reference == f"GCG/{meeting.number}/1"


def test_a_proposal_with_one_sponsor_is_refused_and_keeps_its_text(client_for, secretariat, gcg):
    response = client_for(secretariat).post(
        reverse("governance:group_propose"),
        {
            "name": "Fisheries",
            "kind": "action_group",
            "purpose": "At sea.",
            "terms_of_reference": "My draft ToR",
            "sponsors": [gcg["member"].organisation.pk],
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["sponsors"]
    assert "My draft ToR" in response.content.decode()
    assert not ActionGroup.objects.exists()


# --- Meetings ----------------------------------------------------------------------------------------------------


def test_a_meeting_page_lists_decisions_and_what_they_decided(client_for, gcg_member):
    decision = DecisionFactory(
        meeting=MeetingFactory(number=16), number=2, kind=Decision.Kind.CLOSE_GROUP
    )
    GroupFactory(
        name="Commercial Sexual Exploitation",
        status=ActionGroup.Status.CLOSED,
        closed_by_decision=decision,
    )
    page = client_for(gcg_member).get(
        reverse("governance:meeting_detail", args=[decision.meeting.number])
    )
    text = page.content.decode()
    assert "GCG/16/2" in text and "Commercial Sexual Exploitation" in text


def test_an_unknown_meeting_is_not_found(client_for, gcg_member):
    assert (
        client_for(gcg_member).get(reverse("governance:meeting_detail", args=[999])).status_code
        == 404
    )


# --- Partner analysis ----------------------------------------------------------------------------------------------


@pytest.fixture
def engagement(db):
    EngagementFactory.create_batch(3, kind="event", date=datetime.date(2024, 5, 1))
    EngagementFactory(kind="pledge", date=datetime.date(2025, 2, 1))
    PartnerServiceFactory()


def test_partner_analysis_shows_tables_and_charts(client_for, gcg_member, engagement):
    response = client_for(gcg_member).get(reverse("governance:partner_analysis"))
    assert response.context["figures"]["records"] == 4
    assert response.content.decode().count("<svg") == 4


def test_partner_analysis_csv_export_is_exactly_what_is_shown(client_for, gcg_member, engagement):
    client = client_for(gcg_member)
    shown = client.get(reverse("governance:partner_analysis"), {"kind": "pledge"}).context["tables"]
    response = client.get(
        reverse("governance:partner_analysis_export", args=["csv"]), {"kind": "pledge"}
    )
    filters, rows = csv_parts(response)
    expected = []
    for index, table in enumerate(shown):
        expected += (
            ([[]] if index else [])
            + [[table.title], table.headers]
            + [["" if c is None else str(c) for c in r] for r in table.rows]
        )
    assert rows == expected
    assert rows[2] == ["Pledge", "1", "1"]
    assert filters == [["Partner engagement"], ["Engagement type", "Pledge"]]


def test_partner_analysis_xlsx_export_has_a_sheet_per_table(client_for, gcg_member, engagement):
    client = client_for(gcg_member)
    shown = client.get(reverse("governance:partner_analysis")).context["tables"]
    response = client.get(reverse("governance:partner_analysis_export", args=["xlsx"]))
    book = workbook(response)
    for name, table in zip(book.sheetnames, shown, strict=True):
        # Each sheet is named by its table's title, cut between words to Excel's 31 characters.
        assert len(name) <= 31 and table.title.startswith(name)
        assert name == table.title or table.title[len(name)] == " "
    sheet = book["Engagement by type"]
    assert sheet_table(sheet)[1] == ["Event participation", 3, 3]


def test_partner_analysis_shows_a_new_engagement_once_it_is_recorded(
    client_for, gcg_member, engagement
):
    client = client_for(gcg_member)
    assert client.get(reverse("governance:partner_analysis")).context["figures"]["records"] == 4

    EngagementFactory(kind="knowledge", date=datetime.date(2025, 6, 1))

    response = client.get(reverse("governance:partner_analysis"))
    assert response.context["figures"]["records"] == 5
    assert ["Knowledge contribution", 1, 1] in response.context["tables"][0].rows


def test_partner_analysis_follows_a_country_moved_to_another_region(
    client_for, gcg_member, country
):
    EngagementFactory(partner__organisation__country=country)  # Fiji, Asia and the Pacific
    client = client_for(gcg_member)
    url = reverse("governance:partner_analysis")
    assert client.get(url, {"region": "africa"}).context["figures"]["records"] == 0

    country.ilo_region = "africa"
    country.save()

    assert client.get(url, {"region": "africa"}).context["figures"]["records"] == 1


def test_partner_analysis_is_read_once_for_the_same_filters(
    client_for, gcg_member, engagement, django_assert_num_queries
):
    client = client_for(gcg_member)
    client.get(reverse("governance:partner_analysis"), {"kind": "event"})

    # Only the request's own queries: session, user, roles, saving the session; the page's
    # part comes from the cache as it was rendered.
    with django_assert_num_queries(6):
        response = client.get(reverse("governance:partner_analysis"), {"kind": "event"})
    assert (
        '<span class="figure__value">3</span><span class="figure__label">engagement records'
        in response.content.decode()
    )


def test_an_unknown_export_format_is_not_found(client_for, gcg_member):
    assert (
        client_for(gcg_member)
        .get(reverse("governance:partner_analysis_export", args=["pdf"]))
        .status_code
        == 404
    )


def test_a_period_ending_before_it_starts_is_reported_and_ignored(
    client_for, gcg_member, engagement
):
    response = client_for(gcg_member).get(
        reverse("governance:partner_analysis"), {"start": "2025-01-01", "end": "2024-01-01"}
    )
    assert response.context["form"].errors["end"]
    assert response.context["figures"]["records"] == 4


# --- Dashboard ----------------------------------------------------------------------------------------------------


def test_dashboard_summarises_the_gcg_for_readers(client_for, gcg_member, gcg):
    page = client_for(gcg_member).get(reverse("dashboard")).content.decode()
    assert 'id="summary-governance"' in page
    assert "France" in page


def test_dashboard_has_no_governance_summary_for_outsiders(client_for, outsider):
    page = client_for(outsider).get(reverse("dashboard")).content.decode()
    assert 'id="summary-governance"' not in page


# --- Appointments ------------------------------------------------------------------------------


@pytest.fixture
def call_with_candidates(gcg):
    """A call for the vacant seat 2, with two candidates."""
    call = CallFactory(
        seat=gcg["seats"][1], vacancy_on=datetime.date.today() + datetime.timedelta(days=30)
    )
    for name in ("Kenya", "Nepal"):
        CandidateFactory(call=call, organisation=OrganisationFactory(name=name, acronym=""))
    return call


def test_the_secretariat_appoints_a_candidate_and_the_call_shows_the_appointee(
    client_for, secretariat, call_with_candidates
):
    call = call_with_candidates
    client = client_for(secretariat)
    url = reverse("governance:call_appoint", args=[call.pk])
    form = client.get(url).context["form"]
    kenya = call.candidates.get(organisation__name="Kenya")
    data = {"candidate": kenya.pk, "term_end": form["term_end"].initial.isoformat()}
    response = client.post(url, data)
    assert response.status_code == 302
    page = client.get(reverse("governance:call_detail", args=[call.pk])).content.decode()
    assert "Appointed" in page and "Kenya" in page and "Closed" in page
    assert Membership.objects.get(organisation__name="Kenya").seat == call.seat


def test_an_appointment_breaking_a_rule_shows_the_rule_beside_the_field(
    client_for, secretariat, call_with_candidates
):
    call = call_with_candidates
    url = reverse("governance:call_appoint", args=[call.pk])
    kenya = call.candidates.get(organisation__name="Kenya")
    data = {"candidate": kenya.pk, "term_end": "2099-12-31"}
    response = client_for(secretariat).post(url, data)
    assert response.status_code == 200
    assert "term length rule" in str(response.context["form"].errors["term_end"])
    assert not Membership.objects.filter(organisation__name="Kenya").exists()


@pytest.mark.parametrize(
    "role, status", [("gcg_member", 403), ("gcg_observer", 403), ("focal_point", 404)]
)
def test_only_the_secretariat_appoints(request, client_for, call_with_candidates, role, status):
    call = call_with_candidates
    kenya = call.candidates.get(organisation__name="Kenya")
    url = reverse("governance:call_appoint", args=[call.pk])
    response = client_for(user_for(request, role)).post(
        url, {"candidate": kenya.pk, "term_end": "2029-01-01"}
    )
    assert response.status_code == status
    assert not Membership.objects.filter(organisation__name="Kenya").exists()
