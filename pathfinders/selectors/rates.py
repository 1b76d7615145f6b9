"""The reporting figures the overview, the country page and the dashboard share: the plain data
they are computed from (kept in the cache), the rates by period, region and country, and
those rates as a chart or a table."""

import datetime
import hashlib
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from alliance87 import charts, exports
from alliance87.aggregates import cached_aggregate

from .. import reporting
from ..models import IloRegion, Indicator, PathfinderCountry, ProgressReport, ReportingPeriod
from .common import REGION_LABELS


def _reporting_data(*, pathfinder_ids: list[int], period: ReportingPeriod | None) -> dict:
    """What the reporting figures of these countries are computed from, as plain data for
    the cache: every report's state (all periods), how many indicators the chosen period's
    reports filled, and the ratings up to the chosen period."""
    data: dict = {"reports": [], "filled": {}, "indicator_count": 0, "ratings": {}}
    if not pathfinder_ids:
        return data
    data["reports"] = list(
        ProgressReport.objects.filter(pathfinder_id__in=pathfinder_ids)
        .order_by()
        .values_list("pk", "pathfinder_id", "period_id", "status", "first_submitted_at")
    )
    if period is None:
        return data
    data["indicator_count"] = Indicator.objects.filter(
        version_id=period.framework_version_id
    ).count()
    filled = (
        Q(values__value_number__isnull=False)
        | Q(values__value_date__isnull=False)
        | (Q(values__value_text__isnull=False) & ~Q(values__value_text=""))
    )
    data["filled"] = dict(
        ProgressReport.objects.filter(period=period, pathfinder_id__in=pathfinder_ids)
        .annotate(reported=Count("values", filter=filled, distinct=True))
        .order_by()
        .values_list("pk", "reported")
    )
    data["ratings"] = {
        pathfinder_id: (rating.level, rating.score, rating.rated, rating.percent, label)
        for pathfinder_id, (rating, label) in reporting.ratings(
            pathfinder_ids=pathfinder_ids, period=period
        ).items()
    }
    return data


def reporting_data(*, pathfinder_ids: list[int], period: ReportingPeriod | None) -> dict:
    """_reporting_data, kept in the cache until the pathfinders area changes."""
    visible = ",".join(str(pk) for pk in sorted(pathfinder_ids))
    return cached_aggregate(
        ["pathfinders"],
        ":".join(
            (
                "pathfinders:reporting",
                str(period.pk if period else 0),
                hashlib.sha256(visible.encode()).hexdigest(),
            )
        ),
        lambda: _reporting_data(pathfinder_ids=pathfinder_ids, period=period),
    )


@dataclass
class RateRow:
    """Reporting rates of one group: a period, a country or a region."""

    label: str
    rates: reporting.Rates
    period: ReportingPeriod | None = None
    closed: bool = True  # the deadline has passed: the rates are final


def reporting_rates(
    *,
    pathfinders: list[PathfinderCountry],
    periods: list[ReportingPeriod],
    data: dict,
    period: ReportingPeriod | None,
    now: datetime.datetime,
) -> dict:
    """Every reporting figure of these countries (reporting.RATES_RULE): the cells, and the
    rates of the chosen period, of each period, of each region and of each country."""
    all_cells = reporting.cells(
        pathfinders=pathfinders,
        periods=periods,
        now=now,
        reports=[row[1:] for row in data["reports"]],
    )
    report_ids = {(row[1], row[2]): row[0] for row in data["reports"]}
    by_period = reporting.rates_by(all_cells.values(), lambda c: c.period_id)
    regions = {p.pk: p.country.ilo_region for p in pathfinders}
    period_cells = [all_cells[p.pk, period.pk] for p in pathfinders] if period else []
    by_region = reporting.rates_by(period_cells, lambda c: regions[c.pathfinder_id])
    return {
        "cells": all_cells,
        "report_ids": report_ids,
        "period": reporting.rates(period_cells),
        "periods": [
            RateRow(
                label=p.label,
                rates=by_period.get(p.pk, reporting.Rates()),
                period=p,
                closed=all(all_cells[c.pk, p.pk].closed for c in pathfinders)
                if pathfinders
                else p.is_past_deadline(now.date()),
            )
            for p in periods
        ],
        "regions": [
            RateRow(label=str(REGION_LABELS[value]), rates=by_region[value])
            for value, _label in IloRegion.choices
            if value in by_region
        ],
        # A country's rates across the periods whose deadline has passed for it.
        "countries": reporting.rates_by(
            [c for c in all_cells.values() if c.closed], lambda c: c.pathfinder_id
        ),
    }


def rates_chart(rows: list[RateRow], *, title: str, uid: str | None = None) -> SafeString | None:
    """Completeness and timeliness across the periods whose deadline has passed, oldest
    first, as a line chart (an open period's rates are not final yet)."""
    rows = [row for row in reversed(rows) if row.rates.expected and row.closed]
    if len(rows) < 2:
        return None
    return charts.line_chart(
        [row.label for row in rows],
        {
            str(_("Completeness")): [row.rates.completeness for row in rows],
            str(_("Timeliness")): [row.rates.timeliness for row in rows],
        },
        title=title,
        unit=charts.PERCENT,
        roles=["completeness", "timeliness"],
        uid=uid,
    )


def percent_header(label: str) -> str:
    """The header of a download's column of percentages: its cells are the bare numbers a
    spreadsheet can add up (67 for 67 %), so the header names the unit."""
    return _("%(column)s (%%)") % {"column": label}


RATE_COLUMNS = [
    pgettext_lazy("reports", "Expected"),
    pgettext_lazy("reports", "Received"),
    pgettext_lazy("reports", "On time"),
]
RATE_PERCENT_COLUMNS = [gettext_lazy("Completeness"), gettext_lazy("Timeliness")]


def _rate_cells(rates: reporting.Rates) -> list:
    return [rates.expected, rates.received, rates.on_time, rates.completeness, rates.timeliness]


def rate_table(rows: list[RateRow], *, title: str, first_column: str) -> exports.Table:
    """Reporting rates by period, region or country, as the pages show them."""
    return exports.Table(
        title,
        [
            first_column,
            *(str(c) for c in RATE_COLUMNS),
            *(percent_header(str(c)) for c in RATE_PERCENT_COLUMNS),
        ],
        [[row.label, *_rate_cells(row.rates)] for row in rows],
    )
