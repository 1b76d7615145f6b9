"""A country's indicator values across periods, from its accepted reports, with a chart each."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from alliance87 import charts
from alliance87.aggregates import cached_under, versioned_key

from .. import reporting
from ..indicator_types import indicator_type
from ..models import IndicatorValue, PathfinderCountry, ReportStatus

# The languages an indicator's title is recorded in (pathfinders/translation.py).
TITLE_LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)

# An accepted value as a trend reads it: the indicator (code, version, order, its title in each
# language, pillar, kind, unit), the framework's baseline and target, the period (label,
# opening) and the value. The page shows the reader's title, or the English marked as such
# ({% translated %}); the chart the reader's or the English.
_TREND_FIELDS = (
    "indicator__code",
    "indicator__version__number",
    "indicator__order",
    *(f"indicator__title_{language}" for language in TITLE_LANGUAGES),
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


@dataclass
class _TrendValues:
    """The accepted values of one country, by indicator code and period label."""

    opens: dict[str, datetime.date] = field(default_factory=dict)  # period -> opening day
    latest: dict[str, tuple[Any, ...]] = field(default_factory=dict)  # code -> latest meta
    framework: dict[str, reporting.Reference] = field(default_factory=dict)  # same version
    values: dict[tuple[str, str], tuple[Any, ...]] = field(default_factory=dict)

    def add(self, row: tuple[Any, ...]) -> None:
        code, version, order = row[:3]
        count = len(TITLE_LANGUAGES)
        titles = dict(zip(TITLE_LANGUAGES, row[3 : 3 + count], strict=True))
        rest = row[3 + count :]
        pillar, kind, unit = rest[:3]
        baseline, baseline_year, target, target_year, target_date = rest[3:8]
        (period, opens_on), value = rest[8:10], rest[10:]
        self.opens.setdefault(period, opens_on)
        if code not in self.latest or version > self.latest[code][0]:
            self.latest[code] = (version, order, titles, pillar, kind, unit)
            self.framework[code] = reporting.Reference(
                baseline=baseline,
                baseline_year=baseline_year,
                target=target,
                target_year=target_year,
                target_date=target_date,
                own=False,
            )
        self.values.setdefault((code, period), value)


def _trend_cell(
    kind: str, value_number: Decimal | None, value_date: datetime.date | None, value_text: str
) -> tuple[str, float | None]:
    """One period's value of an indicator as the table shows it, and as the chart plots it."""
    return indicator_type(kind).trend_cell(value_number, value_date, value_text)


def _indicator_trends(*, pathfinder_id: int) -> dict[str, Any]:
    rows = list(
        IndicatorValue.objects.filter(
            report__pathfinder_id=pathfinder_id, report__status=ReportStatus.ACCEPTED
        )
        .order_by()
        .values_list(*_TREND_FIELDS)
    )
    if not rows:
        return {"periods": [], "indicators": [], "reference_period": None}
    found = _TrendValues()
    for row in rows:
        found.add(row)
    periods = sorted(found.opens, key=found.opens.__getitem__)
    # Each indicator is drawn against the country's baseline and target in force for the
    # latest period shown (TARGETS_RULE), as that period's rating is.
    own = reporting.country_targets(
        pathfinder_ids=[pathfinder_id], opened_in=found.opens[periods[-1]].year
    )
    indicators: list[dict[str, Any]] = []
    ordered = sorted(found.latest.items(), key=lambda item: (item[1][1], item[0]))
    for code, (_version, _order, titles, pillar, kind, unit) in ordered:
        title = titles.get(get_language()) or titles[settings.MODELTRANSLATION_DEFAULT_LANGUAGE]
        reference = own.get((pathfinder_id, code)) or found.framework[code]
        cells: list[str] = []
        numbers: list[float | None] = []
        for period in periods:
            value = found.values.get((code, period))
            cell, number = _trend_cell(kind, *value) if value else ("", None)
            cells.append(cell)
            numbers.append(number)
        indicators.append(
            {
                "code": code,
                "title": title,
                **{f"title_{language}": text for language, text in titles.items()},
                "pillar": pillar,
                "kind": kind,
                "unit": unit,
                "cells": cells,
                "chart": _trend_chart(
                    code=code,
                    title=title,
                    kind=kind,
                    periods=periods,
                    numbers=numbers,
                    reference=reference,
                    place=len(indicators),
                ),
                "reference": reference,
            }
        )
    return {"periods": periods, "indicators": indicators, "reference_period": periods[-1]}


def _trend_chart(
    *,
    code: str,
    title: str,
    kind: str,
    periods: list[str],
    numbers: list[float | None],
    reference: reporting.Reference,
    place: int,
) -> SafeString | None:
    """The indicator's values across the periods against its target, when it has numbers."""
    if not indicator_type(kind).charted or all(n is None for n in numbers):
        return None
    # Ids by the indicator's place rather than by the process-wide counter, so a chart kept
    # in the shared cache never repeats another's id on the page.
    return charts.line_chart(
        periods,
        {f"{code} {title}": numbers},
        title=f"{code} {title}",
        unit=indicator_type(kind).chart_unit,
        target=None if reference.target is None else float(reference.target),
        uid=f"trend-{place}",
    )


def indicator_trends(*, pathfinder: PathfinderCountry) -> dict:
    """Indicator values across periods, from accepted reports, with a chart per numeric indicator.

    Indicators are matched across framework versions by code; titles come from the latest
    version that holds the code. Each indicator carries the country's baseline and target in
    force for the latest period shown (its roadmap's, else the framework's, from the latest
    version holding the code), and its chart draws that target. Kept in the cache per country and language (the yes/no cells are
    translated) until the area's data changes: a roadmap's targets are of the area too.
    """
    key = versioned_key(["pathfinders"], f"pathfinders:trends:v2:{pathfinder.pk}:{get_language()}")
    trends = cached_under(key, lambda: _indicator_trends(pathfinder_id=pathfinder.pk))
    # The key also keeps the page's rendering of these trends ({% cache %}).
    return {**trends, "key": key}
