import datetime

import pytest
from django.urls import reverse

from pathfinders.models import (
    Commitment,
    Country,
    FocalPoint,
    FrameworkVersion,
    Indicator,
    IndicatorValue,
    PathfinderCountry,
    ProgressReport,
    ReminderSent,
    ReportingPeriod,
    ReportStatus,
    Roadmap,
)

MODELS = [
    Country,
    FocalPoint,
    PathfinderCountry,
    Roadmap,
    Commitment,
    FrameworkVersion,
    Indicator,
    IndicatorValue,
    ReportingPeriod,
    ProgressReport,
    ReminderSent,
    IndicatorValue,
]


def admin_url(model, action: str, *args) -> str:
    return reverse(f"admin:pathfinders_{model._meta.model_name}_{action}", args=args)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_secretariat_opens_every_admin_list_with_search_and_filters(
    model, client_for, secretariat, report
):
    response = client_for(secretariat).get(admin_url(model, "changelist"), {"q": "Fiji"})

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("model", "obj"),
    [
        (PathfinderCountry, "pathfinder"),
        (ProgressReport, "report"),
        (FrameworkVersion, "framework"),
    ],
)
def test_secretariat_opens_change_and_history_pages(
    model, obj, request, client_for, secretariat, report
):
    pk = request.getfixturevalue(obj).pk
    client = client_for(secretariat)

    assert client.get(admin_url(model, "change", pk)).status_code == 200
    assert client.get(admin_url(model, "history", pk)).status_code == 200


def test_gcg_member_cannot_open_the_admin(client_for, gcg_member):
    response = client_for(gcg_member).get(admin_url(PathfinderCountry, "changelist"))

    assert response.status_code == 302


def test_accepted_report_is_read_only_in_the_admin(client_for, secretariat, focal_point, report):
    report.status = ReportStatus.ACCEPTED
    report.first_submitted_at = report.accepted_at = datetime.datetime.now(datetime.UTC)
    report.save()

    response = client_for(secretariat).post(
        admin_url(ProgressReport, "change", report.pk), {"summary": "Changed"}
    )

    assert response.status_code == 403
    assert ProgressReport.objects.get(pk=report.pk).summary == ""


def test_indicators_of_a_version_answered_by_reports_are_frozen(
    client_for, secretariat, report, indicators
):
    indicator = indicators["NUM"]
    client = client_for(secretariat)

    page = client.get(admin_url(Indicator, "change", indicator.pk)).content.decode()
    client.post(admin_url(Indicator, "change", indicator.pk), {"title": "Rewritten"})

    assert 'name="title"' not in page
    assert Indicator.objects.get(pk=indicator.pk).title != "Rewritten"


def test_copying_a_version_in_the_admin_gives_an_editable_one(
    client_for, secretariat, report, framework
):
    client = client_for(secretariat)

    client.post(
        admin_url(FrameworkVersion, "changelist"),
        {
            "action": "copy_as_new_version",
            "_selected_action": [framework.pk],
        },
    )

    copy = FrameworkVersion.objects.get(number=2)
    assert copy.indicators.count() == 5
    page = client.get(admin_url(Indicator, "change", copy.indicators.first().pk)).content.decode()
    assert 'name="title"' in page


def test_indicator_values_list_across_reports_with_one_page_of_queries(
    client_for, secretariat, report, indicators, django_assert_num_queries
):
    for indicator in indicators.values():
        IndicatorValue.objects.create(report=report, indicator=indicator, value_text="x")
    client = client_for(secretariat)

    # session, user, two-factor check, two permission lookups, the period, version and pillar
    # filter choices, one COUNT for the pages (no second full count), the page of values with
    # report, country, period and indicator joined, the role for the navigation, session save.
    with django_assert_num_queries(14):
        response = client.get(admin_url(IndicatorValue, "changelist"))

    assert response.status_code == 200
    assert "Fiji" in response.content.decode()
