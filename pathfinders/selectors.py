"""Reads of the pathfinders area: query shapes, pandas aggregations, plain data for pages."""

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Count,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _

from alliance87 import charts, exports
from alliance87.access import Person, can_read_everything, focal_point_country_ids, is_secretariat
from alliance87.aggregates import cached_aggregate, cached_under, versioned_key

from . import quality, reporting
from .access import may_use_pathfinders, visible_pathfinders
from .filters import OverviewFilter, PipelineFilter
from .indicator_types import indicator_type
from .models import (
    REPORTING_STAGES,
    STAGE_DATE_FIELDS,
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    FocalPoint,
    FrameworkVersion,
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
    RoadmapTarget,
    Stage,
)
from .reminders import reminders_due

# The rules are written once, where the figures are computed; pages show these.
RATING_RULE = reporting.RATING_RULE
TIMELINESS_RULE = reporting.TIMELINESS_RULE
EXPECTATION_RULE = reporting.EXPECTATION_RULE
RATES_RULE = reporting.RATES_RULE
INDICATORS_FILLED_RULE = reporting.INDICATORS_FILLED_RULE
TARGETS_RULE = reporting.TARGETS_RULE

# The languages an indicator's title is recorded in (pathfinders/translation.py).
TITLE_LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)

STAGE_ORDER = {stage: index for index, stage in enumerate(Stage)}
COMMITMENT_BADGES = {
    CommitmentStatus.NOT_STARTED: "grey",
    CommitmentStatus.ON_TRACK: "green",
    CommitmentStatus.DELAYED: "amber",
    CommitmentStatus.OFF_TRACK: "red",
    CommitmentStatus.COMPLETED: "blue",
}
STATUS_BADGES = {
    ReportStatus.DRAFT: "grey",
    ReportStatus.SUBMITTED: "blue",
    ReportStatus.RETURNED: "amber",
    ReportStatus.ACCEPTED: "green",
    ReportStatus.REOPENED: "amber",
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

# Labels by value: get_FOO_display() hashes every choice (translating each) on every call.
REGION_LABELS = dict(IloRegion.choices)
STATUS_LABELS = dict(ReportStatus.choices)
Rating = reporting.Rating

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


def opened_periods(*, today: datetime.date | None = None) -> list[ReportingPeriod]:
    """Every period that has opened, latest first."""
    today = today or timezone.localdate()
    return list(
        ReportingPeriod.objects.select_related("framework_version")
        .filter(opens_on__lte=today)
        .order_by("-opens_on")
    )


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


def rates_chart(rows: list[RateRow], *, title: str, height: int = 220, uid: str | None = None):
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
        unit=" %",
        height=height,
        uid=uid,
    )


def _scope_key(pathfinder_ids: list[int]) -> str:
    """The countries a figure is computed for (those the reader may see, filtered), in a key."""
    visible = ",".join(str(pk) for pk in sorted(pathfinder_ids))
    return hashlib.sha256(visible.encode()).hexdigest()


# How long figures kept per minute (_moment_key) stay in the cache: a key is read for one
# minute only, so the rest would hold memory that nobody reads.
MINUTE_KEYED_SECONDS = 120


def _moment_key(now: datetime.datetime) -> str:
    """What the reporting figures read besides the data and the countries, in a key: the
    reader's language (the labels) and time zone (which periods have opened by the reader's
    day), and the minute (a report turns late or overdue at midnight in its country's time,
    so never within a minute)."""
    minute = now.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M")
    return f"{get_language()}:{timezone.get_current_timezone_name()}:{minute}"


def overview(
    *,
    pathfinders: QuerySet[PathfinderCountry],
    params,
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
    pathfinders = list(filterset.qs)
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
                _scope_key([p.pk for p in pathfinders]),
                _moment_key(now),
            )
        ),
    )
    result = cached_under(
        key,
        lambda: _overview_figures(
            pathfinders=pathfinders, periods=periods, period=period, sort=sort, now=now
        ),
        MINUTE_KEYED_SECONDS,
    )
    return {"filter": filterset, "period": period, "sort": sort, "figures_key": key, **result}


def _overview_figures(
    *,
    pathfinders: list[PathfinderCountry],
    periods: list[ReportingPeriod],
    period: ReportingPeriod | None,
    sort: str,
    now: datetime.datetime,
) -> dict:
    """What `overview` shows of these countries, as plain data for the cache."""
    ids = [p.pk for p in pathfinders]
    figures = reporting_data(pathfinder_ids=ids, period=period)
    rates = reporting_rates(
        pathfinders=pathfinders, periods=periods, data=figures, period=period, now=now
    )
    indicator_count = figures["indicator_count"]
    ratings = {
        pathfinder_id: (Rating(level=level, score=score, rated=rated, percent=shown), label)
        for pathfinder_id, (level, score, rated, shown, label) in figures["ratings"].items()
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
    rows: list[dict] = []
    for pathfinder in pathfinders:
        cell = rates["cells"].get((pathfinder.pk, period.pk)) if period else None
        report_id = rates["report_ids"].get((pathfinder.pk, period.pk)) if period else None
        filled = None
        if report_id is not None and indicator_count:
            filled = reporting.percent(figures["filled"].get(report_id, 0), indicator_count)
        timeliness_key = cell.key if cell else "not_expected"
        rating, rated_period = ratings.get(pathfinder.pk, not_rated)
        stage = Stage(pathfinder.stage)
        country = pathfinder.country
        region = country.ilo_region
        if cell is not None and cell.status:
            status = text("status", cell.status, STATUS_LABELS.get(cell.status, cell.status))
        elif cell is not None and cell.expected:
            status = text("status", "", gettext_lazy("Not started"))
        else:
            status = text("timeliness", "not_expected", reporting.TIMELINESS["not_expected"][0])
        rows.append(
            {
                "pathfinder_id": pathfinder.pk,
                "country": country.name,
                "iso_code": country.iso_code,
                "region": text("region", region, REGION_LABELS.get(region, region)),
                "stage_key": stage.value,
                "stage": text("stage", stage.value, stage.label),
                "stage_date": getattr(pathfinder, STAGE_DATE_FIELDS[stage]),
                "report_id": report_id,
                "expected": bool(cell and cell.expected),
                "status_key": cell.status if cell else "",
                "status": status,
                "status_badge": STATUS_BADGES.get(cell.status, "grey") if cell else "grey",
                "filled": filled,
                "timeliness_key": timeliness_key,
                "timeliness": text(
                    "timeliness", timeliness_key, reporting.TIMELINESS[timeliness_key][0]
                ),
                "timeliness_badge": reporting.TIMELINESS[timeliness_key][1],
                "overdue": timeliness_key == "overdue",
                "rating": rating,
                "rated_period": rated_period,
            }
        )
    rows = _sorted(rows, sort)
    period_rates = rates["period"]
    return {
        "rows": rows,
        "indicator_count": indicator_count,
        "rates": period_rates,
        "period_rates": rates["periods"],
        "region_rates": rates["regions"],
        "rates_chart": rates_chart(
            rates["periods"],
            title=_("Reporting rates by period, for the countries shown"),
            uid="overview-rates",
        ),
        "figures": {
            "countries": len(rows),
            "expected": period_rates.expected,
            "received": period_rates.received,
            "on_time": period_rates.on_time,
            "completeness": period_rates.completeness,
            "timeliness": period_rates.timeliness,
            "overdue": period_rates.overdue,
            "accepted": sum(1 for r in rows if r["status_key"] == ReportStatus.ACCEPTED),
            "awaiting_review": period_rates.awaiting_review,
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
        "filled": lambda r: (
            r["filled"] if r["filled"] is not None else -1,
            r["country"],
        ),
        "timeliness": lambda r: (TIMELINESS_ORDER[r["timeliness_key"]], r["country"]),
        "rating": lambda r: (RATING_ORDER[r["rating"].level], r["country"]),
    }
    return sorted(rows, key=keys.get(key, keys["country"]), reverse=descending)


def _percent_text(value: int | None) -> str:
    return "" if value is None else f"{value} %"


RATE_COLUMNS = [
    pgettext_lazy("reports", "Expected"),
    pgettext_lazy("reports", "Received"),
    pgettext_lazy("reports", "On time"),
    gettext_lazy("Completeness"),
    gettext_lazy("Timeliness"),
]


def _rate_cells(rates: reporting.Rates) -> list:
    return [
        rates.expected,
        rates.received,
        rates.on_time,
        _percent_text(rates.completeness),
        _percent_text(rates.timeliness),
    ]


def rate_table(rows: list[RateRow], *, title: str, first_column: str) -> exports.Table:
    """Reporting rates by period, region or country, as the pages show them."""
    return exports.Table(
        title,
        [first_column, *(str(c) for c in RATE_COLUMNS)],
        [[row.label, *_rate_cells(row.rates)] for row in rows],
    )


def rating_with_period(row: dict, period: ReportingPeriod | None) -> str:
    """The rating as the overview shows it, naming the period of the report it comes from
    when that is not the chosen period, e.g. "Amber (40 %), 2024"."""
    text = row["rating"].text
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
            _percent_text(row["filled"]),
            row["timeliness"],
            rating_with_period(row, result["period"]),
            _("Overdue") if row["overdue"] else "",
        ]
        for row in result["rows"]
    ]
    title = _("Pathfinder Countries, their journey and their reports")
    if result["period"]:
        title = f"{title} ({result['period'].label})"
    return exports.Table(title, [str(label) for _key, label in OVERVIEW_COLUMNS], rows)


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


# --- The country page -----------------------------------------------------------------------


def country_focal_points(*, pathfinder: PathfinderCountry) -> list[FocalPoint]:
    return list(
        FocalPoint.objects.filter(country_id=pathfinder.country_id, user__is_active=True)
        .select_related("user")
        .order_by("capacity", "user__last_name")
    )


def country_roadmaps(*, pathfinder: PathfinderCountry, with_targets: bool = False) -> list[Roadmap]:
    """The country's roadmaps, latest first, with their commitments (and, when asked, the
    country's own baselines and targets: one query more)."""
    parts = [Prefetch("commitments", queryset=Commitment.objects.order_by("code"))]
    if with_targets:
        parts.append(
            Prefetch("targets", queryset=RoadmapTarget.objects.select_related("indicator"))
        )
    return list(
        Roadmap.objects.filter(pathfinder=pathfinder)
        .prefetch_related(*parts)
        .order_by("-starts_year")
    )


def country_reports(*, pathfinder: PathfinderCountry) -> list[ProgressReport]:
    return list(
        ProgressReport.objects.filter(pathfinder=pathfinder)
        .select_related("period")
        .order_by("-period__opens_on")
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
            # The title in each language: the page shows the reader's, or the English marked
            # as such ({% translated %}); the chart shows the reader's or the English.
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
    )
    opens: dict[str, datetime.date] = {}
    latest: dict[str, tuple] = {}  # code -> the indicator's meta in its latest version
    framework: dict[str, reporting.Reference] = {}  # code -> the framework's, same version
    values: dict[tuple[str, str], tuple] = {}  # (code, period) -> the value
    for row in rows:
        code, version, order = row[:3]
        titles = dict(zip(TITLE_LANGUAGES, row[3 : 3 + len(TITLE_LANGUAGES)], strict=True))
        pillar, kind, unit, *rest = row[3 + len(TITLE_LANGUAGES) :]
        reference, (period, opens_on), value = rest[:5], rest[5:7], rest[7:]
        opens.setdefault(period, opens_on)
        if code not in latest or version > latest[code][0]:
            latest[code] = (version, order, titles, pillar, kind, unit)
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
    for code, (_version, _order, titles, pillar, kind, unit) in ordered:
        title = titles.get(get_language()) or titles[settings.MODELTRANSLATION_DEFAULT_LANGUAGE]
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
                **{f"title_{language}": text for language, text in titles.items()},
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


def commitments_chart(*, roadmaps: list[Roadmap]):
    rows = [(c.code, c.progress_percent) for r in roadmaps for c in r.commitments.all()]
    if not rows:
        return None
    return charts.bar_chart(rows, title=_("Progress of the commitments"), unit=" %", max_value=100)


def country_reporting(
    *, pathfinder: PathfinderCountry, now: datetime.datetime | None = None
) -> dict:
    """The country's reporting record: each opened period (expected or not, status,
    deadline, first submission, timeliness), its rates across the periods whose deadline
    has passed, and a chart of those rates over time. The same figures as the overview.

    Kept in the cache until the area changes, per reader's language, time zone and minute;
    the key (`key`) also keeps the page's rendering of the record ({% cache %}).
    """
    now = now or timezone.now()
    key = versioned_key(["pathfinders"], f"pathfinders:record:{pathfinder.pk}:{_moment_key(now)}")
    record = cached_under(
        key, lambda: _country_reporting(pathfinder=pathfinder, now=now), MINUTE_KEYED_SECONDS
    )
    return {**record, "key": key}


def _country_reporting(*, pathfinder: PathfinderCountry, now: datetime.datetime) -> dict:
    periods = opened_periods(today=timezone.localdate(now))
    data = reporting_data(pathfinder_ids=[pathfinder.pk], period=periods[0] if periods else None)
    rates = reporting_rates(
        pathfinders=[pathfinder], periods=periods, data=data, period=None, now=now
    )
    rating, rated_period = Rating("", None, 0), ""
    if pathfinder.pk in data["ratings"]:
        level, score, rated, shown, rated_period = data["ratings"][pathfinder.pk]
        rating = Rating(level=level, score=score, rated=rated, percent=shown)
    zone = pathfinder.country.zone
    rows = [
        {
            "period": period,
            "cell": rates["cells"][pathfinder.pk, period.pk],
            "report_id": rates["report_ids"].get((pathfinder.pk, period.pk)),
            "status": STATUS_LABELS.get(rates["cells"][pathfinder.pk, period.pk].status, ""),
            "deadline_ends_at": period.deadline_ends_at(zone),
        }
        for period in periods
    ]
    # The rates up to each closed period, oldest first: how the record built up.
    running, history = reporting.Rates(), []
    for row in reversed(rows):
        if row["cell"].closed:
            running.add(row["cell"])
            history.append(
                RateRow(
                    label=row["period"].label,
                    rates=reporting.Rates(**vars(running)),
                    period=row["period"],
                )
            )
    return {
        "rows": rows,
        "rates": rates["countries"].get(pathfinder.pk, reporting.Rates()),
        "chart": rates_chart(
            list(reversed(history)),
            title=_("Reporting rates of %(country)s over time")
            % {"country": pathfinder.country.name},
            height=180,
            uid="country-rates",
        ),
        "time_zone": pathfinder.country.time_zone,
        "rating": rating,
        "rated_period": rated_period,
    }


def country_page(
    *, pathfinder: PathfinderCountry, user: Person, now: datetime.datetime | None = None
) -> dict:
    """Queries: focal points, roadmaps, commitments, reports, trend values, the opened
    periods, the reporting record and the journey's history."""
    roadmaps = country_roadmaps(pathfinder=pathfinder)
    reports = country_reports(pathfinder=pathfinder)
    record = country_reporting(pathfinder=pathfinder, now=now)
    period = record["rows"][0]["period"] if record["rows"] else None
    current_report = next((r for r in reports if period and r.period_id == period.pk), None)
    return {
        "pathfinder": pathfinder,
        "focal_points": country_focal_points(pathfinder=pathfinder),
        "roadmaps": roadmaps,
        "commitments_chart": commitments_chart(roadmaps=roadmaps),
        "reports": reports,
        "record": record,
        "trends": indicator_trends(pathfinder=pathfinder),
        "period": period,
        "current_report": current_report,
        "current_cell": record["rows"][0]["cell"] if record["rows"] else None,
        "is_own_country": pathfinder.country_id in focal_point_country_ids(user),
        "journey_history": journey_history(pathfinder=pathfinder),
        "may_change_stage": is_secretariat(user),
        "expectation_rule": EXPECTATION_RULE,
        "timeliness_rule": TIMELINESS_RULE,
        "rates_rule": RATES_RULE,
    }


# --- Review queue, public pages, history, dashboard ----------------------------------------


def review_queue(*, now: datetime.datetime | None = None) -> dict:
    """Queries: submitted reports, returned reports awaiting resubmission, and the five of
    the reminders due (pathfinders.reminders), of which those that would reach nobody are
    listed: computed from the same rule as the reminder run, so a country drops off the list
    as soon as it has a focal point (the next run sends its reminder) or its report is in."""
    base = ProgressReport.objects.select_related("pathfinder__country", "period", "submitted_by")
    return {
        "submitted": list(base.filter(status=ReportStatus.SUBMITTED).order_by("submitted_at")),
        "returned": list(
            base.filter(status=ReportStatus.RETURNED)
            .select_related("returned_by")
            .order_by("returned_at")
        ),
        "unreached_reminders": [r for r in reminders_due(now=now) if r.reaches_nobody],
    }


def public_pathfinders() -> list[PathfinderCountry]:
    return list(
        PathfinderCountry.objects.filter(is_public=True)
        .select_related("country")
        .order_by("country__ilo_region", "country__name")
    )


def public_commitments() -> QuerySet[Commitment]:
    """The commitments of the countries with a public profile, as the profiles publish them."""
    return (
        Commitment.objects.filter(roadmap__pathfinder__is_public=True)
        .select_related("roadmap__pathfinder__country")
        .order_by("roadmap__pathfinder__country__name", "-roadmap__starts_year", "code")
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


def dashboard_summary(*, user: Person, now: datetime.datetime | None = None) -> dict | None:
    if not may_use_pathfinders(user):
        return None
    now = now or timezone.now()
    if can_read_everything(user):
        key = versioned_key(["pathfinders"], f"pathfinders:dashboard:{_moment_key(now)}")
        summary = cached_under(key, lambda: _alliance_summary(now=now), MINUTE_KEYED_SECONDS)
        return {**summary, "is_secretariat": is_secretariat(user)}
    period = current_period(today=timezone.localdate(now))
    own = list(visible_pathfinders(user).select_related("country"))
    return {
        "mode": "own",
        # A focal point's own report is their task: the dashboard shows it first.
        "lead": bool(own),
        "period": period,
        "countries": focal_point_tasks(pathfinders=own, period=period, now=now),
    }


def _alliance_summary(*, now: datetime.datetime) -> dict:
    """The dashboard's Pathfinder figures for those who read every country, as plain data
    for the cache."""
    pathfinders = list(PathfinderCountry.objects.select_related("country"))
    periods = opened_periods(today=timezone.localdate(now))
    period = periods[0] if periods else None
    data = reporting_data(pathfinder_ids=[p.pk for p in pathfinders], period=None)
    rates = reporting_rates(
        pathfinders=pathfinders, periods=periods, data=data, period=period, now=now
    )
    stages: dict[str, int] = defaultdict(int)
    for pathfinder in pathfinders:
        stages[pathfinder.stage] += 1
    statuses: dict[str, int] = defaultdict(int)
    if period is not None:
        for pathfinder in pathfinders:
            statuses[rates["cells"][pathfinder.pk, period.pk].status] += 1
    # Overdue: the latest period whose deadline has passed in every country's time.
    closed = next((row for row in rates["periods"] if row.closed), None)
    chart = charts.bar_chart(
        [(str(stage.label), stages.get(stage.value, 0)) for stage in Stage],
        title=_("Pathfinder Countries by journey stage"),
        uid="dashboard-stages",
    )
    return {
        "mode": "all",
        "period": period,
        "period_rates": rates["period"],
        "total": len(pathfinders),
        "reporting": sum(stages.get(s, 0) for s in REPORTING_STAGES),
        "statuses": [
            {"label": str(label), "count": statuses.get(value, 0), "badge": STATUS_BADGES[value]}
            for value, label in ReportStatus.choices
        ],
        # Every report waiting for the Secretariat, whatever its period: the review queue.
        "awaiting_review": reporting.rates(rates["cells"].values()).awaiting_review,
        "overdue_period": closed.period if closed else None,
        "overdue": closed.rates.overdue if closed else 0,
        "closed_rates": closed.rates if closed else None,
        "chart": chart,
    }


def focal_point_tasks(
    *, pathfinders: list[PathfinderCountry], period: ReportingPeriod | None, now: datetime.datetime
) -> list[dict]:
    """Each country's report for the period as its focal point's task: where it stands, what
    it still lacks, and the days left before its deadline ends at midnight in the country's
    own time zone (ReportingPeriod.deadline_ends_at)."""
    if period is None:
        return [{"pathfinder": p, "report": None, "badge": "grey"} for p in pathfinders]
    filled = (
        Q(values__value_number__isnull=False)
        | Q(values__value_date__isnull=False)
        | (Q(values__value_text__isnull=False) & ~Q(values__value_text=""))
    )
    reports = {
        r.pathfinder_id: r
        for r in ProgressReport.objects.filter(period=period, pathfinder__in=pathfinders).annotate(
            filled_count=Count("values", filter=filled, distinct=True),
            updates_count=Count("commitment_updates", distinct=True),
        )
    }
    indicator_count = Indicator.objects.filter(version_id=period.framework_version_id).count()
    commitment_counts = dict(
        Commitment.objects.filter(roadmap__pathfinder__in=pathfinders)
        .order_by()
        .values("roadmap__pathfinder_id")
        .annotate(n=Count("pk"))
        .values_list("roadmap__pathfinder_id", "n")
    )
    tasks = []
    for pathfinder in pathfinders:
        report = reports.get(pathfinder.pk)
        zone = pathfinder.country.zone
        commitments = commitment_counts.get(pathfinder.pk, 0)
        days_left = (period.deadline - now.astimezone(zone).date()).days
        tasks.append(
            {
                "pathfinder": pathfinder,
                "report": report,
                "badge": STATUS_BADGES.get(report.status) if report else "grey",
                "zone": str(zone),
                "deadline": period.deadline,
                "deadline_ends_at": period.deadline_ends_at(zone),
                "days_left": days_left,
                "days_late": max(0, -days_left),
                "indicators_missing": indicator_count - (report.filled_count if report else 0),
                "indicator_count": indicator_count,
                "commitments_missing": commitments - (report.updates_count if report else 0),
                "commitment_count": commitments,
                "may_start": report is None and pathfinder.is_reporting,
            }
        )
    return tasks


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
    """Each indicator of the latest framework the country reported on: the country's baseline
    and target for that period (its own or the framework's, TARGETS_RULE), latest value."""
    reported = [r for r in reports if r.status == ReportStatus.ACCEPTED]
    if not reported:
        return []
    latest = reported[0]
    values = {
        v.indicator_id: v
        for v in IndicatorValue.objects.filter(report=latest).select_related("indicator")
    }
    indicators = list(
        Indicator.objects.filter(version_id=latest.period.framework_version_id).order_by(
            "order", "code"
        )
    )
    references = reporting.references(
        pathfinder=pathfinder, period=latest.period, indicators=indicators
    )
    return [
        {
            "indicator": indicator,
            "reference": references[indicator.pk],
            "value": values.get(indicator.pk),
            "period": latest.period,
        }
        for indicator in indicators
    ]


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
        "targets_rule": reporting.TARGETS_RULE,
        "narratives": _latest_narratives(reports=reports),
        "record": country_reporting(pathfinder=pathfinder),
        "expectation_rule": EXPECTATION_RULE,
        "timeliness_rule": TIMELINESS_RULE,
        "rates_rule": RATES_RULE,
        "rating_rule": RATING_RULE,
    }
    # The other areas' parts of the dossier: funding, and the events attended.
    from financing.selectors import country_funding_summary
    from workshops.selectors import country_events

    context["country_funding_summary"] = country_funding_summary(country=pathfinder.country)
    context["country_events"] = country_events(country=pathfinder.country)
    return context


def accountability_headline(*, now: datetime.datetime | None = None) -> dict:
    """The accountability framework's headline figures for every country, as a GCG member
    sees them on the overview (the same selector): the reporting rates of the current period,
    by period and by region, and the progress ratings counted by ILO region."""
    result = overview(pathfinders=PathfinderCountry.objects.all(), params={}, now=now)
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
    return {
        "overview": result,
        "period": result["period"],
        "rows": rows,
        "figures": result["figures"],
        "period_rates": result["period_rates"],
        "region_rates": result["region_rates"],
        "rates_chart": result["rates_chart"],
        "regions": [(name, regions[name]) for name in region_names],
        "rag_chart": rag_chart,
        "rating_rule": RATING_RULE,
        "rates_rule": RATES_RULE,
        "expectation_rule": EXPECTATION_RULE,
        "timeliness_rule": TIMELINESS_RULE,
    }


def alliance_accountability_report() -> dict:
    """The Alliance-wide accountability report (PDF): every country, as a GCG member sees them."""
    headline = accountability_headline()
    result = headline["overview"]
    rows = result["rows"]
    filled_rows = [(row["country"], row["filled"]) for row in rows if row["filled"] is not None]
    return {
        "report_subject": result["period"].label if result["period"] else "",
        "period": result["period"],
        "rows": rows,
        "figures": result["figures"],
        "indicator_count": result["indicator_count"],
        "period_rates": result["period_rates"],
        "region_rates": result["region_rates"],
        "rates_chart": result["rates_chart"],
        "regions": headline["regions"],
        "rag_chart": headline["rag_chart"],
        "filled_chart": charts.bar_chart(
            filled_rows, title=_("Indicators filled in each report"), unit=" %", max_value=100
        )
        if filled_rows
        else None,
        "overdue_rows": [row for row in rows if row["overdue"]],
        "rating_rule": RATING_RULE,
        "targets_rule": TARGETS_RULE,
        "expectation_rule": EXPECTATION_RULE,
        "timeliness_rule": TIMELINESS_RULE,
        "rates_rule": RATES_RULE,
        "filled_rule": INDICATORS_FILLED_RULE,
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
    accepted values of their countries before them; kept in the cache, per language, until
    the area changes."""
    if not reports:
        return {}
    key = versioned_key(
        ["pathfinders"],
        f"pathfinders:queue-flags:{get_language()}:{_scope_key([r.pk for r in reports])}",
    )
    return cached_under(key, lambda: _review_queue_flags(reports=reports))


def _review_queue_flags(*, reports: list[ProgressReport]) -> dict[int, list["quality.Flag"]]:
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


# --- The journey: the Pathfinder pipeline and each country's history -----------------------

JOURNEY_STEPS = [stage for stage in Stage if stage != Stage.INACTIVE]
TIME_AT_STAGE_RULE = gettext_lazy(
    "Time at a stage runs from the date a country reached it to the date it reached its next "
    "stage (or became inactive); for the countries still at it, to today. The average and the "
    "median are over the countries that have moved on."
)
DAYS_PER_MONTH = 30.4375


def journey_stays(
    pathfinder: PathfinderCountry, today: datetime.date
) -> list[tuple[Stage, datetime.date, datetime.date, bool]]:
    """Each stage the country reached: (stage, from, to, still there), from its journey dates."""
    reached = [
        (stage, day)
        for stage in JOURNEY_STEPS
        if (day := getattr(pathfinder, STAGE_DATE_FIELDS[stage])) is not None
    ]
    stays = []
    for index, (stage, start) in enumerate(reached):
        if index + 1 < len(reached):
            stays.append((stage, start, reached[index + 1][1], False))
        elif pathfinder.stage == Stage.INACTIVE and pathfinder.inactive_since:
            stays.append((stage, start, max(start, pathfinder.inactive_since), False))
        else:
            stays.append((stage, start, max(start, today), True))
    if pathfinder.inactive_since is not None:
        still = pathfinder.stage == Stage.INACTIVE
        end = today if still else (pathfinder.reactivated_on or today)
        stays.append(
            (Stage.INACTIVE, pathfinder.inactive_since, max(end, pathfinder.inactive_since), still)
        )
    return stays


def _months(days: float | None) -> float | None:
    return None if days is None else round(days / DAYS_PER_MONTH, 1)


def journey_pipeline(*, params, today: datetime.date | None = None) -> dict:
    """The Pathfinder pipeline as a funnel: for each stage of the journey, the countries at it
    now (with how long they have been there), how many ever reached it, and the time the
    countries that moved on spent at it (TIME_AT_STAGE_RULE).

    Queries: the countries with their country.
    """
    today = today or timezone.localdate()
    filterset = PipelineFilter(params, queryset=PathfinderCountry.objects.select_related("country"))
    filterset.is_valid()
    pathfinders = sorted(filterset.qs, key=lambda p: p.country.name)
    at_stage: dict[str, list[dict]] = defaultdict(list)
    reached: dict[str, int] = defaultdict(int)
    finished: dict[str, list[int]] = defaultdict(list)
    for pathfinder in pathfinders:
        country = pathfinder.country
        here = {
            "pk": country.pk,
            "is_public": pathfinder.is_public,
            "name": country.name,
            "iso_code": country.iso_code,
            "region": REGION_LABELS.get(country.ilo_region, country.ilo_region),
            "since": None,
            "days": None,
            "months": None,
        }
        for stage, start, end, still in journey_stays(pathfinder, today):
            reached[stage] += 1
            days = (end - start).days
            if not still:
                finished[stage].append(days)
            elif stage == pathfinder.stage:
                here.update(since=start, days=days, months=_months(days))
        # A country whose stage lacks its date (saved before the rule) is still listed.
        at_stage[pathfinder.stage].append(here)
    stages = []
    for stage in Stage:
        spent = sorted(finished.get(stage, []))
        average = sum(spent) / len(spent) if spent else None
        median = None
        if spent:
            middle = len(spent) // 2
            median = spent[middle] if len(spent) % 2 else (spent[middle - 1] + spent[middle]) / 2
        stages.append(
            {
                "stage": stage.value,
                "label": stage.label,
                "countries": at_stage.get(stage, []),
                "count": len(at_stage.get(stage, [])),
                "reached": reached.get(stage, 0),
                "moved_on": len(spent),
                "average_days": None if average is None else round(average),
                "average_months": _months(average),
                "median_days": None if median is None else round(median),
                "median_months": _months(median),
            }
        )
    chart = None
    if pathfinders:
        chart = charts.bar_chart(
            [
                (str(row["label"]), row["reached"])
                for row in stages
                if row["stage"] in JOURNEY_STEPS
            ],
            title=_("The Pathfinder pipeline: countries that reached each stage"),
        )
    return {
        "filter": filterset,
        "stages": stages,
        "total": len(pathfinders),
        "chart": chart,
        "today": today,
        "rule": TIME_AT_STAGE_RULE,
    }


def journey_history(*, pathfinder: PathfinderCountry) -> list[dict]:
    """Every change of the country's stage, newest first: the stage, the date it was
    reached, who recorded it and when, the granting decision and the note.

    Queries: the country's history with its people and decisions.
    """
    records = list(
        pathfinder.history.select_related("history_user", "status_decision").order_by(
            "history_date", "history_id"
        )
    )
    entries = []
    previous = None
    for record in records:
        if previous is None or record.stage != previous.stage:
            stage = Stage(record.stage)
            entries.append(
                {
                    "stage": stage.label,
                    "from_stage": Stage(previous.stage).label if previous else None,
                    "on": getattr(record, STAGE_DATE_FIELDS[stage]),
                    "at": record.history_date,
                    "by": record.history_user,
                    "decision": record.status_decision if stage == Stage.STATUS_GRANTED else None,
                    "note": record.history_change_reason or "",
                }
            )
        previous = record
    entries.reverse()
    return entries


# --- The Durban Call to Action: commitments and indicators tagged to its areas --------------


def durban_area_commitments() -> dict[str, dict]:
    """For each Durban Call to Action area, the commitments of every roadmap tagged to it:
    how many, in how many countries, by status, and their average progress (each
    commitment's progress as the latest accepted report left it, counted once per area).

    Queries: the tagged commitments.
    """
    rows = (
        Commitment.objects.exclude(durban_areas="")
        .order_by()
        .values_list("durban_areas", "status", "progress_percent", "roadmap__pathfinder_id")
    )
    field = Commitment._meta.get_field("durban_areas")
    found: dict[str, dict] = {}
    for stored, status, progress, pathfinder_id in rows:
        for area in field.to_python(stored):
            line = found.setdefault(
                area, {"count": 0, "progress": 0, "countries": set(), "statuses": defaultdict(int)}
            )
            line["count"] += 1
            line["progress"] += progress
            line["countries"].add(pathfinder_id)
            line["statuses"][status] += 1
    result = {}
    for area, line in found.items():
        result[area] = {
            "count": line["count"],
            "countries": len(line["countries"]),
            "average_progress": round(line["progress"] / line["count"]),
            "statuses": [
                {
                    "status": value,
                    "label": label,
                    "count": line["statuses"].get(value, 0),
                    "badge": COMMITMENT_BADGES[value],
                }
                for value, label in CommitmentStatus.choices
                if line["statuses"].get(value)
            ],
        }
    return result


def durban_area_indicators(*, period: ReportingPeriod | None = None) -> dict[str, list[Indicator]]:
    """For each Durban Call to Action area, the indicators of the accountability framework
    tagged to it: those of the framework version the current period reports against (else
    the newest version).

    Queries: the current period, the tagged indicators.
    """
    period = period or current_period()
    indicators = Indicator.objects.exclude(durban_areas="").order_by("order", "code")
    if period is not None:
        indicators = indicators.filter(version_id=period.framework_version_id)
    else:
        newest = FrameworkVersion.objects.order_by("-number").values("pk")[:1]
        indicators = indicators.filter(version_id__in=newest)
    by_area: dict[str, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        for area in indicator.durban_areas:
            by_area[area].append(indicator)
    return dict(by_area)
