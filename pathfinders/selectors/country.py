"""A Pathfinder Country's page: its focal points, roadmaps, reports and reporting record; and
the public profiles."""

import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from alliance87 import charts
from alliance87.access import Person, focal_point_country_ids, is_secretariat
from alliance87.aggregates import cached_under, versioned_key
from alliance87.countries import name_sort_key

from .. import reporting
from ..models import (
    Commitment,
    FocalPoint,
    PathfinderCountry,
    ProgressReport,
    Roadmap,
    RoadmapTarget,
)
from .common import (
    EXPECTATION_RULE,
    RATES_RULE,
    SLOT_KEYED_SECONDS,
    STATUS_LABELS,
    TIMELINESS_RULE,
    Rating,
    moment_key,
    opened_periods,
)
from .journey import journey_history
from .rates import RateRow, rates_chart, reporting_data, reporting_rates
from .trends import indicator_trends


def country_focal_points(*, pathfinder: PathfinderCountry) -> list[FocalPoint]:
    return list(
        FocalPoint.objects.filter(country_id=pathfinder.country_id, user__is_active=True)
        .select_related("user")
        .order_by("capacity", "user__last_name")
    )


def country_roadmaps(*, pathfinder: PathfinderCountry, with_targets: bool = False) -> list[Roadmap]:
    """The country's roadmaps, latest first, with their commitments (and, when asked, the
    country's own baselines and targets: one query more)."""
    parts: list[Prefetch[Any, Any, Any]] = [
        Prefetch("commitments", queryset=Commitment.objects.order_by("code"))
    ]
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


def commitments_chart(*, roadmaps: list[Roadmap]) -> SafeString | None:
    rows = [(c.code, c.progress_percent) for r in roadmaps for c in r.commitments.all()]
    if not rows:
        return None
    return charts.bar_chart(
        rows,
        title=_("Progress of the commitments"),
        unit=charts.PERCENT,
        max_value=100,
        name=_("Progress"),
    )


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
    key = versioned_key(["pathfinders"], f"pathfinders:record:{pathfinder.pk}:{moment_key(now)}")
    record = cached_under(
        key, lambda: _country_reporting(pathfinder=pathfinder, now=now), SLOT_KEYED_SECONDS
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
            % {"country": pathfinder.country.local_name},
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


def public_pathfinders() -> list[PathfinderCountry]:
    return list(
        PathfinderCountry.objects.filter(is_public=True)
        .select_related("country")
        .order_by("country__ilo_region", "country__name")
    )


def public_pathfinders_by_region() -> list[tuple[str, list[PathfinderCountry]]]:
    """The public profiles by region, each region's countries in the order of the names the
    reader sees (theirs, from CLDR). Queries: the countries with their country."""
    regions: dict[str, list[PathfinderCountry]] = {}
    for pathfinder in public_pathfinders():
        regions.setdefault(pathfinder.country.get_ilo_region_display(), []).append(pathfinder)
    for listed in regions.values():
        listed.sort(key=lambda p: name_sort_key(p.country.local_name))
    return list(regions.items())


def public_commitments() -> QuerySet[Commitment]:
    """The commitments of the countries with a public profile, as the profiles publish them."""
    return (
        Commitment.objects.filter(roadmap__pathfinder__is_public=True)
        .select_related("roadmap__pathfinder__country")
        .order_by("roadmap__pathfinder__country__name", "-roadmap__starts_year", "code")
    )


def public_profile(*, pathfinder: PathfinderCountry) -> dict:
    return {"pathfinder": pathfinder, "roadmaps": country_roadmaps(pathfinder=pathfinder)}
