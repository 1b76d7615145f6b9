"""The Secretariat moves a country along the journey: one service, from the portal and the admin."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from pathfinders import selectors, services
from pathfinders.models import PathfinderCountry, Stage
from tests.governance.factories import DecisionFactory

from .factories import PathfinderFactory

pytestmark = pytest.mark.django_db

D = datetime.date
GRANT = "grant_pathfinder_status"


@pytest.fixture
def candidate(country):
    """Fiji, whose roadmap is submitted and waits for the GCG."""
    return PathfinderFactory(
        country=country,
        stage=Stage.ROADMAP_SUBMITTED,
        status_granted_on=None,
        implementation_started_on=None,
    )


@pytest.fixture
def grant():
    return DecisionFactory(kind=GRANT, meeting__date=D(2026, 5, 12), text="Fiji is granted status.")


def move(pathfinder, by, **changes):
    return services.pathfinder_stage_change(pathfinder=pathfinder, by=by, **changes)


def test_the_secretariat_grants_status_with_the_gcg_decision(candidate, grant, secretariat):
    move(candidate, secretariat, stage=Stage.STATUS_GRANTED, on=D(2026, 5, 12), decision=grant)

    candidate.refresh_from_db()
    assert candidate.stage == Stage.STATUS_GRANTED
    assert candidate.status_granted_on == D(2026, 5, 12)
    assert candidate.status_decision == grant


def test_the_change_shows_in_the_countrys_history_with_who_made_it(candidate, grant, secretariat):
    move(
        candidate,
        secretariat,
        stage=Stage.STATUS_GRANTED,
        on=D(2026, 5, 12),
        decision=grant,
        note="Roadmap reviewed at the 20th meeting",
    )

    latest = selectors.journey_history(pathfinder=candidate)[0]
    assert latest["stage"] == Stage.STATUS_GRANTED.label
    assert latest["from_stage"] == Stage.ROADMAP_SUBMITTED.label
    assert latest["on"] == D(2026, 5, 12)
    assert latest["by"] == secretariat and latest["decision"] == grant
    assert latest["note"] == "Roadmap reviewed at the 20th meeting"


def test_status_is_not_granted_without_a_decision(candidate, secretariat):
    with pytest.raises(ValidationError) as refused:
        move(candidate, secretariat, stage=Stage.STATUS_GRANTED, on=D(2026, 5, 12))

    assert "decision" in refused.value.message_dict
    candidate.refresh_from_db()
    assert candidate.stage == Stage.ROADMAP_SUBMITTED


def test_a_decision_of_another_kind_or_a_date_before_it_is_refused(candidate, secretariat):
    other = DecisionFactory(kind="other", meeting__date=D(2026, 5, 12))
    granting = DecisionFactory(kind=GRANT, meeting__date=D(2026, 5, 12))

    with pytest.raises(ValidationError) as wrong_kind:
        move(candidate, secretariat, stage=Stage.STATUS_GRANTED, on=D(2026, 5, 12), decision=other)
    with pytest.raises(ValidationError) as too_early:
        move(
            candidate, secretariat, stage=Stage.STATUS_GRANTED, on=D(2026, 5, 1), decision=granting
        )

    assert "does not grant Pathfinder status" in wrong_kind.value.message_dict["decision"][0]
    assert "before the decision" in too_early.value.message_dict["on"][0]


def test_a_country_does_not_go_back_nor_implement_before_it_holds_status(candidate, secretariat):
    with pytest.raises(ValidationError) as back:
        move(candidate, secretariat, stage=Stage.WORKSHOP_HELD, on=D(2026, 5, 1))
    with pytest.raises(ValidationError) as skip:
        move(candidate, secretariat, stage=Stage.IMPLEMENTING, on=D(2026, 5, 1))

    assert "does not go back" in back.value.message_dict["stage"][0]
    assert "grant it first" in skip.value.message_dict["stage"][0]


def test_a_date_out_of_the_journeys_order_is_refused_on_the_date(candidate, grant, secretariat):
    candidate.roadmap_submitted_on = D(2026, 6, 1)
    candidate.save()

    with pytest.raises(ValidationError) as refused:
        move(candidate, secretariat, stage=Stage.STATUS_GRANTED, on=D(2026, 5, 20), decision=grant)

    assert "cannot come before" in refused.value.message_dict["on"][0]


def test_an_inactive_country_that_resumes_is_active_again_from_that_date(pathfinder, secretariat):
    move(pathfinder, secretariat, stage=Stage.INACTIVE, on=D(2024, 1, 10))
    move(pathfinder, secretariat, stage=Stage.IMPLEMENTING, on=D(2025, 2, 1))

    pathfinder.refresh_from_db()
    assert pathfinder.inactive_since == D(2024, 1, 10)
    assert pathfinder.reactivated_on == D(2025, 2, 1)
    assert pathfinder.stage == Stage.IMPLEMENTING


@pytest.mark.parametrize("who", ["gcg_member", "focal_point"])
def test_only_the_secretariat_moves_a_country(who, request, candidate, grant):
    with pytest.raises(PermissionDenied):
        move(
            candidate,
            request.getfixturevalue(who),
            stage=Stage.STATUS_GRANTED,
            on=D(2026, 5, 12),
            decision=grant,
        )


# --- The page ------------------------------------------------------------------------------


def stage_url(iso: str = "FJ") -> str:
    return reverse("pathfinders:country_stage", args=[iso])


def test_the_secretariat_moves_a_country_from_the_portal(candidate, grant, client_for, secretariat):
    response = client_for(secretariat).post(
        stage_url(), {"stage": "status_granted", "on": "2026-05-12", "decision": grant.pk}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("pathfinders:country_detail", args=["FJ"])
    page = client_for(secretariat).get(response["Location"]).content.decode()
    assert "Roadmap submitted → Pathfinder status granted" in page
    assert grant.reference in page


def test_a_refused_change_says_why_beside_the_field_and_keeps_what_was_typed(
    candidate, client_for, secretariat
):
    response = client_for(secretariat).post(
        stage_url(), {"stage": "status_granted", "on": "2026-05-12", "note": "At the 20th"}
    )

    text = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_decision_error"' in text
    assert "Choose the GCG decision that granted Pathfinder status." in text
    assert 'value="2026-05-12"' in text and 'value="At the 20th"' in text


def test_the_form_offers_only_decisions_that_grant_status(
    candidate, grant, client_for, secretariat
):
    other = DecisionFactory(kind="other", text="The GCG took note of the workplan.")

    text = client_for(secretariat).get(stage_url()).content.decode()

    assert grant.reference in text and other.reference not in text


@pytest.mark.parametrize(("who", "status"), [("gcg_member", 403), ("outsider", 404)])
def test_readers_may_not_change_a_stage_and_outsiders_do_not_see_the_page(
    who, status, request, candidate, client_for
):
    response = client_for(request.getfixturevalue(who)).get(stage_url())

    assert response.status_code == status


def test_a_focal_point_may_not_move_their_own_country(candidate, grant, client_for, focal_point):
    response = client_for(focal_point).post(
        stage_url(), {"stage": "status_granted", "on": "2026-05-12", "decision": grant.pk}
    )

    assert response.status_code == 403
    candidate.refresh_from_db()
    assert candidate.stage == Stage.ROADMAP_SUBMITTED


def test_anonymous_visitors_are_sent_to_sign_in(candidate, client):
    response = client.get(stage_url())

    assert response.status_code == 302


def test_the_country_page_offers_the_change_to_the_secretariat_only(
    candidate, client_for, secretariat, gcg_member
):
    page = reverse("pathfinders:country_detail", args=["FJ"])

    assert stage_url() in client_for(secretariat).get(page).content.decode()
    assert stage_url() not in client_for(gcg_member).get(page).content.decode()


# --- The admin goes through the same service -----------------------------------------------


def admin_data(pathfinder: PathfinderCountry, **changes) -> dict:
    data = {
        "country": pathfinder.country_id,
        "stage": pathfinder.stage,
        "lead_ministry": pathfinder.lead_ministry,
        "coordination_mechanism": "",
        "interest_expressed_on": pathfinder.interest_expressed_on or "",
        "workshop_held_on": pathfinder.workshop_held_on or "",
        "roadmap_submitted_on": pathfinder.roadmap_submitted_on or "",
        "status_granted_on": "",
        "status_decision": "",
        "implementation_started_on": "",
        "inactive_since": "",
        "reactivated_on": "",
        "is_public": "on",
        "public_summary": "",
        "website": "",
        "roadmaps-TOTAL_FORMS": "0",
        "roadmaps-INITIAL_FORMS": "0",
        "roadmaps-MIN_NUM_FORMS": "0",
        "roadmaps-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def admin_change(pathfinder) -> str:
    return reverse("admin:pathfinders_pathfindercountry_change", args=[pathfinder.pk])


def test_a_stage_changed_in_the_admin_is_recorded_as_in_the_portal(
    candidate, grant, client_for, secretariat
):
    response = client_for(secretariat).post(
        admin_change(candidate),
        admin_data(
            candidate,
            stage="status_granted",
            status_granted_on="2026-05-12",
            status_decision=grant.pk,
        ),
    )

    assert response.status_code == 302
    latest = selectors.journey_history(pathfinder=candidate)[0]
    assert latest["stage"] == Stage.STATUS_GRANTED.label and latest["by"] == secretariat
    assert latest["decision"] == grant


def test_the_admin_refuses_status_without_a_decision_beside_the_field(
    candidate, client_for, secretariat
):
    response = client_for(secretariat).post(
        admin_change(candidate),
        admin_data(candidate, stage="status_granted", status_granted_on="2026-05-12"),
    )

    assert response.status_code == 200
    assert "Choose the GCG decision that granted Pathfinder status." in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.stage == Stage.ROADMAP_SUBMITTED
