"""The event outcome PDF report, rendered for real and read back."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from alliance87.reports import services
from tests.factories import OrganisationFactory
from tests.pdf import pdf_text
from workshops.models import Output

from .factories import (
    AgendaItemFactory,
    CoLeadFactory,
    EventFactory,
    FollowUpActionFactory,
    OutputFactory,
    ParticipantFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    event = EventFactory(title="Strategy workshop", kind="strategy_workshop", is_public=False)
    item = AgendaItemFactory(
        event=event,
        title="Financing SDG Target 8.7",
        expected_output="Collective analysis of target 8.7 development finance gaps",
    )
    CoLeadFactory(
        agenda_item=item, organisation=OrganisationFactory(name="United States", acronym="US")
    )
    CoLeadFactory(
        agenda_item=item,
        organisation=OrganisationFactory(name="International Labour Organization", acronym="ILO"),
    )
    meeting = EventFactory(title="GCG meeting", start_date=datetime.date(2022, 12, 8))
    OutputFactory(
        event=event,
        agenda_item=item,
        title="Gap analysis",
        status=Output.Status.ADOPTED,
        decided_at=meeting,
        decided_on=datetime.date(2022, 12, 8),
    )
    FollowUpActionFactory(
        event=event, description="Publish the gap analysis", due_date=datetime.date(2023, 3, 1)
    )
    ParticipantFactory(event=event, name="Ana Ruiz", dietary_requirements="No gluten, please")
    return event


def test_the_outcome_report_prints_agenda_co_leads_outputs_and_follow_ups(
    workshop, gcg_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = services.report_request(
            user=gcg_member, kind="event_outcome", parameters={"event": workshop.pk}, language="en"
        )
    report.refresh_from_db()

    text = pdf_text(report)
    assert report.status == "done", report.error_detail
    assert "Event outcome report" in text and "Strategy workshop" in text
    assert "Financing SDG Target 8.7" in text and "Co-leads: US, ILO" in text
    assert "Collective analysis of target 8.7 development finance gaps" in text
    assert "Adopted Gap analysis" in text
    assert "Publish the gap analysis" in text and "Overdue" in text
    assert "No gluten" not in text and "Ana Ruiz" not in text  # participants stay private


def test_a_focal_point_cannot_ask_for_the_report_of_an_event_they_may_not_see(
    workshop, focal_point
):
    with pytest.raises(PermissionDenied):
        services.report_request(
            user=focal_point, kind="event_outcome", parameters={"event": workshop.pk}, language="en"
        )


def test_the_country_dossier_lists_the_events_held_in_the_country(
    country, gcg_member, settings, tmp_path, django_capture_on_commit_callbacks
):
    from tests.pathfinders.factories import PathfinderFactory

    settings.MEDIA_ROOT = tmp_path
    PathfinderFactory(country=country)
    EventFactory(title="Fiji national planning forum", country=country, kind="national_workshop")
    EventFactory(title="Somewhere else entirely")

    with django_capture_on_commit_callbacks(execute=True):
        report, _ = services.report_request(
            user=gcg_member, kind="country_dossier", parameters={"country": "FJ"}, language="en"
        )
    report.refresh_from_db()

    text = pdf_text(report)
    assert "Fiji national planning forum" in text
    assert "Somewhere else entirely" not in text
