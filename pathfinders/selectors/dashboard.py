"""The pathfinders section of the dashboard: the Alliance's figures for those who read every
country, each country's report as its focal point's task for the others."""

import datetime
from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance87 import charts
from alliance87.access import Person, can_read_everything, is_secretariat
from alliance87.aggregates import cached_under, versioned_key

from .. import reporting
from ..access import may_use_pathfinders, visible_pathfinders
from ..models import (
    REPORTING_STAGES,
    Commitment,
    Indicator,
    PathfinderCountry,
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
    Stage,
)
from .common import SLOT_KEYED_SECONDS, STATUS_BADGES, current_period, moment_key, opened_periods
from .rates import reporting_data, reporting_rates


def dashboard_summary(*, user: Person, now: datetime.datetime | None = None) -> dict | None:
    if not may_use_pathfinders(user):
        return None
    now = now or timezone.now()
    if can_read_everything(user):
        key = versioned_key(["pathfinders"], f"pathfinders:dashboard:{moment_key(now)}")
        summary = cached_under(key, lambda: _alliance_summary(now=now), SLOT_KEYED_SECONDS)
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
