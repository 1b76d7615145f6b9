"""The Secretariat grants a candidate Pathfinder status and sees the pipeline change."""

import datetime

import pytest

from tests.browser.conftest import sign_in_through_form
from tests.factories import CountryFactory, SecretariatFactory
from tests.governance.factories import DecisionFactory
from tests.pathfinders.factories import PathfinderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setting():
    benin = CountryFactory(iso_code="BJ", name="Benin", ilo_region="africa")
    PathfinderFactory(
        country=benin,
        stage="roadmap_submitted",
        status_granted_on=None,
        implementation_started_on=None,
    )
    PathfinderFactory(country=CountryFactory(iso_code="FJ", name="Fiji", ilo_region="asia_pacific"))
    decision = DecisionFactory(
        kind="grant_pathfinder_status",
        meeting__date=datetime.date(2026, 5, 12),
        text="The GCG reviewed the roadmap of Benin and granted it Pathfinder status.",
    )
    return {"decision": decision, "secretariat": SecretariatFactory(email="sara@example.org")}


def stage_row(page, label: str):
    return page.locator("table.vision-pipeline tbody tr").filter(
        has=page.get_by_role("rowheader", name=label, exact=True)
    )


def test_the_secretariat_grants_status_with_a_decision_and_the_funnel_moves(
    page, live_server, setting
):
    sign_in_through_form(page, live_server, setting["secretariat"], next_path="/vision/")
    page.goto(f"{live_server.url}/vision/")

    submitted = stage_row(page, "Roadmap submitted")
    granted = stage_row(page, "Pathfinder status granted")
    assert submitted.locator("td").first.inner_text() == "1"
    assert granted.locator("td").first.inner_text() == "0"

    submitted.get_by_role("link", name="Change the stage of Benin").click()
    page.get_by_label("New stage").select_option(label="Pathfinder status granted")
    page.get_by_label("Date reached").fill("2026-05-12")
    page.get_by_label("GCG decision granting Pathfinder status").select_option(
        value=str(setting["decision"].pk)
    )
    page.get_by_label("Note for the country's history").fill("Roadmap reviewed at the GCG")
    page.get_by_role("button", name="Change the stage").click()

    assert page.get_by_text("Benin is now at the stage “Pathfinder status granted”.").is_visible()
    page.get_by_text("History of the journey").click()
    assert page.get_by_text("Roadmap submitted → Pathfinder status granted").is_visible()
    assert page.get_by_text(setting["decision"].reference).first.is_visible()

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Vision and progress"
    ).click()
    submitted = stage_row(page, "Roadmap submitted")
    granted = stage_row(page, "Pathfinder status granted")
    assert submitted.locator("td").first.inner_text() == "0"
    assert granted.locator("td").first.inner_text() == "1"
    assert granted.get_by_role("link", name="Benin", exact=True).is_visible()
