import datetime

import pytest
from django.utils import timezone

from demo import pathfinders as demo
from demo.accounts import seed_users
from pathfinders.models import (
    FrameworkVersion,
    PathfinderCountry,
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
)
from pathfinders.selectors import current_period


@pytest.fixture
def seeded(db):
    demo.seed_countries()
    seed_users()
    demo.seed()


def counts() -> tuple[int, ...]:
    return (
        PathfinderCountry.objects.count(),
        ProgressReport.objects.count(),
        ReportingPeriod.objects.count(),
    )


def test_demo_has_the_named_pathfinders_at_various_stages_and_seeds_idempotently(seeded):
    before = counts()
    demo.seed()

    assert counts() == before
    assert PathfinderCountry.objects.count() == 26
    assert PathfinderCountry.objects.values("stage").distinct().count() == 6
    fiji = PathfinderCountry.objects.get(country__iso_code="FJ")
    assert fiji.workshop_held_on == datetime.date(2019, 8, 22)
    congo = PathfinderCountry.objects.get(country__iso_code="CD")
    assert congo.interest_expressed_on == datetime.date(2020, 10, 28)


def test_demo_framework_periods_and_reports(seeded):
    latest = FrameworkVersion.objects.get(number=2)
    assert latest.indicators.count() == 15
    assert latest.indicators.values("pillar").distinct().count() == 5

    today = timezone.localdate()
    periods = list(ReportingPeriod.objects.order_by("opens_on"))

    assert len(periods) == 4
    assert all(p.deadline < today for p in periods[:3])
    assert current_period() == periods[3] and periods[3].due_on > today

    assert set(ProgressReport.objects.values_list("status", flat=True)) == set(ReportStatus.values)
    open_period = current_period()
    fiji = ProgressReport.objects.get(pathfinder__country__iso_code="FJ", period=open_period)
    assert fiji.status == ReportStatus.DRAFT
    assert fiji.created_by.email == "focal.point@alliance87.test"
    ivory = ProgressReport.objects.get(pathfinder__country__iso_code="CI", period=open_period)
    assert ivory.status == ReportStatus.RETURNED
    assert ivory.review_comments.exists()
