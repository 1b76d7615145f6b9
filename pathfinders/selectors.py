"""Reads of the pathfinders area: query shapes, pandas aggregations, plain data for pages."""

import datetime
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from alliance87 import charts, exports
from alliance87.access import can_read_everything, focal_point_country_ids, is_secretariat
from alliance87.aggregates import cached_aggregate

from . import quality
from .access import may_use_pathfinders, visible_pathfinders
from .filters import OverviewFilter
from .indicator_types import indicator_type
from .models import (
    REPORTING_STAGES,
    STAGE_DATE_FIELDS,
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    FocalPoint,
    IloRegion,
    Indicator,
    IndicatorValue,
    PathfinderCountry,
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
    ReportTransition,
    ReviewComment,
    Roadmap,
    Stage,
)

# The progress rating (shown on the overview page, keep both in step).
RATING_GREEN_FROM = 0.6
RATING_AMBER_FROM = 0.3
RATING_MIN_INDICATORS = 3
RATING_RULE = gettext_lazy(
    "The rating uses the country's latest accepted report up to the chosen period. For each "
    "indicator with a baseline and a target, progress is the distance travelled from the "
    "baseline towards the target in the direction of improvement, counted between 0 % and "
    "100 %; a milestone counts 100 % when reached by its target date, 50 % when reached late "
    "and 0 % when not reached. The score is the average of these. Green: 60 % or more. "
    "Amber: 30 % to 59 %. Red: below 30 %. Not rated: no accepted report, or fewer than 3 "
    "indicators with a value to measure."
)
TIMELINESS_RULE = gettext_lazy(
    "On time: first submitted by the due date plus the period's grace days. Late: submitted "
    "after that. In grace period: past the due date, within the grace days, not yet "
    "submitted. Overdue: not submitted by the due date plus the grace days."
)
COMPLETENESS_RULE = gettext_lazy(
    "Completeness is the share of the period's indicators that have a value in the report."
)

STAGE_ORDER = {stage: index for index, stage in enumerate(Stage)}
STATUS_BADGES = {
    ReportStatus.DRAFT: "grey",
    ReportStatus.SUBMITTED: "blue",
    ReportStatus.RETURNED: "amber",
    ReportStatus.ACCEPTED: "green",
    ReportStatus.REOPENED: "amber",
}
COMMITMENT_BADGES = {
    CommitmentStatus.NOT_STARTED: "grey",
    CommitmentStatus.ON_TRACK: "green",
    CommitmentStatus.DELAYED: "amber",
    CommitmentStatus.OFF_TRACK: "red",
    CommitmentStatus.COMPLETED: "blue",
}


def current_period(*, today: datetime.date | None = None) -> ReportingPeriod | None:
    """The latest period that has opened: the one focal points are reporting for."""
    today = today or timezone.localdate()
    return (
        ReportingPeriod.objects.select_related("framework_version")
        .filter(opens_on__lte=today)
        .order_by("-opens_on")
        .first()
    )


def report_form_parts(*, report: ProgressReport) -> tuple[list[Indicator], list[Commitment]]:
    indicators = list(
        Indicator.objects.filter(version_id=report.period.framework_version_id).order_by(
            "order", "code"
        )
    )
    commitments = list(
        Commitment.objects.filter(roadmap__pathfinder_id=report.pathfinder_id)
        .select_related("roadmap")
        .order_by("roadmap__starts_year", "code")
    )
    return indicators, commitments


# What the report's pages show of it beside its parts: loaded by the access helper too.
REPORT_RELATIONS = (
    "pathfinder__country",
    "period__framework_version",
    "submitted_by",
    "returned_by",
    "accepted_by",
    "updated_by",
)


def report_with_parts(*, report: ProgressReport) -> ProgressReport:
    """Prefetch the values and updates the form and detail page read.

    The report the access helper loaded already holds its country, period and people, so
    only the parts are read then; any other report is loaded again with them.
    """
    loaded = all(
        ProgressReport._meta.get_field(name.split("__")[0]).is_cached(report)
        for name in REPORT_RELATIONS
    )
    if not loaded:
        report = ProgressReport.objects.select_related(*REPORT_RELATIONS).get(pk=report.pk)
    prefetch_related_objects(
        [report],
        Prefetch("values", queryset=IndicatorValue.objects.select_related("indicator")),
        Prefetch(
            "commitment_updates",
            queryset=CommitmentUpdate.objects.select_related("commitment"),
        ),
    )
    return report


def latest_review_comments(*, report: ProgressReport) -> dict:
    """The comments of the last return, by field: {"report": [...], "indicator": {id: [...]},
    "commitment": {id: [...]}} plus the return itself."""
    last_return = (
        report.transitions.filter(to_status=ReportStatus.RETURNED)
        .select_related("by")
        .order_by("-at", "-pk")
        .first()
    )
    result: dict = {
        "transition": last_return,
        "indicator": defaultdict(list),
        "commitment": defaultdict(list),
    }
    if last_return is None:
        return result
    for comment in ReviewComment.objects.filter(transition=last_return).order_by("pk"):
        if comment.indicator_id:
            result["indicator"][comment.indicator_id].append(comment.text)
        elif comment.commitment_id:
            result["commitment"][comment.commitment_id].append(comment.text)
    result["indicator"] = dict(result["indicator"])
    result["commitment"] = dict(result["commitment"])
    return result


def stored_values(*, report: ProgressReport) -> dict[tuple[str, int], str]:
    """What the database holds now, to show beside a form refused for a conflict."""
    stored: dict[tuple[str, int], str] = {}
    for value in IndicatorValue.objects.filter(report=report).select_related("indicator"):
        text = value.display_value
        if value.narrative:
            text = f"{text} – {value.narrative}" if text else value.narrative
        stored[("indicator", value.indicator_id)] = text
    for update in CommitmentUpdate.objects.filter(report=report):
        text = f"{update.get_status_display()}, {update.progress_percent} %"
        if update.narrative:
            text = f"{text} – {update.narrative}"
        stored[("commitment", update.commitment_id)] = text
    return stored


def report_transitions(*, report: ProgressReport) -> list[ReportTransition]:
    return list(report.transitions.select_related("by").order_by("at", "pk"))


# --- The overview ---------------------------------------------------------------------------

OVERVIEW_COLUMNS = [
    ("country", gettext_lazy("Country")),
    ("region", gettext_lazy("Region")),
    ("stage", gettext_lazy("Journey stage")),
    ("stage_date", gettext_lazy("Since")),
    ("status", gettext_lazy("Report status")),
    ("completeness", gettext_lazy("Completeness")),
    ("timeliness", gettext_lazy("Timeliness")),
    ("rating", gettext_lazy("Progress rating")),
    ("overdue", gettext_lazy("Overdue")),
]


RATING_LABELS = {
    "green": gettext_lazy("Green"),
    "amber": gettext_lazy("Amber"),
    "red": gettext_lazy("Red"),
}
NOT_RATED = gettext_lazy("Not rated")
# Labels by value: get_FOO_display() hashes every choice (translating each) on every call.
REGION_LABELS = dict(IloRegion.choices)
STATUS_LABELS = dict(ReportStatus.choices)


@dataclass
class Rating:
    level: str  # green, amber, red or "" when not rated
    score: float | None
    rated: int

    @property
    def label(self) -> str:
        return str(RATING_LABELS.get(self.level, NOT_RATED))

    @property
    def badge(self) -> str:
        return self.level or "grey"


def _achieved_share(kind: str, *measure) -> float | None:
    """How far one indicator value went from its baseline towards its target (0 to 1)."""
    return indicator_type(kind).achieved_share(*measure)


def _rating_of(shares: list[float]) -> Rating:
    if len(shares) < RATING_MIN_INDICATORS:
        return Rating(level="", score=None, rated=len(shares))
    # numpy's pairwise sum, as pandas' mean does: the same score to the last bit.
    score = float(np.asarray(shares, dtype=float).sum() / len(shares))
    if score >= RATING_GREEN_FROM:
        level = "green"
    elif score >= RATING_AMBER_FROM:
        level = "amber"
    else:
        level = "red"
    return Rating(level=level, score=score, rated=len(shares))


RATED_COLUMNS = (
    "kind",
    "baseline",
    "target",
    "target_date",
    "direction",
    "value_number",
    "value_date",
)


def rate(frame: pd.DataFrame) -> Rating:
    """The red/amber/green rating of one report's values (see RATING_RULE)."""
    shares = []
    for row in frame[list(RATED_COLUMNS)].itertuples(index=False, name=None):
        share = _achieved_share(*(None if pd.isna(cell) else cell for cell in row))
        if share is not None:
            shares.append(share)
    return _rating_of(shares)


def _ratings(*, pathfinder_ids, period: ReportingPeriod) -> dict[int, tuple[Rating, str]]:
    """Per country: the rating of its latest accepted report (with values) up to the period.

    One query reads only the values of those latest reports, not every accepted value.
    """
    accepted = ProgressReport.objects.filter(
        status=ReportStatus.ACCEPTED, period__opens_on__lte=period.opens_on
    ).filter(Exists(IndicatorValue.objects.filter(report_id=OuterRef("pk"))))
    later = accepted.filter(
        pathfinder_id=OuterRef("pathfinder_id"), period__opens_on__gt=OuterRef("period__opens_on")
    )
    latest = accepted.filter(pathfinder_id__in=pathfinder_ids).filter(~Exists(later))
    rows = (
        IndicatorValue.objects.filter(report_id__in=latest.values("pk"))
        .order_by("report_id", "indicator__order", "indicator__code")
        .values_list(
            "report__pathfinder_id",
            "report__period__label",
            "indicator__kind",
            "indicator__baseline",
            "indicator__target",
            "indicator__target_date",
            "indicator__direction",
            "value_number",
            "value_date",
        )
    )
    shares: dict[int, list[float]] = {}
    labels: dict[int, str] = {}
    for pathfinder_id, label, *measure in rows:
        labels.setdefault(pathfinder_id, label)
        found = shares.setdefault(pathfinder_id, [])
        share = _achieved_share(*measure)
        if share is not None:
            found.append(share)
    return {pid: (_rating_of(found), labels[pid]) for pid, found in shares.items()}


# Timeliness: (label, badge, overdue) by key.
TIMELINESS = {
    "on_time": (gettext_lazy("On time"), "green", False),
    "late": (gettext_lazy("Late"), "amber", False),
    "not_expected": (gettext_lazy("Not expected"), "grey", False),
    "overdue": (gettext_lazy("Overdue"), "red", True),
    "grace": (gettext_lazy("In grace period"), "amber", False),
    "not_due": (gettext_lazy("Not yet due"), "grey", False),
}


def _timeliness_key(
    *, report: ProgressReport | None, period: ReportingPeriod, expected: bool, today
) -> str:
    """Where a country's report in a period stands against the deadline (see TIMELINESS)."""
    if report is not None and report.first_submitted_at is not None:
        return "on_time" if report.is_on_time else "late"
    if not expected:
        return "not_expected"
    if period.is_past_deadline(today):
        return "overdue"
    if today > period.due_on:
        return "grace"
    return "not_due"


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


# The report columns the overview reads; the other fields stay deferred.
_OVERVIEW_REPORT_FIELDS = ("id", "pathfinder_id", "status", "first_submitted_at")


def _period_figures(*, period: ReportingPeriod, pathfinder_ids: list[int]) -> dict:
    """The figures of the period's reports for these countries, as plain data for the cache:
    the indicator count, each report (with how many values it holds) and each rating."""
    figures: dict = {
        "indicator_count": Indicator.objects.filter(version_id=period.framework_version_id).count(),
        "reports": [],
        "ratings": {},
    }
    if not pathfinder_ids:
        return figures
    filled = (
        Q(values__value_number__isnull=False)
        | Q(values__value_date__isnull=False)
        | (Q(values__value_text__isnull=False) & ~Q(values__value_text=""))
    )
    figures["reports"] = list(
        ProgressReport.objects.filter(period=period, pathfinder_id__in=pathfinder_ids)
        .annotate(reported=Count("values", filter=filled, distinct=True))
        .order_by()
        .values_list(*_OVERVIEW_REPORT_FIELDS, "reported")
    )
    figures["ratings"] = {
        pathfinder_id: (rating.level, rating.score, rating.rated, label)
        for pathfinder_id, (rating, label) in _ratings(
            pathfinder_ids=pathfinder_ids, period=period
        ).items()
    }
    return figures


def _overview_report(values: tuple, period: ReportingPeriod) -> ProgressReport:
    """A report row from the cached figures; any field not read here loads when asked for."""
    *fields, reported = values
    report = ProgressReport.from_db(
        ProgressReport.objects.db, list(_OVERVIEW_REPORT_FIELDS), fields
    )
    report.period = period
    report.reported = reported
    return report


def overview(
    *, pathfinders: QuerySet[PathfinderCountry], params, today: datetime.date | None = None
) -> dict:
    """The given Pathfinder Countries (those a person may see) with their report figures for
    the chosen period.

    Queries: the period choices' validation, the countries, and, unless cached for this
    period and these countries, the indicator count, the period's reports with their value
    counts, and the values of the rated reports.
    """
    today = today or timezone.localdate()
    filterset = OverviewFilter(params, queryset=pathfinders.select_related("country"))
    # A value a filter cannot take is named beside its field and left out; the others apply
    # (cleaned_data holds only the fields that validated).
    filterset.is_valid()
    pathfinders = list(filterset.qs)
    data = filterset.form.cleaned_data
    period = data.get("period") or current_period(today=today)
    rows: list[dict] = []
    indicator_count = 0
    ids = [p.pk for p in pathfinders]
    reports: dict[int, ProgressReport] = {}
    ratings: dict = {}
    if period is not None:
        visible = ",".join(str(pk) for pk in sorted(ids))
        figures = cached_aggregate(
            ["pathfinders"],
            f"pathfinders:overview:{period.pk}:{hashlib.sha256(visible.encode()).hexdigest()}",
            lambda: _period_figures(period=period, pathfinder_ids=ids),
        )
        indicator_count = figures["indicator_count"]
        for values in figures["reports"]:
            report = _overview_report(values, period)
            reports[report.pathfinder_id] = report
        ratings = {
            pathfinder_id: (Rating(level=level, score=score, rated=rated), label)
            for pathfinder_id, (level, score, rated, label) in figures["ratings"].items()
        }
    # Each label is translated once per request, not once per row: the rows repeat a few
    # regions, stages, statuses and timeliness labels.
    translated: dict[tuple[str, str], str] = {}

    def text(kind: str, value: str, label) -> str:
        found = translated.get((kind, value))
        if found is None:
            found = translated[kind, value] = str(label)
        return found

    not_rated = (Rating("", None, 0), "")
    for pathfinder in pathfinders:
        report = reports.get(pathfinder.pk)
        expected = pathfinder.stage in REPORTING_STAGES
        completeness = None
        if report is not None and indicator_count:
            completeness = round(100 * report.reported / indicator_count)
        if period is not None:
            timeliness_key = _timeliness_key(
                report=report, period=period, expected=expected, today=today
            )
        else:
            timeliness_key = "not_expected"
        timeliness_label, timeliness_badge, overdue = TIMELINESS[timeliness_key]
        rating, rated_period = ratings.get(pathfinder.pk, not_rated)
        stage = Stage(pathfinder.stage)
        country = pathfinder.country
        region = country.ilo_region
        if report is not None:
            status = text("status", report.status, STATUS_LABELS.get(report.status, report.status))
        elif expected:
            status = text("status", "", gettext_lazy("Not started"))
        else:
            status = text("timeliness", "not_expected", TIMELINESS["not_expected"][0])
        rows.append(
            {
                "pathfinder": pathfinder,
                "country": country.name,
                "iso_code": country.iso_code,
                "region": text("region", region, REGION_LABELS.get(region, region)),
                "stage_key": stage.value,
                "stage": text("stage", stage.value, stage.label),
                "stage_date": getattr(pathfinder, STAGE_DATE_FIELDS[stage]),
                "report": report,
                "status_key": report.status if report else "",
                "status": status,
                "status_badge": STATUS_BADGES.get(report.status, "grey") if report else "grey",
                "completeness": completeness,
                "timeliness_key": timeliness_key,
                "timeliness": text("timeliness", timeliness_key, timeliness_label),
                "timeliness_badge": timeliness_badge,
                "overdue": overdue,
                "rating": rating,
                "rated_period": rated_period,
            }
        )
    sort = data.get("sort") or "country"
    rows = _sorted(rows, sort)
    return {
        "filter": filterset,
        "period": period,
        "rows": rows,
        "indicator_count": indicator_count,
        "sort": sort,
        "figures": {
            "countries": len(rows),
            "overdue": sum(1 for r in rows if r["overdue"]),
            "accepted": sum(1 for r in rows if r["status_key"] == ReportStatus.ACCEPTED),
            "awaiting_review": sum(1 for r in rows if r["status_key"] == ReportStatus.SUBMITTED),
        },
    }


def _sorted(rows: list[dict], sort: str) -> list[dict]:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    keys = {
        "country": lambda r: r["country"],
        "region": lambda r: (r["region"], r["country"]),
        "stage": lambda r: (STAGE_ORDER[Stage(r["stage_key"])], r["country"]),
        "status": lambda r: (STATUS_ORDER.get(r["status_key"], 0), r["country"]),
        "completeness": lambda r: (
            r["completeness"] if r["completeness"] is not None else -1,
            r["country"],
        ),
        "timeliness": lambda r: (TIMELINESS_ORDER[r["timeliness_key"]], r["country"]),
        "rating": lambda r: (RATING_ORDER[r["rating"].level], r["country"]),
    }
    return sorted(rows, key=keys.get(key, keys["country"]), reverse=descending)


def overview_table(result: dict) -> exports.Table:
    """The overview table for a download: the same columns and rows as the page shows."""
    rows = []
    for row in result["rows"]:
        rating = row["rating"]
        rating_text = rating.label
        if rating.score is not None:
            rating_text = f"{rating.label} ({round(rating.score * 100)} %)"
        rows.append(
            [
                row["country"],
                row["region"],
                row["stage"],
                row["stage_date"],
                row["status"],
                f"{row['completeness']} %" if row["completeness"] is not None else "",
                row["timeliness"],
                rating_text,
                _("Overdue") if row["overdue"] else "",
            ]
        )
    title = _("Pathfinder Countries, their journey and their reports")
    if result["period"]:
        title = f"{title} ({result['period'].label})"
    return exports.Table(title, [str(label) for _key, label in OVERVIEW_COLUMNS], rows)


# --- The country page -----------------------------------------------------------------------


def country_focal_points(*, pathfinder: PathfinderCountry) -> list[FocalPoint]:
    return list(
        FocalPoint.objects.filter(country_id=pathfinder.country_id, user__is_active=True)
        .select_related("user")
        .order_by("capacity", "user__last_name")
    )


def country_roadmaps(*, pathfinder: PathfinderCountry) -> list[Roadmap]:
    return list(
        Roadmap.objects.filter(pathfinder=pathfinder)
        .prefetch_related(Prefetch("commitments", queryset=Commitment.objects.order_by("code")))
        .order_by("-starts_year")
    )


def country_reports(*, pathfinder: PathfinderCountry) -> list[ProgressReport]:
    return list(
        ProgressReport.objects.filter(pathfinder=pathfinder)
        .select_related("period")
        .order_by("-period__opens_on")
    )


# A trend chart's ids, made unique within the page by the indicator's place rather than by
# the process-wide counter, so a chart kept in the shared cache never repeats another's id.
_CHART_IDS = re.compile(r'"chart-title-\d+ chart-desc-\d+"|"chart-(title|desc)-\d+"')


def _trend_chart(chart: str, index: int) -> str:
    # Quoted ids only: the chart's own text is escaped, so it holds no quote.
    uid = f"trend-{index}"
    return mark_safe(  # noqa: S308  the chart escaped its text
        _CHART_IDS.sub(
            lambda m: f'"chart-{m[1]}-{uid}"' if m[1] else f'"chart-title-{uid} chart-desc-{uid}"',
            chart,
        )
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
            "indicator__target",
            "report__period__label",
            "report__period__opens_on",
            "value_number",
            "value_date",
            "value_text",
        )
    )
    opens: dict[str, datetime.date] = {}
    latest: dict[str, tuple] = {}  # code -> the indicator's meta in its latest version
    values: dict[tuple[str, str], tuple] = {}  # (code, period) -> the value
    for code, version, order, title, pillar, kind, unit, target, period, opens_on, *value in rows:
        opens.setdefault(period, opens_on)
        if code not in latest or version > latest[code][0]:
            latest[code] = (version, order, title, pillar, kind, unit, target)
        values.setdefault((code, period), tuple(value))
    if not rows:
        return {"periods": [], "indicators": []}
    periods = sorted(opens, key=opens.__getitem__)
    indicators = []
    ordered = sorted(latest.items(), key=lambda item: (item[1][1], item[0]))
    for code, (_version, _order, title, pillar, kind, unit, target) in ordered:
        cells, numbers = [], []
        for period in periods:
            value = values.get((code, period))
            cell, number = _trend_cell(kind, *value) if value else ("", None)
            cells.append(cell)
            numbers.append(number)
        chart = None
        if indicator_type(kind).charted and any(n is not None for n in numbers):
            chart = _trend_chart(
                charts.line_chart(
                    periods,
                    {title[:40]: numbers},
                    title=f"{code} {title}",
                    unit=indicator_type(kind).chart_unit,
                    target=None if target is None else float(target),
                    height=200,
                ),
                len(indicators),
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
            }
        )
    return {"periods": periods, "indicators": indicators}


def indicator_trends(*, pathfinder: PathfinderCountry) -> dict:
    """Indicator values across periods, from accepted reports, with a chart per numeric indicator.

    Indicators are matched across framework versions by code; titles and targets come from
    the latest version that holds the code. Kept in the cache per country and language (the
    yes/no cells are translated) until the area's data changes.
    """
    return cached_aggregate(
        ["pathfinders"],
        f"pathfinders:trends:{pathfinder.pk}:{get_language()}",
        lambda: _indicator_trends(pathfinder_id=pathfinder.pk),
    )


def commitments_chart(*, roadmaps: list[Roadmap]):
    rows = [(c.code, c.progress_percent) for r in roadmaps for c in r.commitments.all()]
    if not rows:
        return None
    return charts.bar_chart(rows, title=_("Progress of the commitments"), unit=" %", max_value=100)


def country_page(
    *, pathfinder: PathfinderCountry, user, today: datetime.date | None = None
) -> dict:
    """Queries: focal points, roadmaps, commitments, reports, trend values, current period."""
    roadmaps = country_roadmaps(pathfinder=pathfinder)
    reports = country_reports(pathfinder=pathfinder)
    period = current_period(today=today)
    current_report = next((r for r in reports if period and r.period_id == period.pk), None)
    return {
        "pathfinder": pathfinder,
        "focal_points": country_focal_points(pathfinder=pathfinder),
        "roadmaps": roadmaps,
        "commitments_chart": commitments_chart(roadmaps=roadmaps),
        "reports": reports,
        "trends": indicator_trends(pathfinder=pathfinder),
        "period": period,
        "current_report": current_report,
        "is_own_country": pathfinder.country_id in focal_point_country_ids(user),
    }


# --- Review queue, public pages, history, dashboard ----------------------------------------


def review_queue() -> dict:
    """Queries: submitted reports, returned reports awaiting resubmission."""
    base = ProgressReport.objects.select_related("pathfinder__country", "period", "submitted_by")
    return {
        "submitted": list(base.filter(status=ReportStatus.SUBMITTED).order_by("submitted_at")),
        "returned": list(
            base.filter(status=ReportStatus.RETURNED)
            .select_related("returned_by")
            .order_by("returned_at")
        ),
    }


def public_pathfinders() -> list[PathfinderCountry]:
    return list(
        PathfinderCountry.objects.filter(is_public=True)
        .select_related("country")
        .order_by("country__ilo_region", "country__name")
    )


def public_profile(*, pathfinder: PathfinderCountry) -> dict:
    return {"pathfinder": pathfinder, "roadmaps": country_roadmaps(pathfinder=pathfinder)}


def report_history(*, report: ProgressReport) -> list[dict]:
    """Who changed what and when: the report, its values and updates, newest first."""
    entries: list[dict] = []

    def add_changes(records, describe) -> None:
        by_object: dict[int, list] = defaultdict(list)
        for record in records:
            by_object[record.id].append(record)
        for history in by_object.values():
            history.sort(key=lambda h: (h.history_date, h.history_id))
            previous = None
            for record in history:
                fields = record.instance._meta
                if previous is None:
                    changes = [
                        (fields.get_field(name).verbose_name, "", _text(record, name))
                        for name in describe["fields"]
                        if _text(record, name) != ""
                    ]
                    action = _("created")
                else:
                    delta = record.diff_against(previous, included_fields=describe["fields"])
                    changes = [
                        (
                            fields.get_field(c.field).verbose_name,
                            _text(previous, c.field),
                            _text(record, c.field),
                        )
                        for c in delta.changes
                    ]
                    action = _("changed")
                if changes:
                    entries.append(
                        {
                            "at": record.history_date,
                            "user": record.history_user,
                            "what": describe["label"](record),
                            "action": action,
                            "changes": changes,
                        }
                    )
                previous = record

    report_fields = ["status", "summary", "version"]
    add_changes(
        report.history.filter(id=report.pk).select_related("history_user"),
        {"fields": report_fields, "label": lambda r: _("Report")},
    )
    indicators = {
        i.pk: i for i in Indicator.objects.filter(version_id=report.period.framework_version_id)
    }
    add_changes(
        IndicatorValue.history.filter(report_id=report.pk).select_related("history_user"),
        {
            "fields": ["value_number", "value_date", "value_text", "narrative", "evidence"],
            "label": lambda r: (
                indicators[r.indicator_id].code if r.indicator_id in indicators else "?"
            ),
        },
    )
    commitments = {
        c.pk: c for c in Commitment.objects.filter(roadmap__pathfinder_id=report.pathfinder_id)
    }
    add_changes(
        CommitmentUpdate.history.filter(report_id=report.pk).select_related("history_user"),
        {
            "fields": ["status", "progress_percent", "narrative"],
            "label": lambda r: (
                _("Commitment %(code)s")
                % {
                    "code": commitments[r.commitment_id].code
                    if r.commitment_id in commitments
                    else "?"
                }
            ),
        },
    )
    entries.sort(key=lambda e: e["at"], reverse=True)
    return entries


def _text(record, name: str) -> str:
    """A historical field value as people read it: choice labels, 40 rather than 40.00."""
    field = record.instance._meta.get_field(name)
    value = getattr(record, field.attname)
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if name == "evidence":
        return str(value).rsplit("/", 1)[-1]
    return str(value)


def dashboard_summary(*, user) -> dict | None:
    if not may_use_pathfinders(user):
        return None
    period = current_period()
    if can_read_everything(user):
        stages = dict(
            PathfinderCountry.objects.values_list("stage")
            .annotate(n=Count("pk"))
            .values_list("stage", "n")
        )
        statuses = {}
        if period is not None:
            statuses = dict(
                ProgressReport.objects.filter(period=period)
                .values_list("status")
                .annotate(n=Count("pk"))
                .values_list("status", "n")
            )
        # Overdue: reporting countries with nothing submitted for the latest period whose
        # deadline (due date plus grace days) has passed.
        closed = [
            p
            for p in ReportingPeriod.objects.filter(due_on__lt=timezone.localdate()).order_by(
                "-due_on"
            )[:3]
            if p.is_past_deadline(timezone.localdate())
        ]
        overdue_period, overdue = (closed[0] if closed else None), 0
        if overdue_period is not None:
            overdue = (
                PathfinderCountry.objects.filter(stage__in=REPORTING_STAGES)
                .exclude(reports__period=overdue_period, reports__first_submitted_at__isnull=False)
                .count()
            )
        chart = charts.bar_chart(
            [(str(stage.label), stages.get(stage.value, 0)) for stage in Stage],
            title=_("Pathfinder Countries by journey stage"),
        )
        return {
            "mode": "all",
            "period": period,
            "total": sum(stages.values()),
            "reporting": sum(stages.get(s, 0) for s in REPORTING_STAGES),
            "statuses": [
                {"label": label, "count": statuses.get(value, 0), "badge": STATUS_BADGES[value]}
                for value, label in ReportStatus.choices
            ],
            "awaiting_review": statuses.get(ReportStatus.SUBMITTED, 0),
            "overdue_period": overdue_period,
            "overdue": overdue,
            "is_secretariat": is_secretariat(user),
            "chart": chart,
        }
    own = list(visible_pathfinders(user).select_related("country"))
    reports = {}
    if period is not None:
        reports = {
            r.pathfinder_id: r
            for r in ProgressReport.objects.filter(period=period, pathfinder__in=own)
        }
    return {
        "mode": "own",
        "period": period,
        "countries": [
            {
                "pathfinder": p,
                "report": reports.get(p.pk),
                "badge": STATUS_BADGES.get(reports[p.pk].status) if p.pk in reports else "grey",
            }
            for p in own
        ],
    }


def pathfinders_for_select(user) -> QuerySet[PathfinderCountry]:
    return visible_pathfinders(user).select_related("country")


# --- PDF reports -----------------------------------------------------------------------------


def _latest_narratives(*, reports: list[ProgressReport]) -> dict:
    """The narratives of the latest submitted, returned or accepted report."""
    latest = next(
        (r for r in reports if r.status in (ReportStatus.ACCEPTED, ReportStatus.SUBMITTED)), None
    )
    if latest is None:
        return {"report": None, "values": [], "updates": []}
    values = (
        IndicatorValue.objects.filter(report=latest)
        .exclude(narrative="")
        .select_related("indicator")
        .order_by("indicator__order", "indicator__code")
    )
    updates = (
        CommitmentUpdate.objects.filter(report=latest)
        .exclude(narrative="")
        .select_related("commitment")
        .order_by("commitment__code")
    )
    return {"report": latest, "values": list(values), "updates": list(updates)}


def _indicator_targets(
    *, pathfinder: PathfinderCountry, reports: list[ProgressReport]
) -> list[dict]:
    """Each indicator of the latest framework the country reported on: baseline, target, latest value."""
    reported = [r for r in reports if r.status == ReportStatus.ACCEPTED]
    if not reported:
        return []
    latest = reported[0]
    values = {
        v.indicator_id: v
        for v in IndicatorValue.objects.filter(report=latest).select_related("indicator")
    }
    rows = []
    for indicator in Indicator.objects.filter(
        version_id=latest.period.framework_version_id
    ).order_by("order", "code"):
        value = values.get(indicator.pk)
        rows.append({"indicator": indicator, "value": value, "period": latest.period})
    return rows


def country_dossier_report(*, country: str) -> dict:
    """The Pathfinder country accountability dossier (PDF); same figures as the country page."""
    pathfinder = PathfinderCountry.objects.select_related("country", "status_decision").get(
        country__iso_code=country.upper()
    )
    roadmaps = country_roadmaps(pathfinder=pathfinder)
    reports = country_reports(pathfinder=pathfinder)
    journey = [
        {
            "stage": stage.label,
            "date": getattr(pathfinder, STAGE_DATE_FIELDS[stage]),
            "current": pathfinder.stage == stage.value,
        }
        for stage in Stage
    ]
    context = {
        "report_subject": pathfinder.country.name,
        "pathfinder": pathfinder,
        "journey": journey,
        "roadmaps": roadmaps,
        "commitments_chart": commitments_chart(roadmaps=roadmaps),
        "trends": indicator_trends(pathfinder=pathfinder),
        "targets": _indicator_targets(pathfinder=pathfinder, reports=reports),
        "narratives": _latest_narratives(reports=reports),
        "timeliness": [
            {"report": r, "period": r.period, "on_time": r.is_on_time} for r in reversed(reports)
        ],
    }
    # The other areas' parts of the dossier: funding, and the events attended.
    from financing.selectors import country_funding_summary
    from workshops.selectors import country_events

    context["country_funding_summary"] = country_funding_summary(country=pathfinder.country)
    context["country_events"] = country_events(country=pathfinder.country)
    return context


def alliance_accountability_report() -> dict:
    """The Alliance-wide accountability report (PDF): every country, as a GCG member sees them."""
    result = overview(pathfinders=PathfinderCountry.objects.all(), params={})
    rows = result["rows"]
    regions: dict[str, dict[str, int]] = {}
    for row in rows:
        counts = regions.setdefault(row["region"], {"green": 0, "amber": 0, "red": 0, "none": 0})
        counts[row["rating"].level or "none"] += 1
    region_names = sorted(regions)
    rag_chart = charts.stacked_bar_chart(
        region_names,
        {
            str(_("Green")): [regions[r]["green"] for r in region_names],
            str(_("Amber")): [regions[r]["amber"] for r in region_names],
            str(_("Red")): [regions[r]["red"] for r in region_names],
            str(_("Not rated")): [regions[r]["none"] for r in region_names],
        },
        title=_("Progress rating by ILO region"),
        colours=["#1e7a3c", "#E69F00", "#b42318", "#999999"],
    )
    completeness_rows = [
        (row["country"], row["completeness"] or 0)
        for row in rows
        if row["completeness"] is not None
    ]
    return {
        "report_subject": result["period"].label if result["period"] else "",
        "period": result["period"],
        "rows": rows,
        "figures": result["figures"],
        "indicator_count": result["indicator_count"],
        "regions": [(name, regions[name]) for name in region_names],
        "rag_chart": rag_chart,
        "completeness_chart": charts.bar_chart(
            completeness_rows, title=_("Completeness of the reports"), unit=" %", max_value=100
        )
        if completeness_rows
        else None,
        "overdue_rows": [row for row in rows if row["overdue"]],
        "rating_rule": RATING_RULE,
    }


def periods_past_deadline(
    *, within_days: int, today: datetime.date | None = None
) -> list[ReportingPeriod]:
    """Periods whose deadline (due date plus grace days) passed in the last `within_days` days."""
    today = today or timezone.localdate()
    periods = ReportingPeriod.objects.filter(
        due_on__lt=today, due_on__gte=today - datetime.timedelta(days=within_days + 366)
    )
    return [
        p for p in periods if today - datetime.timedelta(days=within_days) <= p.deadline < today
    ]


# --- Data quality: the previous accepted value and the jumps from it (pathfinders.quality) ---

_VALUE_ROW_FIELDS = (
    "report_id",
    "report__pathfinder_id",
    "report__status",
    "report__period__opens_on",
    "report__period__label",
    "indicator__code",
    "indicator__kind",
    "indicator__title",
    "indicator__order",
    "value_number",
    "value_date",
    "value_text",
    "change_note",
)
_HAS_VALUE = Q(value_number__isnull=False) | Q(value_date__isnull=False) | ~Q(value_text="")


def _accepted_before(reports: list[ProgressReport]) -> Q:
    """The values of the accepted reports of these reports' countries, from earlier periods."""
    return Q(
        _HAS_VALUE,
        report__status=ReportStatus.ACCEPTED,
        report__pathfinder_id__in={r.pathfinder_id for r in reports},
        report__period__opens_on__lt=max(r.period.opens_on for r in reports),
    )


def _previous_from_rows(
    *, reports: list[ProgressReport], rows: list[dict]
) -> dict[int, dict[str, "quality.PreviousValue"]]:
    accepted: dict[int, list[dict]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: r["report__period__opens_on"], reverse=True):
        if row["report__status"] == ReportStatus.ACCEPTED:
            accepted[row["report__pathfinder_id"]].append(row)
    result: dict[int, dict[str, quality.PreviousValue]] = {}
    for report in reports:
        found: dict[str, quality.PreviousValue] = {}
        for row in accepted[report.pathfinder_id]:
            if row["report__period__opens_on"] >= report.period.opens_on:
                continue
            kind = row["indicator__kind"]
            found.setdefault(
                row["indicator__code"],
                quality.PreviousValue(
                    code=row["indicator__code"],
                    kind=kind,
                    value_number=row["value_number"],
                    display=indicator_type(kind).display(
                        row["value_number"], row["value_date"], row["value_text"]
                    ),
                    period_label=row["report__period__label"],
                    report_id=row["report_id"],
                ),
            )
        result[report.pk] = found
    return result


def previous_values(*, report: ProgressReport) -> dict[str, "quality.PreviousValue"]:
    """Each indicator's previous accepted value for this report, by indicator code
    (quality.PREVIOUS_VALUE_RULE). One query; the report's period must be loaded."""
    rows = list(
        IndicatorValue.objects.filter(_accepted_before([report])).values(*_VALUE_ROW_FIELDS)
    )
    return _previous_from_rows(reports=[report], rows=rows)[report.pk]


def report_flags(
    *, report: ProgressReport, previous: dict[str, "quality.PreviousValue"]
) -> dict[int, "quality.Flag"]:
    """The report's values that jump from their previous accepted value, by indicator id.
    Reads the report's values as loaded (report_with_parts)."""
    flags = {}
    for value in report.values.all():
        indicator = value.indicator
        prior = previous.get(indicator.code)
        if quality.jumped(kind=indicator.kind, value_number=value.value_number, previous=prior):
            flags[indicator.pk] = quality.Flag(
                code=indicator.code,
                title=indicator.title,
                previous=prior,
                display=value.display_value,
                note=value.change_note,
            )
    return flags


def review_queue_flags(*, reports: list[ProgressReport]) -> dict[int, list["quality.Flag"]]:
    """For each report (its period loaded), its values that jump from their previous accepted
    value, in the indicators' order. One query: the reports' numbers and percentages and the
    accepted values of their countries before them."""
    if not reports:
        return {}
    ids = [r.pk for r in reports]
    rows = list(
        IndicatorValue.objects.filter(
            Q(
                report_id__in=ids,
                indicator__kind__in=quality.COMPARED_KINDS,
                value_number__isnull=False,
            )
            | _accepted_before(reports)
        ).values(*_VALUE_ROW_FIELDS)
    )
    previous = _previous_from_rows(reports=reports, rows=rows)
    flags: dict[int, list[quality.Flag]] = {pk: [] for pk in ids}
    for row in sorted(rows, key=lambda r: (r["indicator__order"], r["indicator__code"])):
        if row["report_id"] not in flags:
            continue
        kind = row["indicator__kind"]
        prior = previous[row["report_id"]].get(row["indicator__code"])
        if quality.jumped(kind=kind, value_number=row["value_number"], previous=prior):
            flags[row["report_id"]].append(
                quality.Flag(
                    code=row["indicator__code"],
                    title=row["indicator__title"],
                    previous=prior,
                    display=indicator_type(kind).display(row["value_number"], None, ""),
                    note=row["change_note"],
                )
            )
    return flags
