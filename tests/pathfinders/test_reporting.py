"""The reporting rules: who is expected, what is on time, the rates and the ratings."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest

from pathfinders import reporting
from pathfinders.models import IndicatorValue, ReportStatus, RoadmapTarget, Stage

from .factories import PathfinderFactory, PeriodFactory, ReportFactory, RoadmapFactory

D = datetime.date
UTC = datetime.UTC


def at(zone: str, *args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=zoneinfo.ZoneInfo(zone))


def number(baseline, target, value, direction="increase"):
    return reporting.share(
        "number",
        direction,
        reporting.Reference(Decimal(baseline), None, Decimal(target), None, None, own=False),
        (Decimal(value), None),
    )


# --- Ratings -----------------------------------------------------------------------------


def test_rating_is_green_from_60_percent_of_the_way_to_target():
    rating = reporting.rating_of([number(0, 100, 60), number(0, 100, 70), number(0, 100, 80)])

    assert rating.level == "green"
    assert rating.percent == 70
    assert rating.text == "Green (70%)"


def test_rating_counts_a_decrease_when_lower_is_better():
    rating = reporting.rating_of([number(20, 10, 17, "decrease")] * 3)

    assert (rating.level, rating.percent) == ("amber", 30)


def test_rating_caps_each_indicator_between_0_and_100_percent():
    rating = reporting.rating_of([number(0, 10, 50), number(0, 10, -5), number(0, 10, 0)])

    assert rating.score == pytest.approx(1 / 3)


@pytest.mark.parametrize(
    ("shares", "text"),
    [
        # 29.8 % is shown as 30 %, and 30 % is Amber: the band follows the number shown.
        ([0.298, 0.298, 0.298], "Amber (30%)"),
        ([0.294, 0.294, 0.294], "Red (29%)"),
        ([0.595, 0.595, 0.595], "Green (60%)"),
        ([0.5949, 0.5949, 0.5949], "Amber (59%)"),
    ],
)
def test_the_band_is_decided_on_the_whole_per_cent_shown(shares, text):
    assert reporting.rating_of(shares).text == text


def test_milestones_count_full_when_on_time_half_when_late_nothing_when_not_reached():
    reference = reporting.Reference(None, None, None, None, D(2025, 6, 30), own=False)

    def milestone(reached):
        return reporting.share("milestone", "increase", reference, (None, reached))

    assert milestone(D(2025, 6, 1)) == 1
    assert milestone(D(2025, 9, 1)) == 0.5
    assert milestone(None) == 0
    # No value at all in the report: not reached either.
    assert reporting.share("milestone", "increase", reference, None) == 0


def test_fewer_than_three_measured_indicators_is_not_rated():
    rating = reporting.rating_of([number(0, 100, 90), number(0, 100, 90)])

    assert rating.level == "" and rating.text == "Not rated"


def test_a_milestone_left_empty_in_an_accepted_report_counts_zero(pathfinder, period, indicators):
    report = ReportFactory(
        pathfinder=pathfinder,
        period=period,
        status=ReportStatus.ACCEPTED,
        first_submitted_at=datetime.datetime(2026, 1, 1, tzinfo=UTC),
        accepted_at=datetime.datetime(2026, 1, 2, tzinfo=UTC),
    )
    IndicatorValue.objects.create(report=report, indicator=indicators["NUM"], value_number=900)
    IndicatorValue.objects.create(report=report, indicator=indicators["PCT"], value_number=10)
    IndicatorValue.objects.create(report=report, indicator=indicators["YN"], value_number=1)

    rating = reporting.report_ratings(report_ids=[report.pk])[report.pk]

    # (0.9 + 1 + 1 + 0) / 4: the milestone MS, not reached, counts 0 %.
    assert (rating.rated, rating.percent, rating.level) == (4, 73, "green")


def test_a_country_target_replaces_the_framework_target(pathfinder, period, indicators):
    report = ReportFactory(
        pathfinder=pathfinder,
        period=period,
        status=ReportStatus.ACCEPTED,
        first_submitted_at=datetime.datetime(2026, 1, 1, tzinfo=UTC),
        accepted_at=datetime.datetime(2026, 1, 2, tzinfo=UTC),
    )
    for code, value in (("NUM", 500), ("PCT", 15), ("YN", 0)):
        IndicatorValue.objects.create(report=report, indicator=indicators[code], value_number=value)
    IndicatorValue.objects.create(
        report=report, indicator=indicators["MS"], value_date=D(2026, 1, 1)
    )
    framework = reporting.report_ratings(report_ids=[report.pk])[report.pk]
    roadmap = RoadmapFactory(pathfinder=pathfinder, starts_year=period.opens_on.year - 1)
    RoadmapTarget.objects.create(
        roadmap=roadmap, indicator=indicators["NUM"], baseline=250, target=500
    )

    own = reporting.report_ratings(report_ids=[report.pk])[report.pk]

    # Framework: (0.5 + 0.5 + 0 + 1) / 4 = 50 %; the country's own 250 -> 500: (1 + 0.5 + 0 + 1) / 4.
    assert (framework.percent, own.percent) == (50, 63)


# --- Expected to report ----------------------------------------------------------------------


@pytest.fixture
def period_2025(framework):
    return PeriodFactory(
        label="2025",
        framework_version=framework,
        opens_on=D(2026, 1, 15),
        due_on=D(2026, 3, 31),
        grace_days=14,
    )


def test_a_country_granted_status_after_the_due_date_is_not_expected(country, period_2025):
    late = PathfinderFactory(country=country, status_granted_on=D(2026, 12, 1))

    assert not late.is_expected_to_report(period_2025)


def test_a_country_granted_status_by_the_due_date_is_expected(country, period_2025):
    assert PathfinderFactory(
        country=country, status_granted_on=D(2026, 3, 31)
    ).is_expected_to_report(period_2025)


@pytest.mark.parametrize(
    ("inactive_since", "reactivated_on", "expected"),
    [
        (D(2025, 6, 1), None, False),  # inactive when the period opened
        (D(2026, 1, 15), None, False),  # inactive from the opening day
        (D(2026, 2, 1), None, True),  # became inactive after the period opened
        (D(2025, 6, 1), D(2026, 1, 10), True),  # active again before it opened
        (D(2025, 6, 1), D(2026, 2, 1), False),  # active again only after it opened
    ],
)
def test_a_country_inactive_when_the_period_opened_is_not_expected(
    country, period_2025, inactive_since, reactivated_on, expected
):
    pathfinder = PathfinderFactory(
        country=country,
        stage=Stage.INACTIVE if reactivated_on is None else Stage.IMPLEMENTING,
        inactive_since=inactive_since,
        reactivated_on=reactivated_on,
    )

    assert pathfinder.is_expected_to_report(period_2025) is expected


# --- On time, in the country's own time ---------------------------------------------------


def test_a_fiji_submission_after_local_midnight_on_the_deadline_is_late(framework):
    pathfinder = PathfinderFactory(
        country__iso_code="FJ", country__name="Fiji", country__time_zone="Pacific/Fiji"
    )
    period = PeriodFactory(
        framework_version=framework, opens_on=D(2026, 1, 15), due_on=D(2026, 3, 31), grace_days=0
    )
    # 11:43 on 1 April in Suva is still 31 March in UTC.
    submitted = at("Pacific/Fiji", 2026, 4, 1, 11, 43)
    assert submitted.astimezone(UTC).date() == D(2026, 3, 31)

    cell = reporting.cell_for(
        pathfinder=pathfinder,
        period=period,
        status=ReportStatus.SUBMITTED,
        first_submitted_at=submitted,
        now=at("UTC", 2026, 5, 1, 0, 0),
    )

    assert (cell.key, cell.on_time) == ("late", False)


def test_a_honduras_submission_in_the_evening_of_the_deadline_is_on_time(framework):
    pathfinder = PathfinderFactory(
        country__iso_code="HN", country__name="Honduras", country__time_zone="America/Tegucigalpa"
    )
    period = PeriodFactory(
        framework_version=framework, opens_on=D(2026, 1, 15), due_on=D(2026, 3, 31), grace_days=0
    )
    # 20:00 on 31 March in Tegucigalpa is already 1 April in UTC.
    submitted = at("America/Tegucigalpa", 2026, 3, 31, 20, 0)
    assert submitted.astimezone(UTC).date() == D(2026, 4, 1)

    cell = reporting.cell_for(
        pathfinder=pathfinder,
        period=period,
        status=ReportStatus.SUBMITTED,
        first_submitted_at=submitted,
        now=at("UTC", 2026, 5, 1, 0, 0),
    )

    assert (cell.key, cell.on_time) == ("on_time", True)


def test_overdue_starts_at_midnight_in_the_country(framework):
    pathfinder = PathfinderFactory(
        country__iso_code="FJ", country__name="Fiji", country__time_zone="Pacific/Fiji"
    )
    period = PeriodFactory(
        framework_version=framework, opens_on=D(2026, 1, 15), due_on=D(2026, 3, 31), grace_days=0
    )

    def key(now):
        return reporting.cell_for(
            pathfinder=pathfinder, period=period, status="", first_submitted_at=None, now=now
        ).key

    assert key(at("Pacific/Fiji", 2026, 3, 31, 23, 59)) == "not_due"
    assert key(at("Pacific/Fiji", 2026, 4, 1, 0, 0)) == "overdue"


# --- Rates ---------------------------------------------------------------------------------


def cell(expected, received=False, on_time=None, status=""):
    return reporting.Cell(
        pathfinder_id=1,
        period_id=1,
        expected=expected,
        status=status,
        received=received,
        on_time=on_time,
        key="on_time" if on_time else ("late" if received else "overdue"),
        closed=True,
    )


def test_rates_count_only_countries_expected_to_report():
    rates = reporting.rates(
        [
            cell(True, True, True, ReportStatus.ACCEPTED),
            cell(True, True, False, ReportStatus.SUBMITTED),
            cell(True),
            cell(False, True, True, ReportStatus.SUBMITTED),  # not expected: not counted
        ]
    )

    assert (rates.expected, rates.received, rates.on_time, rates.overdue) == (3, 2, 1, 1)
    assert (rates.completeness, rates.timeliness) == (67, 33)
    # Awaiting review counts every submitted report, expected or not.
    assert rates.awaiting_review == 2


def test_rates_of_nothing_expected_are_not_a_number():
    rates = reporting.rates([cell(False)])

    assert (rates.completeness, rates.timeliness) == (None, None)
