"""One progress report as its form, detail and review pages read it: its parts, the comments of
its last return, the values stored now, its transitions and its change history."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.db.models import ForeignKey, Prefetch, prefetch_related_objects
from django.utils.translation import gettext as _

from alliance87.numbers import format_percent

from .. import quality, reporting
from ..models import (
    Commitment,
    CommitmentUpdate,
    Indicator,
    IndicatorValue,
    ProgressReport,
    ReportStatus,
    ReportTransition,
    ReviewComment,
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


def report_value_rows(
    *,
    report: ProgressReport,
    indicators: list[Indicator],
    comments: dict[int, list[ReviewComment]] | None = None,
    flags: dict[int, "quality.Flag"] | None = None,
    previous: dict[str, "quality.PreviousValue"] | None = None,
) -> list[tuple[str, list[dict[str, Any]]]]:
    """The report's values by pillar, as its pages list them: each indicator with its
    reference (baseline, target), the value reported, and, where given, the review comments
    on it, its previous accepted value and its data-quality flag."""
    values = {v.indicator_id: v for v in report.values.all()}
    references = reporting.references(
        pathfinder=report.pathfinder, period=report.period, indicators=indicators
    )
    groups: dict[str, list[dict[str, Any]]] = {}
    for indicator in indicators:
        groups.setdefault(indicator.pillar, []).append(
            {
                "indicator": indicator,
                "reference": references[indicator.pk],
                "value": values.get(indicator.pk),
                "comments": (comments or {}).get(indicator.pk, []),
                "previous": (previous or {}).get(indicator.code),
                "flag": (flags or {}).get(indicator.pk),
            }
        )
    return list(groups.items())


# What the report's pages show of it beside its parts: loaded by the access helper too, which
# reads the people who submitted, returned and accepted it only to show the report, not to
# fill it in (the form names who last saved it).
REPORT_RELATIONS = (
    "pathfinder__country",
    "period__framework_version",
    "submitted_by",
    "returned_by",
    "accepted_by",
    "updated_by",
)
EDITING_RELATIONS = ("pathfinder__country", "period__framework_version", "updated_by")


def _is_loaded(report: ProgressReport, relation: str) -> bool:
    field = ProgressReport._meta.get_field(relation)
    return isinstance(field, ForeignKey) and field.is_cached(report)


def report_with_parts(*, report: ProgressReport) -> ProgressReport:
    """Prefetch the values and updates the form and detail page read.

    The report the access helper loaded already holds its country, period and the people
    its page or form shows, so only the parts are read then; any other report is loaded again
    with them.
    """
    loaded = all(_is_loaded(report, name.split("__")[0]) for name in EDITING_RELATIONS)
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
        text = value.local_display_value
        if value.narrative:
            text = f"{text} – {value.narrative}" if text else value.narrative
        stored[("indicator", value.indicator_id)] = text
    for update in CommitmentUpdate.objects.filter(report=report):
        text = f"{update.get_status_display()}, {format_percent(update.progress_percent)}"
        if update.narrative:
            text = f"{text} – {update.narrative}"
        stored[("commitment", update.commitment_id)] = text
    return stored


def report_transitions(*, report: ProgressReport) -> list[ReportTransition]:
    return list(report.transitions.select_related("by").order_by("at", "pk"))


def report_history(*, report: ProgressReport) -> list[dict[str, Any]]:
    """Who changed what and when: the report, its values and updates, newest first."""
    entries = _history_entries(
        report.history.filter(id=report.pk).select_related("history_user"),
        fields=["status", "summary", "version"],
        label=lambda r: _("Report"),
    )
    indicators = {
        i.pk: i for i in Indicator.objects.filter(version_id=report.period.framework_version_id)
    }
    entries += _history_entries(
        IndicatorValue.history.filter(report_id=report.pk).select_related("history_user"),
        fields=["value_number", "value_date", "value_text", "narrative", "evidence"],
        label=lambda r: indicators[r.indicator_id].code if r.indicator_id in indicators else "?",
    )
    commitments = {
        c.pk: c for c in Commitment.objects.filter(roadmap__pathfinder_id=report.pathfinder_id)
    }
    entries += _history_entries(
        CommitmentUpdate.history.filter(report_id=report.pk).select_related("history_user"),
        fields=["status", "progress_percent", "narrative"],
        label=lambda r: (
            _("Commitment %(code)s")
            % {"code": commitments[r.commitment_id].code if r.commitment_id in commitments else "?"}
        ),
    )
    entries.sort(key=lambda e: e["at"], reverse=True)
    return entries


def _history_entries(
    records: Iterable[Any], *, fields: list[str], label: Callable[[Any], str]
) -> list[dict[str, Any]]:
    """Each historical record of these objects that changed one of `fields`: when, by whom,
    of which object (`label`), and each change as (field, before, after)."""
    entries: list[dict[str, Any]] = []
    by_object: dict[int, list[Any]] = defaultdict(list)
    for record in records:
        by_object[record.id].append(record)
    for history in by_object.values():
        history.sort(key=lambda h: (h.history_date, h.history_id))
        previous = None
        for record in history:
            changes = _changes(record, previous, fields=fields)
            if changes:
                entries.append(
                    {
                        "at": record.history_date,
                        "user": record.history_user,
                        "what": label(record),
                        "action": _("created") if previous is None else _("changed"),
                        "changes": changes,
                    }
                )
            previous = record
    return entries


def _changes(record: Any, previous: Any, *, fields: list[str]) -> list[tuple[Any, str, str]]:
    """What a historical record changed from the previous one (from nothing if it is the first)."""
    meta = record.instance._meta
    if previous is None:
        return [
            (meta.get_field(name).verbose_name, "", _text(record, name))
            for name in fields
            if _text(record, name) != ""
        ]
    delta = record.diff_against(previous, included_fields=fields)
    return [
        (
            meta.get_field(c.field).verbose_name,
            _text(previous, c.field),
            _text(record, c.field),
        )
        for c in delta.changes
    ]


def _text(record: Any, name: str) -> str:
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
