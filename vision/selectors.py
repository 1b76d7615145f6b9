"""Reads of the "Vision and progress" page: Target 8.7's deadlines, the global estimates
against them, the Pathfinder pipeline, the Durban Call to Action roll-up and the
accountability framework's headline figures. Each part is computed once here (or in the
area's own selector) and read by the page and the Alliance-wide PDF alike."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from alliance87 import charts
from alliance87.choices import TARGET_87_DEADLINES, DurbanArea
from financing.selectors import durban_area_funding
from pathfinders import selectors as pathfinder_selectors
from workshops.access import visible_events
from workshops.models import Event
from workshops.selectors import durban_area_events

from .models import EstimateSeries, GlobalEstimate

DAYS_PER_YEAR = Decimal("365.25")


def deadline_end(year: int) -> datetime.date:
    """A deadline year ends on its last day."""
    return datetime.date(year, 12, 31)


def _num(value: Decimal | float | int) -> str:
    """A figure as the reader writes numbers: whole, or with the one or two decimals it has."""
    value = Decimal(str(value))
    for places in (0, 1, 2):
        rounded = round(value, places)
        if rounded == value or places == 2:
            return number_format(rounded, decimal_pos=places, use_l10n=True)
    return number_format(value, use_l10n=True)  # pragma: no cover  (the loop always returns)


def deadlines(*, today: datetime.date) -> list[dict]:
    """Target 8.7's deadlines, each with the themes it ends and where today stands."""
    by_year: dict[int, list[str]] = defaultdict(list)
    for theme, year in TARGET_87_DEADLINES.items():
        by_year[year].append(str(theme.label))
    rows = []
    for year in sorted(by_year):
        ends_on = deadline_end(year)
        days = (ends_on - today).days
        rows.append(
            {
                "year": year,
                "themes": by_year[year],
                "ends_on": ends_on,
                "passed": days < 0,
                "days_left": max(days, 0),
                "days_since": max(-days, 0),
                "years_left": _num(round(Decimal(max(days, 0)) / DAYS_PER_YEAR, 1)),
            }
        )
    return rows


def _trend(series: EstimateSeries, estimates: list[GlobalEstimate], today: datetime.date):
    """The pace measured between the two latest estimates of a series, the pace its deadline
    needs from the latest one, and what follows, each with its arithmetic written out."""
    deadline = series.deadline_year
    latest = estimates[-1]
    previous = estimates[-2] if len(estimates) > 1 else None
    passed = today > deadline_end(deadline)
    trend = {
        "deadline": deadline,
        "deadline_passed": passed,
        "latest": latest,
        "previous": previous,
        "measured": None,
        "needed": None,
        "projected": None,
        "zero_year": None,
        "lines": [],
    }
    measured = _measure_pace(series.unit, previous, latest, trend)
    _need_pace(series.unit, deadline, latest, measured, trend)
    _reach_zero(latest, measured, trend)
    trend["status"] = _deadline_status(series.unit, deadline, latest, passed, today)
    return trend


def _measure_pace(
    unit: str, previous: GlobalEstimate | None, latest: GlobalEstimate, trend: dict
) -> Decimal | None:
    """The pace between the two latest estimates (a fall is positive), its line written."""
    figure, year = latest.figure, latest.year
    if previous is None or year <= previous.year:
        trend["lines"].append(_("Only one estimate so far: no pace can be measured yet."))
        return None
    measured = (previous.figure - figure) / (year - previous.year)
    trend["measured"] = measured
    arithmetic = {
        "earlier": _num(previous.figure),
        "later": _num(figure),
        "unit": unit,
        "year": year,
        "earlier_year": previous.year,
        "pace": _num(round(abs(measured), 2)),
    }
    if measured > 0:
        line = _(
            "Pace measured: (%(earlier)s − %(later)s) %(unit)s ÷ (%(year)s − "
            "%(earlier_year)s) years = %(pace)s %(unit)s fewer a year."
        )
    elif measured < 0:
        line = _(
            "Pace measured: (%(later)s − %(earlier)s) %(unit)s ÷ (%(year)s − "
            "%(earlier_year)s) years = %(pace)s %(unit)s more a year: the figure is "
            "rising."
        )
    else:
        line = _(
            "Pace measured: the figure did not change from %(earlier_year)s to "
            "%(year)s (%(later)s %(unit)s)."
        )
    trend["lines"].append(line % arithmetic)
    return measured


def _need_pace(
    unit: str, deadline: int, latest: GlobalEstimate, measured: Decimal | None, trend: dict
) -> None:
    """The pace the deadline needs from the latest estimate, and where the measured pace
    would leave the figure at the deadline."""
    figure, year = latest.figure, latest.year
    if deadline <= year:
        return
    needed = figure / (deadline - year)
    trend["needed"] = needed
    trend["lines"].append(
        _(
            "Pace needed: %(figure)s %(unit)s ÷ (%(deadline)s − %(year)s) years = %(pace)s "
            "%(unit)s fewer a year, to reach zero by the end of %(deadline)s."
        )
        % {
            "figure": _num(figure),
            "unit": unit,
            "deadline": deadline,
            "year": year,
            "pace": _num(round(needed, 2)),
        }
    )
    if measured is None or measured <= 0:
        return
    projected = max(figure - measured * (deadline - year), Decimal(0))
    trend["projected"] = projected
    trend["lines"].append(
        _(
            "At the pace measured, the figure at the deadline would be %(figure)s − "
            "%(pace)s × (%(deadline)s − %(year)s) = %(projected)s %(unit)s: the pace "
            "needed is %(times)s times the pace measured."
        )
        % {
            "figure": _num(figure),
            "pace": _num(round(measured, 2)),
            "deadline": deadline,
            "year": year,
            "projected": _num(round(projected, 2)),
            "unit": unit,
            "times": _num(round(needed / measured, 1)),
        }
    )


def _reach_zero(latest: GlobalEstimate, measured: Decimal | None, trend: dict) -> None:
    """When the measured pace brings the figure to zero, if it ever does."""
    figure, year = latest.figure, latest.year
    if measured is None or figure <= 0:
        return
    if measured <= 0:
        trend["lines"].append(
            _("At the pace measured, the figure never reaches zero: the course must change.")
        )
        return
    years = figure / measured
    trend["zero_year"] = int(year + years)
    trend["lines"].append(
        _(
            "At the pace measured, zero is reached after %(figure)s ÷ %(pace)s = %(years)s "
            "years, around %(zero_year)s."
        )
        % {
            "figure": _num(figure),
            "pace": _num(round(measured, 2)),
            "years": _num(round(years, 1)),
            "zero_year": trend["zero_year"],
        }
    )


def _deadline_status(
    unit: str, deadline: int, latest: GlobalEstimate, passed: bool, today: datetime.date
) -> str:
    figure, year = latest.figure, latest.year
    if passed and figure > 0:
        return _(
            "The %(deadline)s deadline passed on %(date)s and the target was missed: the latest "
            "estimate, for %(year)s, counts %(figure)s %(unit)s."
        ) % {
            "deadline": deadline,
            "date": date_format(deadline_end(deadline), "DATE_FORMAT"),
            "year": year,
            "figure": _num(figure),
            "unit": unit,
        }
    if passed:
        return _("The %(deadline)s deadline has passed.") % {"deadline": deadline}
    return _(
        "%(days)s days are left until the end of %(deadline)s; the latest estimate, for "
        "%(year)s, counts %(figure)s %(unit)s."
    ) % {
        "days": number_format((deadline_end(deadline) - today).days, use_l10n=True),
        "deadline": deadline,
        "year": year,
        "figure": _num(figure),
        "unit": unit,
    }


def _trend_chart(series: EstimateSeries, estimates: list[GlobalEstimate], trend: dict):
    """The estimates, year by year up to the deadline, with the path the deadline needs and
    the path of the pace measured, both from the latest estimate."""
    latest = trend["latest"]
    first_year = estimates[0].year
    last_year = max(trend["deadline"], latest.year)
    years = list(range(first_year, last_year + 1))
    at = {year: index for index, year in enumerate(years)}
    observed: list[float | None] = [None] * len(years)
    for estimate in estimates:
        observed[at[estimate.year]] = float(estimate.figure)
    lines = {_("Estimates"): observed}
    roles = ["value"]
    deadline = trend["deadline"]
    if trend["needed"] is not None:
        needed: list[float | None] = [None] * len(years)
        needed[at[latest.year]] = float(latest.figure)
        needed[at[deadline]] = 0.0
        lines[_("Pace needed")] = needed
        roles.append("requirement")
    if trend["projected"] is not None:
        projected: list[float | None] = [None] * len(years)
        projected[at[latest.year]] = float(latest.figure)
        projected[at[deadline]] = float(trend["projected"])
        lines[_("At the pace measured")] = projected
        roles.append("projection")
    return charts.line_chart(
        [str(year) for year in years],
        lines,
        title=_("%(measure)s (%(unit)s): estimates and the %(deadline)s deadline")
        % {"measure": series.measure, "unit": series.unit, "deadline": deadline},
        target=0,
        join_gaps=True,
        roles=roles,
    )


def estimates_progress(*, today: datetime.date | None = None) -> dict:
    """Every series of global estimates with its figures; for those measured against the
    deadline, the pace measured, the pace needed and a chart.

    Queries: the series, their estimates.
    """
    today = today or timezone.localdate()
    series_list = list(
        EstimateSeries.objects.prefetch_related(
            Prefetch("estimates", queryset=GlobalEstimate.objects.order_by("year"))
        ).order_by("order", "measure")
    )
    rows = []
    for series in series_list:
        estimates = list(series.estimates.all())
        if not estimates:
            continue
        row = {
            "series": series,
            "deadline": series.deadline_year,
            "estimates": [
                {"estimate": estimate, "figure": _num(estimate.figure)} for estimate in estimates
            ],
            "trend": None,
            "chart": None,
        }
        if series.measures_target:
            row["trend"] = _trend(series, estimates, today)
            row["chart"] = _trend_chart(series, estimates, row["trend"])
        rows.append(row)
    return {
        "tracked": [row for row in rows if row["trend"]],
        "context": [row for row in rows if not row["trend"]],
        "rows": rows,
    }


def durban_rollup(*, events: QuerySet[Event]) -> list[dict]:
    """For each of the Durban Call to Action's six areas: the commitments tagged to it across
    countries, the indicators, the funding (requirements and flows) and the events.

    Queries: the commitments, the current period, the indicators, the rates and one per area
    for the funding, the events.
    """
    commitments = pathfinder_selectors.durban_area_commitments()
    indicators = pathfinder_selectors.durban_area_indicators()
    funding = durban_area_funding()
    tagged_events = durban_area_events(events=events)
    return [
        {
            "area": area.value,
            "number": number,
            "label": area.label,
            "commitments": commitments.get(area.value),
            "indicators": indicators.get(area.value, []),
            "funding": funding[area.value],
            "events": tagged_events.get(area.value, []),
        }
        for number, area in enumerate(DurbanArea, start=1)
    ]


def vision_page(*, user, params, now: datetime.datetime | None = None) -> dict:
    """Everything the page shows, for a person who reads every area."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    return {
        "today": today,
        "deadlines": deadlines(today=today),
        "estimates": estimates_progress(today=today),
        "pipeline": pathfinder_selectors.journey_pipeline(params=params, today=today),
        "durban": durban_rollup(events=visible_events(user)),
        "accountability": pathfinder_selectors.accountability_headline(now=now),
    }


def alliance_accountability_report() -> dict:
    """The Alliance-wide accountability report (PDF) with its "Vision and progress" chapter:
    the same parts as the page (its readers read every area), the accountability figures
    once, from the report's own chapters."""
    context = pathfinder_selectors.alliance_accountability_report()
    today = timezone.localdate()
    context["vision"] = {
        "today": today,
        "deadlines": deadlines(today=today),
        "estimates": estimates_progress(today=today),
        "pipeline": pathfinder_selectors.journey_pipeline(params={}, today=today),
        "durban": durban_rollup(events=Event.objects.all()),
    }
    return context
