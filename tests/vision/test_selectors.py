"""The vision page's figures, each recomputed here from the raw records."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from pathfinders import selectors as pathfinder_selectors
from pathfinders.models import CommitmentStatus, Stage
from tests.factories import CountryFactory
from tests.financing.factories import FundingFlowFactory, FundingRequirementFactory
from tests.pathfinders.factories import (
    CommitmentFactory,
    FrameworkVersionFactory,
    IndicatorFactory,
    PathfinderFactory,
    PeriodFactory,
    RoadmapFactory,
)
from tests.workshops.factories import EventFactory
from vision import selectors
from workshops.models import Event

from .factories import (
    EstimateSeriesFactory,
    GlobalEstimateFactory,
    child_labour_estimates,
    forced_labour_estimates,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 6)


def test_the_2025_deadline_has_passed_and_the_2030_one_is_ahead():
    rows = {row["year"]: row for row in selectors.deadlines(today=TODAY)}

    assert rows[2025]["passed"] and rows[2025]["days_since"] == 340
    assert rows[2025]["themes"] == ["Child labour"]
    assert not rows[2030]["passed"]
    assert rows[2030]["days_left"] == (datetime.date(2030, 12, 31) - TODAY).days
    assert set(rows[2030]["themes"]) == {"Forced labour", "Modern slavery", "Human trafficking"}


def test_child_labour_pace_measured_and_needed_follow_from_the_two_estimates():
    child_labour_estimates()

    trend = selectors.estimates_progress(today=TODAY)["tracked"][0]["trend"]

    measured = (Decimal(160) - Decimal(138)) / (2024 - 2020)
    needed = Decimal(138) / (2025 - 2024)
    assert trend["measured"] == measured == Decimal("5.5")
    assert trend["needed"] == needed
    assert trend["projected"] == Decimal(138) - measured * (2025 - 2024)
    assert trend["zero_year"] == int(2024 + Decimal(138) / measured) == 2049
    assert trend["deadline_passed"]


def test_the_arithmetic_is_written_out_and_the_missed_target_said_plainly():
    child_labour_estimates()

    trend = selectors.estimates_progress(today=TODAY)["tracked"][0]["trend"]

    assert (
        "Pace measured: (160 − 138) million children ÷ (2024 − 2020) years = 5.5 million "
        "children fewer a year." in trend["lines"]
    )
    assert any(
        "138 million children ÷ (2025 − 2024) years = 138" in line for line in trend["lines"]
    )
    assert any("25.1 times the pace measured" in line for line in trend["lines"])
    assert "target was missed" in trend["status"] and "138 million children" in trend["status"]


def test_a_rising_figure_is_named_as_rising_and_never_reaching_zero():
    forced_labour_estimates()

    trend = selectors.estimates_progress(today=TODAY)["tracked"][0]["trend"]

    assert trend["measured"] == (Decimal("24.9") - Decimal(28)) / 5
    assert trend["needed"] == Decimal(28) / (2030 - 2021)
    assert any("0.62 million people more a year" in line for line in trend["lines"])
    assert any("never reaches zero" in line for line in trend["lines"])
    assert "days are left until the end of 2030" in trend["status"]


def test_a_single_estimate_measures_no_pace_and_a_context_series_gets_no_trend():
    GlobalEstimateFactory(series=EstimateSeriesFactory(measure="Hazardous"), figure=79)
    GlobalEstimateFactory(
        series=EstimateSeriesFactory(measure="In agriculture", measures_target=False), figure=112
    )

    result = selectors.estimates_progress(today=TODAY)

    assert [row["series"].measure for row in result["tracked"]] == ["Hazardous"]
    assert result["tracked"][0]["trend"]["lines"][0].startswith("Only one estimate")
    assert [row["series"].measure for row in result["context"]] == ["In agriculture"]
    assert result["context"][0]["chart"] is None


def test_the_estimates_chart_runs_year_by_year_to_the_deadline():
    child_labour_estimates()

    chart = str(selectors.estimates_progress(today=TODAY)["tracked"][0]["chart"])

    for year in range(2020, 2026):
        assert f">{year}</text>" in chart
    assert "Pace needed" in chart and "At the pace measured" in chart


# --- The pipeline -------------------------------------------------------------------------


def _journey(iso: str, region: str, stage: str, **dates):
    steps = dict.fromkeys(
        [
            "interest_expressed_on",
            "workshop_held_on",
            "roadmap_submitted_on",
            "status_granted_on",
            "implementation_started_on",
        ]
    )
    return PathfinderFactory(
        country=CountryFactory(iso_code=iso, name=f"Land {iso}", ilo_region=region),
        stage=stage,
        **{**steps, **dates},
    )


@pytest.fixture
def journeys():
    d = datetime.date
    return [
        _journey(
            "XA",
            "africa",
            Stage.WORKSHOP_HELD,
            interest_expressed_on=d(2020, 1, 1),
            workshop_held_on=d(2020, 3, 1),
        ),
        _journey(
            "XB",
            "africa",
            Stage.ROADMAP_SUBMITTED,
            interest_expressed_on=d(2020, 1, 1),
            workshop_held_on=d(2020, 1, 31),
            roadmap_submitted_on=d(2020, 6, 1),
        ),
        _journey(
            "XC",
            "americas",
            Stage.INACTIVE,
            interest_expressed_on=d(2021, 1, 1),
            inactive_since=d(2021, 4, 1),
        ),
    ]


def test_the_funnel_counts_countries_at_and_past_each_stage(journeys):
    result = pathfinder_selectors.journey_pipeline(params={}, today=TODAY)

    stages = {row["stage"]: row for row in result["stages"]}
    assert result["total"] == 3
    assert stages[Stage.EXPRESSED_INTEREST]["reached"] == 3
    assert stages[Stage.EXPRESSED_INTEREST]["count"] == 0
    assert stages[Stage.WORKSHOP_HELD]["reached"] == 2
    assert [c["name"] for c in stages[Stage.WORKSHOP_HELD]["countries"]] == ["Land XA"]
    assert [c["name"] for c in stages[Stage.ROADMAP_SUBMITTED]["countries"]] == ["Land XB"]
    assert [c["name"] for c in stages[Stage.INACTIVE]["countries"]] == ["Land XC"]


def test_time_at_a_stage_is_averaged_over_the_countries_that_moved_on(journeys):
    result = pathfinder_selectors.journey_pipeline(params={}, today=TODAY)

    stages = {row["stage"]: row for row in result["stages"]}
    d = datetime.date
    spent = [
        (d(2020, 3, 1) - d(2020, 1, 1)).days,  # XA to its workshop: 60 days
        (d(2020, 1, 31) - d(2020, 1, 1)).days,  # XB: 30 days
        (d(2021, 4, 1) - d(2021, 1, 1)).days,  # XC until it became inactive: 90 days
    ]
    assert stages[Stage.EXPRESSED_INTEREST]["moved_on"] == 3
    assert stages[Stage.EXPRESSED_INTEREST]["average_days"] == sum(spent) / 3 == 60
    assert stages[Stage.EXPRESSED_INTEREST]["median_days"] == 60
    here = stages[Stage.WORKSHOP_HELD]["countries"][0]
    assert here["since"] == d(2020, 3, 1)
    assert here["days"] == (TODAY - d(2020, 3, 1)).days


def test_the_funnel_is_filtered_by_region(journeys):
    result = pathfinder_selectors.journey_pipeline(params={"region": "americas"}, today=TODAY)

    assert result["total"] == 1
    assert sum(row["count"] for row in result["stages"]) == 1


def test_an_unknown_region_is_refused_beside_its_field_and_every_country_shown(journeys):
    result = pathfinder_selectors.journey_pipeline(params={"region": "atlantis"}, today=TODAY)

    assert result["total"] == 3
    assert "region" in result["filter"].form.errors


# --- The Durban Call to Action ----------------------------------------------------------


def test_commitments_are_rolled_up_by_area_across_countries():
    for iso, progress, status in (
        ("XA", 40, CommitmentStatus.ON_TRACK),
        ("XB", 60, CommitmentStatus.DELAYED),
    ):
        roadmap = RoadmapFactory(pathfinder=PathfinderFactory(country=CountryFactory(iso_code=iso)))
        CommitmentFactory(
            roadmap=roadmap,
            durban_areas=["agriculture"],
            progress_percent=progress,
            status=status,
        )
    CommitmentFactory(durban_areas=["education"], progress_percent=10)

    rollup = {row["area"]: row for row in selectors.durban_rollup(events=Event.objects.all())}

    agriculture = rollup["agriculture"]["commitments"]
    assert agriculture["count"] == 2 and agriculture["countries"] == 2
    assert agriculture["average_progress"] == (40 + 60) / 2
    assert {s["status"]: s["count"] for s in agriculture["statuses"]} == {
        "on_track": 1,
        "delayed": 1,
    }
    assert rollup["decent_work"]["commitments"] is None
    assert [row["number"] for row in selectors.durban_rollup(events=Event.objects.all())] == [
        1,
        2,
        3,
        4,
        5,
        6,
    ]


def test_funding_by_area_counts_tagged_requirements_and_committed_flows_only():
    fiji = CountryFactory(iso_code="FJ")
    FundingRequirementFactory(country=fiji, durban_areas=["agriculture"], amount=Decimal(100000))
    FundingFlowFactory(country=fiji, durban_areas=["agriculture", "education"], amount=40000)
    FundingFlowFactory(country=fiji, durban_areas=["agriculture"], amount=5000, status="pledged")
    FundingFlowFactory(country=fiji, durban_areas=[], amount=Decimal(99999))

    rollup = {row["area"]: row for row in selectors.durban_rollup(events=Event.objects.all())}

    agriculture = rollup["agriculture"]["funding"]
    assert agriculture["requirement"] == 100000
    assert agriculture["funded"] == 40000
    assert agriculture["pledged"] == 5000
    assert agriculture["gap"] == 100000 - 40000
    assert agriculture["coverage"] == Decimal("40.0")
    assert rollup["education"]["funding"]["funded"] == 40000
    assert rollup["financing"]["funding"]["funded"] == 0


def test_indicators_and_events_are_listed_under_their_areas():
    version = FrameworkVersionFactory(number=1)
    PeriodFactory(framework_version=version, opens_on=TODAY - datetime.timedelta(days=5))
    IndicatorFactory(version=version, code="DA2", durban_areas=["prevention", "agriculture"])
    IndicatorFactory(version=version, code="EN1")
    held = EventFactory(title="Strategy workshop", durban_areas=["prevention"])
    EventFactory(title="Cancelled", durban_areas=["prevention"], status=Event.Status.CANCELLED)

    rollup = {row["area"]: row for row in selectors.durban_rollup(events=Event.objects.all())}

    assert [i.code for i in rollup["prevention"]["indicators"]] == ["DA2"]
    assert [i.code for i in rollup["agriculture"]["indicators"]] == ["DA2"]
    assert rollup["prevention"]["events"] == [held]
    assert rollup["education"]["events"] == []


# --- The accountability framework's headline figures -------------------------------------


def test_the_headline_figures_are_the_overviews_for_every_country(accepted, gcg_member):
    headline = pathfinder_selectors.accountability_headline()
    overview = pathfinder_selectors.overview(
        pathfinders=pathfinder_selectors.visible_pathfinders(gcg_member), params={}
    )

    assert headline["figures"] == overview["figures"]
    assert [(r.label, r.rates) for r in headline["region_rates"]] == [
        (r.label, r.rates) for r in overview["region_rates"]
    ]
    ratings = {}
    for row in overview["rows"]:
        counts = ratings.setdefault(row["region"], {"green": 0, "amber": 0, "red": 0, "none": 0})
        counts[row["rating"].level or "none"] += 1
    assert dict(headline["regions"]) == ratings


def test_the_funnel_names_and_orders_the_countries_in_the_readers_language():
    for iso, name in [("FJ", "Fiji"), ("EG", "Egypt"), ("EC", "Ecuador")]:
        PathfinderFactory(country=CountryFactory(iso_code=iso, name=name), stage=Stage.IMPLEMENTING)

    with translation.override("fr"):
        result = pathfinder_selectors.journey_pipeline(params={}, today=TODAY)

    stages = {row["stage"]: row for row in result["stages"]}
    names = [c["name"] for c in stages[Stage.IMPLEMENTING]["countries"]]
    assert names == ["Égypte", "Équateur", "Fidji"]
