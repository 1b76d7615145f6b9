"""The two PDF reports of this area, rendered for real and read back."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from alliance87.reports import services
from pathfinders.models import CommitmentUpdate, IndicatorValue, ReportStatus
from tests.pdf import pdf_text

from .factories import PathfinderFactory, PeriodFactory, ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def ask(user, kind, capture, **parameters):
    with capture(execute=True):
        report, _ = services.report_request(
            user=user, kind=kind, parameters=parameters, language="en"
        )
    report.refresh_from_db()
    assert report.status == "done", report.error_detail
    return report


@pytest.fixture
def accepted(pathfinder, framework, indicators, commitments):
    period = PeriodFactory(
        label="2025",
        framework_version=framework,
        opens_on=datetime.date(2025, 1, 15),
        due_on=datetime.date(2025, 3, 31),
    )
    report = ReportFactory(
        pathfinder=pathfinder,
        period=period,
        status=ReportStatus.ACCEPTED,
        first_submitted_at=datetime.datetime(2025, 3, 20, tzinfo=datetime.UTC),
        accepted_at=datetime.datetime(2025, 4, 2, tzinfo=datetime.UTC),
    )
    IndicatorValue.objects.create(
        report=report,
        indicator=indicators["NUM"],
        value_number=640,
        narrative='Inspections doubled. <img src="file:///etc/passwd">',
    )
    CommitmentUpdate.objects.create(
        report=report,
        commitment=commitments[0],
        status="delayed",
        progress_percent=35,
        narrative="The list waits for the tripartite committee.",
    )
    return report


def test_the_country_dossier_prints_journey_commitments_indicators_and_narratives(
    accepted, gcg_member, django_capture_on_commit_callbacks
):
    report = ask(gcg_member, "country_dossier", django_capture_on_commit_callbacks, country="FJ")

    text = pdf_text(report)
    assert "Pathfinder country accountability dossier" in text and "Fiji" in text
    assert "Revise the hazardous work list" in text and "Fiji roadmap" in text
    assert "640" in text and "1000" in text  # value against target
    assert 'Inspections doubled. <img src="file:///etc/passwd">' in text
    assert "The list waits for the tripartite committee." in text
    assert "On time" in text  # submitted 20 March, due 31 March


def test_a_focal_point_gets_the_dossier_of_their_country_but_not_of_another(
    accepted, focal_point, other_country, django_capture_on_commit_callbacks
):
    PathfinderFactory(country=other_country)

    ask(focal_point, "country_dossier", django_capture_on_commit_callbacks, country="FJ")
    with pytest.raises(PermissionDenied):
        services.report_request(
            user=focal_point, kind="country_dossier", parameters={"country": "GH"}, language="en"
        )


def test_the_alliance_report_lists_every_country_with_its_rating(
    accepted, other_pathfinder, gcg_member, django_capture_on_commit_callbacks
):
    report = ask(gcg_member, "alliance_accountability", django_capture_on_commit_callbacks)

    text = pdf_text(report)
    assert "Alliance-wide accountability report" in text
    assert "Fiji" in text and "Ghana" in text
    assert "Rating by region" in text and "Asia and the Pacific" in text


def test_the_alliance_report_is_not_for_focal_points(accepted, focal_point):
    with pytest.raises(PermissionDenied):
        services.report_request(
            user=focal_point, kind="alliance_accountability", parameters={}, language="en"
        )


def test_the_dossier_shows_the_countrys_requirement_against_its_funding(
    accepted, country, gcg_member, django_capture_on_commit_callbacks
):
    from decimal import Decimal

    from tests.financing.factories import FundingFlowFactory, FundingRequirementFactory

    FundingRequirementFactory(country=country, year=2024, amount=Decimal("250000"))
    FundingFlowFactory(country=country, year_start=2024, amount=Decimal("100000"))

    report = ask(gcg_member, "country_dossier", django_capture_on_commit_callbacks, country="FJ")

    text = pdf_text(report)
    assert "Funding" in text
    assert (
        "250,000" in text and "100,000" in text and "150,000" in text
    )  # requirement, committed, gap
