import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pathfinders.models import (
    Commitment,
    CommitmentUpdate,
    Indicator,
    IndicatorType,
    IndicatorValue,
    PathfinderCountry,
)

from .factories import CommitmentFactory, PathfinderFactory, RoadmapFactory


def test_stage_needs_the_date_it_was_reached(country):
    pathfinder = PathfinderCountry(
        country=country, stage="workshop_held", interest_expressed_on=datetime.date(2019, 1, 1)
    )

    with pytest.raises(ValidationError) as caught:
        pathfinder.full_clean()
    assert "workshop_held_on" in caught.value.message_dict


def test_journey_steps_cannot_go_back_in_time(country):
    pathfinder = PathfinderCountry(
        country=country,
        stage="workshop_held",
        interest_expressed_on=datetime.date(2019, 5, 1),
        workshop_held_on=datetime.date(2019, 1, 1),
    )

    with pytest.raises(ValidationError) as caught:
        pathfinder.full_clean()
    assert "workshop_held_on" in caught.value.message_dict


def test_journey_lists_every_step_with_its_date(pathfinder):
    journey = pathfinder.journey

    assert [step["stage"] for step in journey][:2] == ["expressed_interest", "workshop_held"]
    assert journey[1]["date"] == datetime.date(2019, 8, 22)
    assert [step["current"] for step in journey].count(True) == 1


def test_commitment_themes_are_stored_as_a_list_and_found_by_theme(db):
    commitment = CommitmentFactory(themes=["forced_labour", "human_trafficking"])
    CommitmentFactory(themes=["child_labour"])

    commitment.refresh_from_db()
    assert commitment.themes == ["forced_labour", "human_trafficking"]
    assert list(Commitment.objects.filter(themes__contains=",human_trafficking,")) == [commitment]
    assert commitment.theme_labels == ["Forced labour", "Human trafficking"]


def test_commitment_refuses_an_unknown_theme(db):
    commitment = CommitmentFactory.build(roadmap=RoadmapFactory(), themes=["fishing"])

    with pytest.raises(ValidationError) as caught:
        commitment.full_clean()
    assert "themes" in caught.value.message_dict


def test_milestone_indicator_needs_a_target_date(framework):
    indicator = Indicator(
        version=framework, code="M2", title="Law", pillar="P", kind=IndicatorType.MILESTONE
    )

    with pytest.raises(ValidationError) as caught:
        indicator.full_clean()
    assert "target_date" in caught.value.message_dict


def test_percentage_indicator_target_is_within_0_to_100(framework):
    indicator = Indicator(
        version=framework,
        code="P2",
        title="Share",
        pillar="P",
        kind=IndicatorType.PERCENTAGE,
        target=Decimal(120),
    )

    with pytest.raises(ValidationError) as caught:
        indicator.full_clean()
    assert "target" in caught.value.message_dict


def test_value_checks_its_type_and_range(report, indicators):
    too_high = IndicatorValue(report=report, indicator=indicators["PCT"], value_number=Decimal(101))
    not_yes_no = IndicatorValue(report=report, indicator=indicators["YN"], value_number=Decimal(2))
    wrong_kind = IndicatorValue(report=report, indicator=indicators["MS"], value_text="soon")

    for value in (too_high, not_yes_no, wrong_kind):
        with pytest.raises(ValidationError):
            value.full_clean()


def test_update_needs_a_narrative_when_off_track(report, commitments):
    update = CommitmentUpdate(
        report=report, commitment=commitments[0], status="off_track", progress_percent=10
    )

    with pytest.raises(ValidationError) as caught:
        update.full_clean()
    assert "narrative" in caught.value.message_dict


def test_timeliness_counts_the_grace_days(report):
    period = report.period
    report.first_submitted_at = datetime.datetime.combine(
        period.due_on + datetime.timedelta(days=period.grace_days), datetime.time(12), datetime.UTC
    )
    assert report.is_on_time is True

    report.first_submitted_at += datetime.timedelta(days=1)
    assert report.is_on_time is False


def test_one_pathfinder_per_country(pathfinder):
    assert PathfinderFactory(country=pathfinder.country) == pathfinder
