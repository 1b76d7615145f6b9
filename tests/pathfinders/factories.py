import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from pathfinders.models import (
    Commitment,
    FrameworkVersion,
    Indicator,
    IndicatorType,
    PathfinderCountry,
    ProgressReport,
    ReportingPeriod,
    Roadmap,
    Stage,
)
from tests.factories import CountryFactory


class PathfinderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PathfinderCountry
        django_get_or_create = ["country"]

    country = factory.SubFactory(CountryFactory)
    stage = Stage.IMPLEMENTING
    interest_expressed_on = datetime.date(2018, 10, 4)
    workshop_held_on = datetime.date(2019, 8, 22)
    roadmap_submitted_on = datetime.date(2019, 12, 9)
    status_granted_on = datetime.date(2020, 5, 19)
    implementation_started_on = datetime.date(2020, 7, 1)
    lead_ministry = "Ministry of Employment"


class RoadmapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Roadmap

    pathfinder = factory.SubFactory(PathfinderFactory)
    title = factory.Sequence(lambda n: f"National roadmap {n}")
    starts_year = 2020
    ends_year = 2026


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    roadmap = factory.SubFactory(RoadmapFactory)
    code = factory.Sequence(lambda n: f"{n // 9 + 1}.{n % 9 + 1}")
    title = factory.Sequence(lambda n: f"Commitment {n}")
    themes = factory.LazyFunction(lambda: ["child_labour"])
    responsible_institution = "Labour Inspectorate"
    target_date = datetime.date(2026, 12, 31)
    budget = Decimal("100000")


class FrameworkVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FrameworkVersion
        django_get_or_create = ["number"]

    number = factory.Sequence(lambda n: n + 1)
    title = "Accountability framework"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    version = factory.SubFactory(FrameworkVersionFactory)
    code = factory.Sequence(lambda n: f"IN{n}")
    title = factory.Sequence(lambda n: f"Indicator {n}")
    pillar = "Prevention and protection"
    kind = IndicatorType.NUMBER
    baseline = Decimal(0)
    target = Decimal(100)
    target_year = 2030
    order = factory.Sequence(lambda n: n)


class PeriodFactory(factory.django.DjangoModelFactory):
    """Open today, due in three weeks."""

    class Meta:
        model = ReportingPeriod

    label = factory.Sequence(lambda n: f"Period {n}")
    framework_version = factory.SubFactory(FrameworkVersionFactory)
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=21))
    grace_days = 7


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressReport

    pathfinder = factory.SubFactory(PathfinderFactory)
    period = factory.SubFactory(PeriodFactory)
