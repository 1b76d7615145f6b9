"""Pinned query counts: the pages ask the same number of questions for 5 or 50 countries."""

import datetime

import pytest
from django.urls import reverse

from pathfinders.models import IndicatorValue, ReportStatus
from tests.exports import csv_table
from tests.factories import CountryFactory

from .factories import (
    CommitmentFactory,
    PathfinderFactory,
    PeriodFactory,
    ReportFactory,
    RoadmapFactory,
)


@pytest.fixture
def build_countries(framework, period, country):
    past = PeriodFactory(
        label="2025",
        framework_version=framework,
        opens_on=datetime.date(2026, 1, 15),
        due_on=datetime.date(2026, 3, 31),
    )
    indicators = list(framework.indicators.all())

    def build(count: int) -> None:
        for index in range(count):
            # Codes from the user-assigned X? and Z? ranges never meet a real country's.
            iso_code = f"{'XZ'[index // 26]}{chr(65 + index % 26)}"
            place = (
                country
                if index == 0
                else CountryFactory(iso_code=iso_code, name=f"Land {iso_code}")
            )
            pathfinder = PathfinderFactory(country=place)
            roadmap = RoadmapFactory(pathfinder=pathfinder)
            CommitmentFactory(roadmap=roadmap, themes=["child_labour", "forced_labour"])
            CommitmentFactory(roadmap=roadmap)
            accepted = ReportFactory(
                pathfinder=pathfinder,
                period=past,
                status=ReportStatus.ACCEPTED,
                first_submitted_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC),
                accepted_at=datetime.datetime(2026, 3, 10, tzinfo=datetime.UTC),
            )
            draft = ReportFactory(pathfinder=pathfinder, period=period)
            IndicatorValue.objects.bulk_create(
                [
                    IndicatorValue(report=accepted, indicator=i, value_number=1)
                    for i in indicators[:3]
                ]
                + [
                    IndicatorValue(report=draft, indicator=i, value_number=1)
                    for i in indicators[:2]
                ]
            )

    return build


# Overview: session, user, the user's groups (role check), the countries, the opened
# periods; then, kept in the cache afterwards, every report's state, the indicator count,
# the period's reports with their filled values, the latest accepted reports, their
# framework's indicators, their values and the countries' own targets; the period choices
# of the filter form, and the session save (savepoint, update, release).
OVERVIEW_QUERIES = 16


@pytest.mark.parametrize("count", [5, 50])
def test_overview_query_count_does_not_grow_with_countries(
    count, build_countries, client_for, gcg_member, django_assert_num_queries
):
    build_countries(count)
    client = client_for(gcg_member)

    with django_assert_num_queries(OVERVIEW_QUERIES):
        response = client.get(
            reverse("pathfinders:overview"), {"theme": "child_labour", "sort": "rating"}
        )

    table = response.content.decode().split('class="pf-overview"')[1].split("</table>")[0]
    assert table.count('<th scope="row">') == count


@pytest.mark.parametrize("count", [5, 50])
def test_overview_csv_query_count_does_not_grow_with_countries(
    count, build_countries, client_for, gcg_member, django_assert_num_queries
):
    build_countries(count)
    client = client_for(gcg_member)

    # The overview's queries less the period choices, since no filter form is rendered.
    with django_assert_num_queries(OVERVIEW_QUERIES - 1):
        response = client.get(reverse("pathfinders:overview_export", args=["csv"]))

    assert len(csv_table(response)) == count + 1


# Country page: session, user, the country, groups, roadmaps, their commitments, reports,
# the opened periods; then, kept in the cache afterwards, the reports' states for the
# reporting record, and the country's rating (the indicator count, its report's filled
# values, its latest accepted report, that report's indicators, values and the country's
# own targets); focal points, trend values, the country's own targets for the trends, the
# journey's history with its people and decisions, and the session save (three).
COUNTRY_QUERIES = 22


@pytest.mark.parametrize("count", [5, 50])
def test_country_page_query_count_does_not_grow_with_countries(
    count, build_countries, client_for, gcg_member, django_assert_num_queries
):
    build_countries(count)
    client = client_for(gcg_member)

    with django_assert_num_queries(COUNTRY_QUERIES):
        response = client.get(reverse("pathfinders:country_detail", args=["FJ"]))

    assert response.status_code == 200


# Review queue: session, user, the staff authenticator check, groups, submitted reports,
# returned reports, the reminders due (periods, countries, their reports, reminders sent,
# focal points: pathfinders.reminders), the values of the submitted reports with their
# countries' earlier accepted values (the "needs a look" flags), and the session save (three).
QUEUE_QUERIES = 15


@pytest.mark.parametrize("count", [5, 50])
def test_review_queue_query_count_does_not_grow_with_reports(
    count, build_countries, client_for, secretariat, django_assert_num_queries
):
    from pathfinders.models import ProgressReport

    build_countries(count)
    ProgressReport.objects.filter(status=ReportStatus.DRAFT).update(
        status=ReportStatus.SUBMITTED,
        first_submitted_at=datetime.datetime.now(datetime.UTC),
        submitted_at=datetime.datetime.now(datetime.UTC),
    )
    client = client_for(secretariat)

    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(reverse("pathfinders:review_queue"))

    assert response.content.decode().count("Review<span") == count


@pytest.mark.parametrize("count", [5, 50])
def test_review_queue_query_count_does_not_grow_with_reminders_that_reach_nobody(
    count, build_countries, framework, client_for, secretariat, django_assert_num_queries
):
    build_countries(count)
    today = datetime.date.today()
    PeriodFactory(
        label="Due soon",
        framework_version=framework,
        opens_on=today - datetime.timedelta(days=30),
        due_on=today + datetime.timedelta(days=10),
    )
    client = client_for(secretariat)

    # No report is submitted, so the flags of submitted values are not read.
    with django_assert_num_queries(QUEUE_QUERIES - 1):
        response = client.get(reverse("pathfinders:review_queue"))

    assert response.content.decode().count(", Due soon, 14 days before the due date, ") == count


# Public list: session, the countries (no user to look up for a visitor).
@pytest.mark.parametrize("count", [5, 50])
def test_public_list_query_count_does_not_grow_with_countries(
    count, build_countries, client, django_assert_num_queries
):
    build_countries(count)

    with django_assert_num_queries(1):
        response = client.get(reverse("pathfinders:public_list"))

    assert response.status_code == 200
