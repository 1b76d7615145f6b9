"""The Pathfinder journey: the pipeline of countries by stage, the time they spent at each,
and each country's history of stage changes."""

import datetime
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance87 import charts
from alliance87.countries import name_sort_key

from ..filters import PipelineFilter
from ..models import STAGE_DATE_FIELDS, PathfinderCountry, Stage
from .common import REGION_LABELS

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
    stays: list[tuple[Stage, datetime.date, datetime.date, bool]] = []
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


def journey_pipeline(*, params: Mapping[str, Any], today: datetime.date | None = None) -> dict:
    """The Pathfinder pipeline as a funnel: for each stage of the journey, the countries at it
    now (with how long they have been there), how many ever reached it, and the time the
    countries that moved on spent at it (TIME_AT_STAGE_RULE).

    Queries: the countries with their country.
    """
    today = today or timezone.localdate()
    filterset = PipelineFilter(params, queryset=PathfinderCountry.objects.select_related("country"))
    filterset.is_valid()
    pathfinders = sorted(filterset.qs, key=lambda p: name_sort_key(p.country.local_name))
    at_stage: dict[str, list[dict]] = defaultdict(list)
    reached: dict[str, int] = defaultdict(int)
    finished: dict[str, list[int]] = defaultdict(list)
    for pathfinder in pathfinders:
        country = pathfinder.country
        here = {
            "pk": country.pk,
            "is_public": pathfinder.is_public,
            "name": country.local_name,
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
    stages = [
        _stage_row(
            stage,
            countries=at_stage.get(stage, []),
            reached=reached.get(stage, 0),
            spent=sorted(finished.get(stage, [])),
        )
        for stage in Stage
    ]
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


def _stage_row(
    stage: Stage, *, countries: list[dict[str, Any]], reached: int, spent: list[int]
) -> dict[str, Any]:
    """One stage of the pipeline: the countries at it now, how many ever reached it, and the
    average and median time spent at it by those that moved on (`spent`, sorted, in days)."""
    average = sum(spent) / len(spent) if spent else None
    median = None
    if spent:
        middle = len(spent) // 2
        median = spent[middle] if len(spent) % 2 else (spent[middle - 1] + spent[middle]) / 2
    return {
        "stage": stage.value,
        "label": stage.label,
        "countries": countries,
        "count": len(countries),
        "reached": reached,
        "moved_on": len(spent),
        "average_days": None if average is None else round(average),
        "average_months": _months(average),
        "median_days": None if median is None else round(median),
        "median_months": _months(median),
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
