"""The overview: every Pathfinder Country a person may see with its report figures for the
chosen period, sorted and filtered, and the same rows as tables for a download."""

import datetime
from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance87 import exports
from alliance87.aggregates import cached_under, versioned_key
from alliance87.countries import name_sort_key

from .. import reporting
from ..filters import OverviewFilter
from ..models import STAGE_DATE_FIELDS, PathfinderCountry, ReportingPeriod, ReportStatus, Stage
from .common import (
    REGION_LABELS,
    SLOT_KEYED_SECONDS,
    STAGE_ORDER,
    STATUS_BADGES,
    STATUS_LABELS,
    Rating,
    moment_key,
    opened_periods,
    scope_key,
)
from .rates import percent_header, rate_table, rates_chart, reporting_data, reporting_rates

# The report status is 5th: pathfinders.css keeps it in view on a phone.
OVERVIEW_COLUMNS = [
    ("country", gettext_lazy("Country")),
    ("region", gettext_lazy("Region")),
    ("stage", gettext_lazy("Journey stage")),
    ("stage_date", gettext_lazy("Since")),
    ("status", gettext_lazy("Report status")),
    ("filled", gettext_lazy("Indicators filled")),
    ("timeliness", gettext_lazy("Timeliness")),
    ("rating", gettext_lazy("Progress rating")),
    ("overdue", gettext_lazy("Overdue")),
]
TIMELINESS_ORDER = {
    "overdue": 0,
    "grace": 1,
    "late": 2,
    "not_due": 3,
    "on_time": 4,
    "not_expected": 5,
}
RATING_ORDER = {"red": 0, "amber": 1, "green": 2, "": 3}
STATUS_ORDER = {"": 0, "draft": 1, "returned": 2, "reopened": 2, "submitted": 3, "accepted": 4}


def overview(
    *,
    pathfinders: QuerySet[PathfinderCountry],
    params: Mapping[str, Any],
    now: datetime.datetime | None = None,
) -> dict:
    """The given Pathfinder Countries (those a person may see) with their report figures for
    the chosen period, and the reporting rates by period and by region.

    Queries: the period choices' validation, the countries, the opened periods, and, unless
    cached for this period and these countries, the reports, the indicator count, the
    filled values and the ratings. The figures are kept in the cache (`figures_key`, for the
    page's fragments too) until the area changes, per reader's language, time zone and minute.
    """
    now = now or timezone.now()
    filterset = OverviewFilter(params, queryset=pathfinders.select_related("country"))
    # A value a filter cannot take is named beside its field and left out; the others apply
    # (cleaned_data holds only the fields that validated).
    filterset.is_valid()
    shown = list(filterset.qs)
    data = filterset.form.cleaned_data
    periods = opened_periods(today=timezone.localdate(now))
    period = data.get("period") or (periods[0] if periods else None)
    sort = data.get("sort") or "country"
    key = versioned_key(
        ["pathfinders"],
        ":".join(
            (
                "pathfinders:overview",
                str(period.pk if period else 0),
                sort,
                scope_key([p.pk for p in shown]),
                moment_key(now),
            )
        ),
    )
    result = cached_under(
        key,
        lambda: _overview_figures(
            pathfinders=shown, periods=periods, period=period, sort=sort, now=now
        ),
        SLOT_KEYED_SECONDS,
    )
    return {"filter": filterset, "period": period, "sort": sort, "figures_key": key, **result}


class _Labels:
    """Each label translated once per request, not once per row: the rows repeat a few
    regions, stages, statuses and timeliness labels."""

    def __init__(self) -> None:
        self.translated: dict[tuple[str, str], str] = {}

    def text(self, kind: str, value: str, label: object) -> str:
        found = self.translated.get((kind, value))
        if found is None:
            found = self.translated[kind, value] = str(label)
        return found


def _overview_figures(
    *,
    pathfinders: list[PathfinderCountry],
    periods: list[ReportingPeriod],
    period: ReportingPeriod | None,
    sort: str,
    now: datetime.datetime,
) -> dict[str, Any]:
    """What `overview` shows of these countries, as plain data for the cache."""
    ids = [p.pk for p in pathfinders]
    figures = reporting_data(pathfinder_ids=ids, period=period)
    rates = reporting_rates(
        pathfinders=pathfinders, periods=periods, data=figures, period=period, now=now
    )
    ratings = {
        pathfinder_id: (Rating(level=level, score=score, rated=rated, percent=shown), label)
        for pathfinder_id, (level, score, rated, shown, label) in figures["ratings"].items()
    }
    labels = _Labels()
    not_rated = (Rating("", None, 0), "")
    rows = [
        _overview_row(
            pathfinder,
            period=period,
            figures=figures,
            rates=rates,
            rating=ratings.get(pathfinder.pk, not_rated),
            labels=labels,
        )
        for pathfinder in pathfinders
    ]
    rows = _sorted(rows, sort)
    return {
        "rows": rows,
        "indicator_count": figures["indicator_count"],
        "rates": rates["period"],
        "period_rates": rates["periods"],
        "region_rates": rates["regions"],
        "rates_chart": rates_chart(
            rates["periods"],
            title=_("Reporting rates by period, for the countries shown"),
            uid="overview-rates",
        ),
        "figures": _headline_figures(rows=rows, period_rates=rates["period"]),
    }


def _overview_row(
    pathfinder: PathfinderCountry,
    *,
    period: ReportingPeriod | None,
    figures: dict[str, Any],
    rates: dict[str, Any],
    rating: tuple[reporting.Rating, str],
    labels: _Labels,
) -> dict[str, Any]:
    """One country's row of the overview: its journey and its report for the period."""
    cell = rates["cells"].get((pathfinder.pk, period.pk)) if period else None
    report_id = rates["report_ids"].get((pathfinder.pk, period.pk)) if period else None
    indicator_count = figures["indicator_count"]
    filled = None
    if report_id is not None and indicator_count:
        filled = reporting.percent(figures["filled"].get(report_id, 0), indicator_count)
    timeliness_key = cell.key if cell else "not_expected"
    stage = Stage(pathfinder.stage)
    country = pathfinder.country
    region = country.ilo_region
    return {
        "pathfinder_id": pathfinder.pk,
        "country": country.local_name,
        "iso_code": country.iso_code,
        "region": labels.text("region", region, REGION_LABELS.get(region, region)),
        "stage_key": stage.value,
        "stage": labels.text("stage", stage.value, stage.label),
        "stage_date": getattr(pathfinder, STAGE_DATE_FIELDS[stage]),
        "report_id": report_id,
        "expected": bool(cell and cell.expected),
        "status_key": cell.status if cell else "",
        "status": _status_text(cell, labels),
        "status_badge": STATUS_BADGES.get(cell.status, "grey") if cell else "grey",
        "filled": filled,
        "timeliness_key": timeliness_key,
        "timeliness": labels.text(
            "timeliness", timeliness_key, reporting.TIMELINESS[timeliness_key][0]
        ),
        "timeliness_badge": reporting.TIMELINESS[timeliness_key][1],
        "overdue": timeliness_key == "overdue",
        "rating": rating[0],
        "rated_period": rating[1],
    }


def _status_text(cell: reporting.Cell | None, labels: _Labels) -> str:
    """The report's status; "Not started" when a report is expected but none exists."""
    if cell is not None and cell.status:
        return labels.text("status", cell.status, STATUS_LABELS.get(cell.status, cell.status))
    if cell is not None and cell.expected:
        return labels.text("status", "", gettext_lazy("Not started"))
    return labels.text("timeliness", "not_expected", reporting.TIMELINESS["not_expected"][0])


def _headline_figures(
    *, rows: list[dict[str, Any]], period_rates: reporting.Rates
) -> dict[str, Any]:
    """The figures above the overview's table, for the chosen period."""
    return {
        "countries": len(rows),
        "expected": period_rates.expected,
        "received": period_rates.received,
        "on_time": period_rates.on_time,
        "completeness": period_rates.completeness,
        "timeliness": period_rates.timeliness,
        "overdue": period_rates.overdue,
        "accepted": sum(1 for r in rows if r["status_key"] == ReportStatus.ACCEPTED),
        "awaiting_review": period_rates.awaiting_review,
    }


def _sorted(rows: list[dict], sort: str) -> list[dict]:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    # The country names are the reader's (CLDR): sorted as a reader of that language expects.
    keys = {
        "country": lambda r: name_sort_key(r["country"]),
        "region": lambda r: (name_sort_key(r["region"]), name_sort_key(r["country"])),
        "stage": lambda r: (STAGE_ORDER[Stage(r["stage_key"])], name_sort_key(r["country"])),
        "status": lambda r: (STATUS_ORDER.get(r["status_key"], 0), name_sort_key(r["country"])),
        "filled": lambda r: (
            r["filled"] if r["filled"] is not None else -1,
            name_sort_key(r["country"]),
        ),
        "timeliness": lambda r: (
            TIMELINESS_ORDER[r["timeliness_key"]],
            name_sort_key(r["country"]),
        ),
        "rating": lambda r: (RATING_ORDER[r["rating"].level], name_sort_key(r["country"])),
    }
    return sorted(rows, key=keys.get(key, keys["country"]), reverse=descending)


def rating_with_period(row: dict, period: ReportingPeriod | None) -> str:
    """The rating as the overview shows it, naming the period of the report it comes from
    when that is not the chosen period, e.g. "Amber (40 %), 2024"."""
    text: str = row["rating"].text
    if row["rated_period"] and (period is None or row["rated_period"] != period.label):
        return f"{text}, {row['rated_period']}"
    return text


def overview_table(result: dict) -> exports.Table:
    """The overview table for a download: the same columns and rows as the page shows."""
    rows = [
        [
            row["country"],
            row["region"],
            row["stage"],
            row["stage_date"],
            row["status"],
            row["filled"],
            row["timeliness"],
            rating_with_period(row, result["period"]),
            _("Overdue") if row["overdue"] else "",
        ]
        for row in result["rows"]
    ]
    title = _("Pathfinder Countries, their journey and their reports")
    if result["period"]:
        title = f"{title} ({result['period'].label})"
    headers = [
        percent_header(str(label)) if key == "filled" else str(label)
        for key, label in OVERVIEW_COLUMNS
    ]
    return exports.Table(title, headers, rows)


def overview_tables(result: dict) -> dict[str, exports.Table]:
    """Every table of the overview page, for a download, by key."""
    tables = {"countries": overview_table(result)}
    label = result["period"].label if result["period"] else ""
    tables["periods"] = rate_table(
        result["period_rates"],
        title=_("Reporting rates by period"),
        first_column=_("Reporting period"),
    )
    if result["region_rates"]:
        tables["regions"] = rate_table(
            result["region_rates"],
            title=_("Reporting rates by region (%(period)s)") % {"period": label},
            first_column=_("Region"),
        )
    return tables
