import datetime

import pytest

from pathfinders.models import IndicatorValue, ReportStatus
from tests.pathfinders.conftest import (  # noqa: F401  (fixtures shared with this area)
    commitments,
    framework,
    indicators,
    other_pathfinder,
    pathfinder,
    period,
)
from tests.pathfinders.factories import PeriodFactory, ReportFactory


@pytest.fixture
def accepted(pathfinder, other_pathfinder, framework, indicators):  # noqa: F811
    """Fiji's accepted report for 2025, and Ghana (Africa) without one."""
    past = PeriodFactory(
        label="2025",
        framework_version=framework,
        opens_on=datetime.date(2025, 1, 15),
        due_on=datetime.date(2025, 3, 31),
    )
    report = ReportFactory(
        pathfinder=pathfinder,
        period=past,
        status=ReportStatus.ACCEPTED,
        first_submitted_at=datetime.datetime(2025, 3, 20, tzinfo=datetime.UTC),
        accepted_at=datetime.datetime(2025, 4, 2, tzinfo=datetime.UTC),
    )
    IndicatorValue.objects.create(report=report, indicator=indicators["NUM"], value_number=640)
    return report
