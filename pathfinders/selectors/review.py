"""The Secretariat's review queue and the data-quality flags: each indicator's previous
accepted value and the values that jump from it (pathfinders.quality)."""

import datetime
from collections import defaultdict

from django.db.models import Q
from django.utils.translation import get_language

from alliance87.aggregates import cached_under, versioned_key

from .. import quality
from ..indicator_types import indicator_type
from ..models import IndicatorValue, ProgressReport, ReportStatus
from ..reminders import reminders_due
from .common import scope_key


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
            if row["indicator__code"] in found:
                continue  # a newer accepted value of this indicator came first
            kind = row["indicator__kind"]
            found[row["indicator__code"]] = quality.PreviousValue(
                code=row["indicator__code"],
                kind=kind,
                value_number=row["value_number"],
                display=indicator_type(kind).display(
                    row["value_number"], row["value_date"], row["value_text"]
                ),
                period_label=row["report__period__label"],
                report_id=row["report_id"],
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
        if prior is not None and quality.jumped(
            kind=indicator.kind, value_number=value.value_number, previous=prior
        ):
            flags[indicator.pk] = quality.Flag(
                code=indicator.code,
                title=indicator.title,
                previous=prior,
                display=value.local_display_value,
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
        f"pathfinders:queue-flags:{get_language()}:{scope_key([r.pk for r in reports])}",
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
        if prior is not None and quality.jumped(
            kind=kind, value_number=row["value_number"], previous=prior
        ):
            flags[row["report_id"]].append(
                quality.Flag(
                    code=row["indicator__code"],
                    title=row["indicator__title"],
                    previous=prior,
                    display=indicator_type(kind).display_local(row["value_number"], None, ""),
                    note=row["change_note"],
                )
            )
    return flags
