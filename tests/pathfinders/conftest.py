import pytest

from pathfinders.models import IndicatorType
from tests.factories import FocalPointFactory

from .factories import (
    CommitmentFactory,
    FrameworkVersionFactory,
    IndicatorFactory,
    PathfinderFactory,
    PeriodFactory,
    ReportFactory,
    RoadmapFactory,
)


@pytest.fixture
def framework(db):
    """A framework version with one indicator of each type."""
    version = FrameworkVersionFactory(number=1)
    IndicatorFactory(
        version=version,
        code="NUM",
        kind=IndicatorType.NUMBER,
        baseline=0,
        target=1000,
        minimum=0,
        maximum=100000,
        order=1,
    )
    IndicatorFactory(
        version=version,
        code="PCT",
        kind=IndicatorType.PERCENTAGE,
        baseline=20,
        target=10,
        direction="decrease",
        order=2,
    )
    IndicatorFactory(
        version=version, code="YN", kind=IndicatorType.YES_NO, baseline=0, target=1, order=3
    )
    IndicatorFactory(
        version=version,
        code="MS",
        kind=IndicatorType.MILESTONE,
        baseline=None,
        target=None,
        target_date="2026-06-30",
        order=4,
    )
    IndicatorFactory(
        version=version, code="TXT", kind=IndicatorType.TEXT, baseline=None, target=None, order=5
    )
    return version


@pytest.fixture
def indicators(framework):
    return {i.code: i for i in framework.indicators.all()}


@pytest.fixture
def period(framework):
    return PeriodFactory(label="2026 H1", framework_version=framework)


@pytest.fixture
def pathfinder(country):
    return PathfinderFactory(country=country)


@pytest.fixture
def other_pathfinder(other_country):
    return PathfinderFactory(country=other_country)


@pytest.fixture
def commitments(pathfinder):
    roadmap = RoadmapFactory(pathfinder=pathfinder, title="Fiji roadmap")
    return [
        CommitmentFactory(roadmap=roadmap, code="1.1", title="Revise the hazardous work list"),
        CommitmentFactory(roadmap=roadmap, code="1.2", title="Extend child labour monitoring"),
    ]


@pytest.fixture
def report(pathfinder, period, commitments, focal_point):
    return ReportFactory(pathfinder=pathfinder, period=period, created_by=focal_point)


@pytest.fixture
def other_report(other_pathfinder, period):
    return ReportFactory(pathfinder=other_pathfinder, period=period)


@pytest.fixture
def second_focal_point(country):
    return FocalPointFactory(
        country=country,
        user__email="workers@example.org",
        user__language="fr",
        user__first_name="Jone",
        capacity="workers",
    ).user


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = (
    bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 40
)
