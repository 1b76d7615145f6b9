"""A country's indicator values across periods, from its accepted reports, with a chart each."""

import datetime

from django.utils.translation import get_language

from alliance87 import charts
from alliance87.aggregates import cached_under, versioned_key

from .. import reporting
from ..indicator_types import indicator_type
from ..models import (
    IndicatorValue,
    PathfinderCountry,
    ReportStatus,
)


def _trend_cell(kind: str, value_number, value_date, value_text: str) -> tuple[str, float | None]:
    """One period's value of an indicator as the table shows it, and as the chart plots it."""
    return indicator_type(kind).trend_cell(value_number, value_date, value_text)


def _indicator_trends(*, pathfinder_id: int) -> dict:
    rows = (
        IndicatorValue.objects.filter(
            report__pathfinder_id=pathfinder_id, report__status=ReportStatus.ACCEPTED
        )
        .order_by()
        .values_list(
            "indicator__code",
            "indicator__version__number",
            "indicator__order",
            "indicator__title",
            "indicator__pillar",
            "indicator__kind",
            "indicator__unit",
            "indicator__baseline",
            "indicator__baseline_year",
            "indicator__target",
            "indicator__target_year",
            "indicator__target_date",
            "report__period__label",
            "report__period__opens_on",
            "value_number",
            "value_date",
            "value_text",
        )
    )
    opens: dict[str, datetime.date] = {}
    latest: dict[str, tuple] = {}  # code -> the indicator's meta in its latest version
    framework: dict[str, reporting.Reference] = {}  # code -> the framework's, same version
    values: dict[tuple[str, str], tuple] = {}  # (code, period) -> the value
    for row in rows:
        code, version, order, title, pillar, kind, unit = row[:7]
        reference, (period, opens_on), value = row[7:12], row[12:14], row[14:]
        opens.setdefault(period, opens_on)
        if code not in latest or version > latest[code][0]:
            latest[code] = (version, order, title, pillar, kind, unit)
            framework[code] = reporting.Reference(*reference, own=False)
        values.setdefault((code, period), value)
    if not rows:
        return {"periods": [], "indicators": [], "reference_period": None}
    periods = sorted(opens, key=opens.__getitem__)
    # Each indicator is drawn against the country's baseline and target in force for the
    # latest period shown (TARGETS_RULE), as that period's rating is.
    own = reporting.country_targets(
        pathfinder_ids=[pathfinder_id], opened_in=opens[periods[-1]].year
    )
    indicators = []
    ordered = sorted(latest.items(), key=lambda item: (item[1][1], item[0]))
    for code, (_version, _order, title, pillar, kind, unit) in ordered:
        reference = own.get((pathfinder_id, code)) or framework[code]
        cells, numbers = [], []
        for period in periods:
            value = values.get((code, period))
            cell, number = _trend_cell(kind, *value) if value else ("", None)
            cells.append(cell)
            numbers.append(number)
        chart = None
        if indicator_type(kind).charted and any(n is not None for n in numbers):
            # Ids by the indicator's place rather than by the process-wide counter, so a
            # chart kept in the shared cache never repeats another's id on the page.
            chart = charts.line_chart(
                periods,
                {title[:40]: numbers},
                title=f"{code} {title}",
                unit=indicator_type(kind).chart_unit,
                target=None if reference.target is None else float(reference.target),
                height=200,
                uid=f"trend-{len(indicators)}",
            )
        indicators.append(
            {
                "code": code,
                "title": title,
                "pillar": pillar,
                "kind": kind,
                "unit": unit,
                "cells": cells,
                "chart": chart,
                "reference": reference,
            }
        )
    return {"periods": periods, "indicators": indicators, "reference_period": periods[-1]}


def indicator_trends(*, pathfinder: PathfinderCountry) -> dict:
    """Indicator values across periods, from accepted reports, with a chart per numeric indicator.

    Indicators are matched across framework versions by code; titles come from the latest
    version that holds the code. Each indicator carries the country's baseline and target in
    force for the latest period shown (its roadmap's, else the framework's, from the latest
    version holding the code), and its chart draws that target. Kept in the cache per country and language (the yes/no cells are
    translated) until the area's data changes: a roadmap's targets are of the area too.
    """
    key = versioned_key(["pathfinders"], f"pathfinders:trends:{pathfinder.pk}:{get_language()}")
    trends = cached_under(key, lambda: _indicator_trends(pathfinder_id=pathfinder.pk))
    # The key also keeps the page's rendering of these trends ({% cache %}).
    return {**trends, "key": key}
