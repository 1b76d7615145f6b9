import datetime

import pytest
from django.core.exceptions import ValidationError

from alliance87.aggregates import cached_aggregate
from governance import services
from governance.models import (
    ActionGroup,
    CallForInterest,
    Candidate,
    Decision,
    GroupClosureProposal,
    Membership,
    OfficeHolder,
)
from tests.factories import OrganisationFactory

from .factories import (
    ActivityFactory,
    CallFactory,
    ClosureProposalFactory,
    DecisionFactory,
    GroupFactory,
    MeetingFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 21)


@pytest.fixture
def sponsors():
    return [
        MembershipFactory(
            term_start=datetime.date(2025, 6, 1), term_end=datetime.date(2028, 5, 31)
        ).organisation
        for _ in range(2)
    ]


def propose(sponsors, **kwargs):
    values = {
        "name": "Forced Labour in Fisheries",
        "kind": ActionGroup.Kind.ACTION_GROUP,
        "purpose": "Joint action at sea.",
        "terms_of_reference": "Scope, membership, workplan and reporting.",
        "sponsors": sponsors,
        "today": TODAY,
    }
    return services.group_propose(**{**values, **kwargs})


# --- Creating a group ------------------------------------------------------------------------------


def test_a_proposal_with_terms_of_reference_and_two_member_sponsors_is_recorded_as_proposed(
    sponsors,
):
    group = propose(sponsors)
    assert group.status == ActionGroup.Status.PROPOSED
    assert group.proposed_on == TODAY
    assert set(group.sponsors.all()) == set(sponsors)


def test_a_proposal_needs_two_sponsors(sponsors):
    with pytest.raises(ValidationError) as error:
        propose(sponsors[:1])
    assert "sponsors" in error.value.message_dict
    assert not ActionGroup.objects.exists()


def test_a_proposal_sponsored_by_a_non_member_is_refused(sponsors):
    outsider = OrganisationFactory(name="Not in the GCG")
    with pytest.raises(ValidationError) as error:
        propose([sponsors[0], outsider])
    assert "Not in the GCG" in error.value.message_dict["sponsors"][0]


def test_a_former_member_cannot_sponsor(sponsors):
    former = MembershipFactory(
        term_start=datetime.date(2019, 1, 1), term_end=datetime.date(2022, 12, 31)
    )
    with pytest.raises(ValidationError):
        propose([sponsors[0], former.organisation])


def test_a_proposal_needs_terms_of_reference(sponsors):
    with pytest.raises(ValidationError) as error:
        propose(sponsors, terms_of_reference="  ")
    assert "terms_of_reference" in error.value.message_dict


def test_a_gcg_decision_approves_a_proposal_and_launches_the_group(sponsors):
    group = propose(sponsors)
    meeting = MeetingFactory(number=21, date=datetime.date.today())
    DecisionFactory(meeting=meeting, number=1)
    approved = services.group_approve(group=group, meeting=meeting, text="Created.")
    assert approved.status == ActionGroup.Status.ACTIVE
    assert approved.launched_on == meeting.date
    assert approved.created_by_decision.kind == Decision.Kind.CREATE_GROUP
    assert approved.created_by_decision.reference == "GCG/21/2"
    assert approved.created_by_decision.date == meeting.date


def test_a_proposal_cannot_be_approved_at_a_meeting_held_before_it(sponsors):
    group = propose(sponsors)
    meeting = MeetingFactory(date=datetime.date(2020, 5, 19))
    with pytest.raises(ValidationError) as error:
        services.group_approve(group=group, meeting=meeting, text="Created.")
    assert "held on or after" in error.value.message_dict["meeting"][0]
    assert not Decision.objects.exists()


def test_an_active_group_cannot_be_approved_again():
    group = GroupFactory()
    meeting = MeetingFactory()
    with pytest.raises(ValidationError):
        services.group_approve(group=group, meeting=meeting, text="x")
    assert not Decision.objects.exists()


# --- Inactivity --------------------------------------------------------------------------------------


def test_a_group_with_nothing_logged_for_twelve_months_is_flagged_inactive():
    quiet = ActivityFactory(date=datetime.date(2025, 11, 20)).group
    busy = ActivityFactory(date=datetime.date(2025, 11, 21)).group
    assert services.groups_flag_inactive(today=TODAY) == [quiet.pk]
    quiet.refresh_from_db()
    busy.refresh_from_db()
    assert (quiet.status, quiet.flagged_inactive_on) == (ActionGroup.Status.INACTIVE, TODAY)
    assert busy.status == ActionGroup.Status.ACTIVE


def _governance_figures_computed(times: list[int]) -> int:
    return cached_aggregate(["governance"], "test:figures", lambda: times.append(1) or len(times))


def test_flagging_a_group_inactive_refreshes_the_cached_governance_figures():
    ActivityFactory(date=datetime.date(2025, 11, 20))
    times: list[int] = []
    _governance_figures_computed(times)

    services.groups_flag_inactive(today=TODAY)  # an UPDATE, past the model signals

    assert _governance_figures_computed(times) == 2


def test_closing_a_call_refreshes_the_cached_governance_figures():
    call = CallFactory()
    times: list[int] = []
    _governance_figures_computed(times)

    services.call_for_interest_close(call=call)

    assert _governance_figures_computed(times) == 2


def test_a_group_without_any_activity_counts_from_its_launch():
    old = GroupFactory(launched_on=datetime.date(2020, 1, 1))
    new = GroupFactory(launched_on=datetime.date(2026, 6, 1))
    assert services.groups_flag_inactive(today=TODAY) == [old.pk]
    new.refresh_from_db()
    assert new.status == ActionGroup.Status.ACTIVE


def test_the_inactivity_period_is_a_setting(settings):
    settings.GROUP_INACTIVITY_MONTHS = 6
    group = ActivityFactory(date=datetime.date(2026, 4, 1)).group
    assert services.groups_flag_inactive(today=TODAY) == [group.pk]


def test_proposed_and_closed_groups_are_never_flagged():
    GroupFactory(status=ActionGroup.Status.PROPOSED, launched_on=None)
    assert services.groups_flag_inactive(today=TODAY) == []


def test_flagging_twice_changes_nothing_the_second_time():
    group = GroupFactory(launched_on=datetime.date(2019, 1, 1))
    assert services.group_flag_inactive(group_id=group.pk, today=TODAY) is True
    assert (
        services.group_flag_inactive(group_id=group.pk, today=TODAY + datetime.timedelta(days=1))
        is False
    )
    group.refresh_from_db()
    assert group.flagged_inactive_on == TODAY


def test_logging_recent_activity_brings_an_inactive_group_back(secretariat):
    group = GroupFactory(status=ActionGroup.Status.INACTIVE, flagged_inactive_on=TODAY)
    services.group_activity_log(
        group=group,
        kind="meeting",
        date=datetime.date.today(),
        title="Relaunch",
        recorded_by=secretariat,
    )
    group.refresh_from_db()
    assert group.status == ActionGroup.Status.ACTIVE
    assert group.flagged_inactive_on is None


def test_activity_cannot_be_logged_for_a_closed_group():
    group = ClosureProposalFactory().group
    group.status = ActionGroup.Status.CLOSED
    group.closed_by_decision = DecisionFactory(kind=Decision.Kind.CLOSE_GROUP)
    group.save()
    with pytest.raises(ValidationError):
        services.group_activity_log(group=group, kind="meeting", date=TODAY, title="Too late")


def test_activity_in_the_future_is_refused():
    with pytest.raises(ValidationError) as error:
        services.group_activity_log(
            group=GroupFactory(),
            kind="meeting",
            date=datetime.date.today() + datetime.timedelta(days=3),
            title="Soon",
        )
    assert "date" in error.value.message_dict


# --- Closing a group -----------------------------------------------------------------------------------


def test_the_secretariat_can_propose_closing_an_inactive_group(secretariat):
    group = GroupFactory(status=ActionGroup.Status.INACTIVE)
    proposal = services.group_propose_closure(
        group=group, reason="Dormant.", proposed_by=secretariat, today=TODAY
    )
    assert proposal.status == GroupClosureProposal.Status.OPEN
    assert proposal.proposed_by == secretariat


def test_an_active_group_cannot_be_proposed_for_closure():
    with pytest.raises(ValidationError):
        services.group_propose_closure(group=GroupFactory(), reason="Why not.")


def test_a_group_has_at_most_one_open_closure_proposal():
    proposal = ClosureProposalFactory()
    with pytest.raises(ValidationError):
        services.group_propose_closure(group=proposal.group, reason="Again.")


def test_a_recorded_gcg_decision_closes_the_group_and_its_working_groups():
    proposal = ClosureProposalFactory()
    working_group = GroupFactory(kind=ActionGroup.Kind.WORKING_GROUP, parent=proposal.group)
    meeting = MeetingFactory(date=datetime.date(2026, 5, 12))
    group = services.group_close(proposal=proposal, meeting=meeting, text="Closed.")
    working_group.refresh_from_db()
    proposal.refresh_from_db()
    assert group.status == ActionGroup.Status.CLOSED
    assert group.closed_by_decision.kind == Decision.Kind.CLOSE_GROUP
    assert working_group.closed_by_decision == group.closed_by_decision
    assert (proposal.status, proposal.decision) == (
        GroupClosureProposal.Status.DECIDED,
        group.closed_by_decision,
    )


def test_a_decision_cannot_settle_a_proposal_twice():
    proposal = ClosureProposalFactory()
    meeting = MeetingFactory()
    services.group_close(proposal=proposal, meeting=meeting, text="x")
    with pytest.raises(ValidationError):
        services.group_close(proposal=proposal, meeting=meeting, text="x")
    assert Decision.objects.count() == 1


def test_a_closure_decision_cannot_precede_the_proposal():
    proposal = ClosureProposalFactory(proposed_on=datetime.date(2026, 6, 1))
    meeting = MeetingFactory(date=datetime.date(2026, 5, 12))
    with pytest.raises(ValidationError) as error:
        services.group_close(proposal=proposal, meeting=meeting, text="x")
    assert "held on or after" in error.value.message_dict["meeting"][0]
    proposal.refresh_from_db()
    assert proposal.status == GroupClosureProposal.Status.OPEN
    assert not Decision.objects.exists()


def test_decisions_are_numbered_after_their_meeting_and_dated_on_it():
    meeting = MeetingFactory(number=20, date=datetime.date(2026, 5, 12))
    first = services.decision_record(meeting=meeting, kind=Decision.Kind.OTHER, text="One.")
    second = services.decision_record(meeting=meeting, kind=Decision.Kind.OTHER, text="Two.")
    assert (first.reference, second.reference) == ("GCG/20/1", "GCG/20/2")
    assert first.date == second.date == meeting.date


def test_a_decision_whose_reference_names_another_meeting_is_refused():
    meeting = MeetingFactory(number=20)
    decision = Decision(
        meeting=meeting, number=9, reference="GCG/7/9", date=meeting.date, text="Moved."
    )
    with pytest.raises(ValidationError) as error:
        decision.full_clean()
    assert "names its meeting" in error.value.message_dict["meeting"][0]


def test_a_decision_dated_away_from_its_meeting_is_refused():
    meeting = MeetingFactory(number=20, date=datetime.date(2026, 5, 12))
    decision = Decision(
        meeting=meeting,
        number=1,
        reference="GCG/20/1",
        date=datetime.date(2026, 12, 1),
        text="Later.",
    )
    with pytest.raises(ValidationError) as error:
        decision.full_clean()
    assert "dated on its meeting's date" in error.value.message_dict["meeting"][0]


def test_a_group_cannot_be_closed_by_a_decision_of_another_kind():
    group = ClosureProposalFactory().group
    group.status = ActionGroup.Status.CLOSED
    group.closed_by_decision = DecisionFactory(kind=Decision.Kind.ADOPT_OUTPUT)
    with pytest.raises(ValidationError) as error:
        group.full_clean()
    assert "closed_by_decision" in error.value.message_dict


def test_a_withdrawn_proposal_frees_the_group_for_a_new_one():
    proposal = ClosureProposalFactory()
    services.group_closure_withdraw(proposal=proposal)
    assert (
        services.group_propose_closure(group=proposal.group, reason="Still dormant.").status
        == "open"
    )


# --- Calls for expressions of interest ------------------------------------------------------------


def test_the_secretariat_opens_a_call_for_a_seat(secretariat):
    seat = MembershipFactory().seat
    call = services.call_for_interest_open(
        seat=seat,
        office="",
        vacancy_on=datetime.date(2028, 6, 1),
        opens_on=datetime.date(2027, 10, 1),
        closes_on=datetime.date(2028, 1, 31),
        opened_by=secretariat,
    )
    assert call.status == CallForInterest.Status.OPEN


def test_a_call_must_close_before_the_vacancy():
    with pytest.raises(ValidationError) as error:
        services.call_for_interest_open(
            seat=None,
            office="chair",
            vacancy_on=datetime.date(2028, 6, 1),
            opens_on=datetime.date(2028, 1, 1),
            closes_on=datetime.date(2028, 7, 1),
        )
    assert "closes_on" in error.value.message_dict


def test_a_second_open_call_for_the_same_vacancy_is_refused():
    call = CallFactory()
    with pytest.raises(ValidationError):
        services.call_for_interest_open(
            seat=call.seat,
            office="",
            vacancy_on=call.vacancy_on,
            opens_on=call.opens_on,
            closes_on=call.closes_on,
        )


def test_candidates_are_recorded_only_while_the_call_is_open():
    call = CallFactory()
    services.candidate_record(call=call, organisation=OrganisationFactory(), received_on=TODAY)
    services.call_for_interest_close(call=call)
    with pytest.raises(ValidationError):
        services.candidate_record(call=call, organisation=OrganisationFactory(), received_on=TODAY)
    assert call.candidates.count() == 1


# --- Appointments ------------------------------------------------------------------------------


@pytest.fixture
def seat_call():
    call = CallFactory(vacancy_on=datetime.date(2027, 6, 1))
    MembershipFactory(
        seat=call.seat,
        organisation=OrganisationFactory(name="Ghana"),
        term_start=datetime.date(2024, 6, 1),
        term_end=datetime.date(2027, 5, 31),
    )
    return call


def candidate(call, name):
    return services.candidate_record(
        call=call, organisation=OrganisationFactory(name=name), received_on=TODAY
    )


def test_appointing_a_candidate_creates_the_term_the_seat_rule_sets_and_closes_the_call(seat_call):
    chosen = candidate(seat_call, "Kenya")
    candidate(seat_call, "Nigeria")
    membership = services.call_for_interest_appoint(call=seat_call, candidate=chosen)
    assert (membership.organisation.name, membership.seat) == ("Kenya", seat_call.seat)
    assert (membership.term_start, membership.term_end) == (
        datetime.date(2027, 6, 1),
        datetime.date(2030, 5, 31),
    )
    seat_call.refresh_from_db()
    assert seat_call.status == CallForInterest.Status.CLOSED
    assert seat_call.appointment == membership
    chosen.refresh_from_db()
    assert chosen.status == Candidate.Status.SELECTED


def test_an_appointment_that_breaks_a_seat_rule_is_refused_and_the_call_stays_open(seat_call):
    chosen = candidate(seat_call, "Kenya")
    seat_call.vacancy_on = datetime.date(2026, 6, 1)  # while Ghana still holds the seat
    seat_call.save()
    with pytest.raises(ValidationError) as refused:
        services.call_for_interest_appoint(call=seat_call, candidate=chosen)
    assert "one holder per seat at a time" in refused.value.message_dict["candidate"][0]
    seat_call.refresh_from_db()
    assert (seat_call.status, seat_call.appointment) == (CallForInterest.Status.OPEN, None)
    assert not Membership.objects.filter(organisation=chosen.organisation).exists()


def test_a_longer_term_than_the_rule_is_refused_beside_the_term_end(seat_call):
    chosen = candidate(seat_call, "Kenya")
    with pytest.raises(ValidationError) as refused:
        services.call_for_interest_appoint(
            call=seat_call, candidate=chosen, term_end=datetime.date(2037, 5, 31)
        )
    assert "term length rule" in refused.value.message_dict["term_end"][0]


def test_a_call_leads_to_one_appointment(seat_call):
    chosen = candidate(seat_call, "Kenya")
    services.call_for_interest_appoint(call=seat_call, candidate=chosen)
    with pytest.raises(ValidationError, match="already led to an appointment"):
        services.call_for_interest_appoint(call=seat_call, candidate=chosen)
    assert Membership.objects.filter(organisation=chosen.organisation).count() == 1


def test_the_chair_is_appointed_for_three_years_within_a_membership():
    call = CallFactory(seat=None, office="chair", vacancy_on=datetime.date(2026, 6, 1))
    member = MembershipFactory(
        term_start=datetime.date(2025, 6, 1), term_end=datetime.date(2028, 5, 31)
    )
    MembershipFactory(
        seat=member.seat,
        organisation=member.organisation,
        term_start=datetime.date(2028, 6, 1),
        term_end=datetime.date(2031, 5, 31),
    )
    chosen = services.candidate_record(
        call=call, organisation=member.organisation, received_on=TODAY
    )
    holder = services.call_for_interest_appoint(call=call, candidate=chosen)
    assert (holder.office, holder.term_start, holder.term_end) == (
        "chair",
        datetime.date(2026, 6, 1),
        datetime.date(2029, 5, 31),
    )
    call.refresh_from_db()
    assert call.appointment == holder


def test_an_organisation_outside_the_gcg_cannot_be_appointed_chair():
    call = CallFactory(seat=None, office="chair", vacancy_on=datetime.date(2026, 6, 1))
    chosen = candidate(call, "Outsider")
    with pytest.raises(ValidationError) as refused:
        services.call_for_interest_appoint(call=call, candidate=chosen)
    assert "serve within a membership" in refused.value.message_dict["candidate"][0]
    assert not OfficeHolder.objects.exists()


def test_a_closure_proposal_cannot_be_settled_by_a_decision_taken_before_it():
    proposal = ClosureProposalFactory(proposed_on=datetime.date(2026, 6, 1))
    proposal.status = GroupClosureProposal.Status.DECIDED
    proposal.decision = DecisionFactory(
        meeting=MeetingFactory(date=datetime.date(2026, 5, 12)), kind=Decision.Kind.CLOSE_GROUP
    )
    with pytest.raises(ValidationError) as error:
        proposal.full_clean()
    assert "held on or after its proposal" in error.value.message_dict["decision"][0]


def test_a_group_cannot_be_created_by_a_decision_taken_before_its_proposal():
    group = GroupFactory(proposed_on=datetime.date(2026, 6, 1))
    group.created_by_decision = DecisionFactory(
        meeting=MeetingFactory(date=datetime.date(2026, 5, 12)), kind=Decision.Kind.CREATE_GROUP
    )
    with pytest.raises(ValidationError) as error:
        group.full_clean()
    assert "held on or after its proposal" in error.value.message_dict["created_by_decision"][0]
