"""The accountability reports: the country dossier and the Alliance-wide report (PDFs), and
the headline figures the vision page shows, from the same selectors as the pages."""

import datetime

from django.utils.translation import gettext as _

from alliance87 import charts

from .. import reporting
from ..models import (
    STAGE_DATE_FIELDS,
    CommitmentUpdate,
    Indicator,
    IndicatorValue,
    PathfinderCountry,
    ProgressReport,
    ReportStatus,
    Stage,
)
from .common import (
    EXPECTATION_RULE,
    INDICATORS_FILLED_RULE,
    RATES_RULE,
    RATING_RULE,
    TARGETS_RULE,
    TIMELINESS_RULE,
)
from .country import commitments_chart, country_reporting, country_reports, country_roadmaps
from .overview import overview
from .trends import indicator_trends


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
        "report_subject": pathfinder.country.local_name,
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
        roles=["green", "amber", "red", "not_rated"],
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
            filled_rows,
            title=_("Indicators filled in each report"),
            unit=charts.PERCENT,
            max_value=100,
            name=_("Indicators filled"),
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
