import datetime

import pytest

from pathfinders import selectors
from pathfinders.access import visible_pathfinders
from pathfinders.models import IndicatorValue, ReportStatus

from .factories import PeriodFactory, ReportFactory


def test_overview_rates_the_latest_accepted_report(
    gcg_member, pathfinder, framework, period, indicators
):
    older = PeriodFactory(
        label="2024",
        framework_version=framework,
        opens_on=datetime.date(2025, 1, 15),
        due_on=datetime.date(2025, 3, 31),
    )
    newer = PeriodFactory(
        label="2025",
        framework_version=framework,
        opens_on=datetime.date(2026, 1, 15),
        due_on=datetime.date(2026, 3, 31),
    )
    for item, value in ((older, 900), (newer, 100)):
        report = ReportFactory(
            pathfinder=pathfinder,
            period=item,
            status=ReportStatus.ACCEPTED,
            first_submitted_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
            accepted_at=datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC),
        )
        IndicatorValue.objects.create(
            report=report, indicator=indicators["NUM"], value_number=value
        )
        IndicatorValue.objects.create(report=report, indicator=indicators["PCT"], value_number=19)
        IndicatorValue.objects.create(report=report, indicator=indicators["YN"], value_number=0)

    row = selectors.overview(pathfinders=visible_pathfinders(gcg_member), params={})["rows"][0]

    assert row["rated_period"] == "2025"
    assert row["rating"].level == "red"  # (0.1 + 0.1 + 0 + 0) / 4: MS not reached


def test_overview_indicators_filled_is_the_share_of_indicators_with_a_value(
    gcg_member, report, indicators
):
    IndicatorValue.objects.create(report=report, indicator=indicators["NUM"], value_number=5)
    IndicatorValue.objects.create(report=report, indicator=indicators["TXT"], value_text="")
    IndicatorValue.objects.create(
        report=report, indicator=indicators["MS"], value_date="2026-01-01"
    )

    row = selectors.overview(pathfinders=visible_pathfinders(gcg_member), params={})["rows"][0]

    assert row["filled"] == 40  # 2 of 5


@pytest.mark.parametrize(
    ("days_after_due", "submitted_days_after_due", "expected"),
    [
        (-5, None, "not_due"),
        (3, None, "grace"),
        (8, None, "overdue"),
        (30, 7, "on_time"),
        (30, 8, "late"),
    ],
)
def test_overview_timeliness(
    gcg_member, pathfinder, framework, days_after_due, submitted_days_after_due, expected
):
    today = datetime.date.today()
    due = today - datetime.timedelta(days=days_after_due)
    period = PeriodFactory(
        framework_version=framework,
        opens_on=due - datetime.timedelta(days=60),
        due_on=due,
        grace_days=7,
    )
    if submitted_days_after_due is not None:
        submitted = datetime.datetime.combine(
            due + datetime.timedelta(days=submitted_days_after_due), datetime.time(9), datetime.UTC
        )
        ReportFactory(
            pathfinder=pathfinder,
            period=period,
            status=ReportStatus.SUBMITTED,
            first_submitted_at=submitted,
            submitted_at=submitted,
        )

    row = selectors.overview(pathfinders=visible_pathfinders(gcg_member), params={})["rows"][0]

    assert row["timeliness_key"] == expected
    assert row["overdue"] == (expected == "overdue")


def test_trends_follow_an_indicator_across_framework_versions(pathfinder, framework, indicators):
    from pathfinders.services import framework_version_copy

    second = framework_version_copy(version=framework)
    for label, version, year, value in (
        ("2024", framework, 2025, 100),
        ("2025", second, 2026, 300),
    ):
        period = PeriodFactory(
            label=label,
            framework_version=version,
            opens_on=datetime.date(year, 1, 15),
            due_on=datetime.date(year, 3, 31),
        )
        report = ReportFactory(
            pathfinder=pathfinder,
            period=period,
            status=ReportStatus.ACCEPTED,
            first_submitted_at=datetime.datetime(year, 3, 1, tzinfo=datetime.UTC),
            accepted_at=datetime.datetime(year, 3, 2, tzinfo=datetime.UTC),
        )
        IndicatorValue.objects.create(
            report=report, indicator=version.indicators.get(code="NUM"), value_number=value
        )

    trends = selectors.indicator_trends(pathfinder=pathfinder)

    assert trends["periods"] == ["2024", "2025"]
    num = next(i for i in trends["indicators"] if i["code"] == "NUM")
    assert num["cells"] == ["100", "300"]
    assert "<svg" in num["chart"]


def test_dashboard_summary_is_none_for_people_without_a_role(outsider):
    assert selectors.dashboard_summary(user=outsider) is None


def test_focal_point_task_counts_days_left_in_the_countrys_own_time_zone(pathfinder, period):
    pathfinder.country.time_zone = "Pacific/Fiji"
    pathfinder.country.save()
    # 13:00 UTC is already the next day in Fiji (UTC+12): one day fewer is left there.
    deadline_eve_utc = datetime.datetime.combine(
        period.deadline - datetime.timedelta(days=1), datetime.time(13), tzinfo=datetime.UTC
    )

    [task] = selectors.focal_point_tasks(
        pathfinders=[pathfinder], period=period, now=deadline_eve_utc
    )

    assert task["days_left"] == 0
    assert task["zone"] == "Pacific/Fiji"
    assert task["deadline_ends_at"].utcoffset() == datetime.timedelta(hours=12)


def test_focal_point_task_names_what_the_report_still_lacks(
    pathfinder, period, indicators, commitments, report
):
    IndicatorValue.objects.create(report=report, indicator=indicators["NUM"], value_number=5)
    IndicatorValue.objects.create(report=report, indicator=indicators["TXT"], value_text="")

    [task] = selectors.focal_point_tasks(
        pathfinders=[pathfinder], period=period, now=datetime.datetime.now(datetime.UTC)
    )

    assert task["indicators_missing"] == len(indicators) - 1
    assert task["commitments_missing"] == 2
    assert task["report"] == report


def test_focal_point_task_past_its_deadline_counts_the_days_late(pathfinder, period):
    late = datetime.datetime.combine(
        period.deadline + datetime.timedelta(days=3), datetime.time(12), tzinfo=datetime.UTC
    )

    [task] = selectors.focal_point_tasks(pathfinders=[pathfinder], period=period, now=late)

    assert task["days_late"] == 3
    assert task["may_start"] is True


def test_report_value_rows_group_the_values_by_pillar_in_the_frameworks_order(
    pathfinder, period, indicators
):
    indicators["YN"].pillar = "Knowledge and data"
    indicators["YN"].save()
    report = ReportFactory(pathfinder=pathfinder, period=period)
    IndicatorValue.objects.create(report=report, indicator=indicators["NUM"], value_number=400)
    ordered = sorted(indicators.values(), key=lambda i: i.order)

    groups = selectors.report_value_rows(report=report, indicators=ordered)

    assert [(pillar, [row["indicator"].code for row in rows]) for pillar, rows in groups] == [
        ("Prevention and protection", ["NUM", "PCT", "MS", "TXT"]),
        ("Knowledge and data", ["YN"]),
    ]
    first = groups[0][1][0]
    assert first["value"].value_number == 400
    assert first["reference"].target == 1000
    assert [row["value"] for row in groups[0][1][1:]] == [None, None, None]
    assert first["comments"] == [] and first["previous"] is None and first["flag"] is None
