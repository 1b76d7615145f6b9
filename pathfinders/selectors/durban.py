"""The Durban Call to Action: the commitments and indicators tagged to each of its areas."""

from collections import defaultdict

from ..models import Commitment, CommitmentStatus, FrameworkVersion, Indicator, ReportingPeriod
from .common import COMMITMENT_BADGES, current_period


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
