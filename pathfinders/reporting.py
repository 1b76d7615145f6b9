"""The reporting figures of the accountability framework, computed in one place.

Who is expected to report for which period, what came in and when, the completeness and
timeliness rates, the progress ratings and the baselines and targets they are measured
against. Every page, export and PDF that shows one of these figures reads it from here, and
the rules written on those pages are the constants below.
"""

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alliance87.numbers import format_percent

from .indicator_types import indicator_type
from .models import (
    Indicator,
    IndicatorValue,
    PathfinderCountry,
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
    RoadmapTarget,
)

EXPECTATION_RULE = _(
    "Expected to report: a country is expected to report for a period when it held "
    "Pathfinder status by the period's due date and was not inactive on the day the period "
    "opened."
)
TIMELINESS_RULE = _(
    "On time: first submitted by the end of the deadline day (the due date plus the period's "
    "grace days) in the country's own time zone. Late: first submitted after that. In grace "
    "period: past the due date, within the grace days, not yet submitted. Overdue: expected, "
    "and not submitted by the end of the deadline day."
)
RATES_RULE = _(
    "Completeness: reports received out of the reports expected. Timeliness: reports "
    "received on time out of the reports expected. A report counts as received once it has "
    "been submitted, even if it was returned for revision since; reports from countries not "
    "expected to report are not counted."
)
INDICATORS_FILLED_RULE = _(
    "Indicators filled: the share of the period's indicators that have a value in the report."
)

RATING_GREEN_FROM = 60
RATING_AMBER_FROM = 30
RATING_MIN_INDICATORS = 3


def rating_rule() -> str:
    """How the rating is decided, its percentages written as the reader's language writes them."""
    return gettext(
        "The rating uses the country's latest accepted report up to the chosen period. For each "
        "indicator with a baseline and a target (the country's own, set by its roadmap, or else "
        "the framework's), progress is the distance travelled from the baseline towards the "
        "target in the direction of improvement, counted between %(none)s and %(all)s; a "
        "milestone counts %(all)s when reached by its target date, %(half)s when reached late "
        "and %(none)s when not reached. The score is the average of these, rounded to a whole "
        "per cent, and the band is decided on that whole number. Green: %(green)s or more. "
        "Amber: %(amber)s to %(amber_last)s. Red: below %(amber)s. Not rated: no accepted "
        "report, or fewer than %(indicators)s indicators with a value to measure."
    ) % {
        "none": format_percent(0),
        "half": format_percent(50),
        "all": format_percent(100),
        "green": format_percent(RATING_GREEN_FROM),
        "amber": format_percent(RATING_AMBER_FROM),
        "amber_last": format_percent(RATING_GREEN_FROM - 1),
        "indicators": RATING_MIN_INDICATORS,
    }


# A text in the language of whoever reads it, like the other rules.
RATING_RULE = lazy(rating_rule, str)()
TARGETS_RULE = _(
    "Baselines and targets: each country's own, set by its roadmap in force when the period "
    "opened (the latest roadmap that started by that year); where the roadmap sets none, the "
    "framework's."
)

# Where a country's report for a period stands: (label, badge), by key.
TIMELINESS = {
    "on_time": (_("On time"), "green"),
    "late": (_("Late"), "amber"),
    "not_expected": (_("Not expected"), "grey"),
    "overdue": (_("Overdue"), "red"),
    "grace": (_("In grace period"), "amber"),
    "not_due": (_("Not yet due"), "grey"),
}


def percent(part: int | float, whole: int | float) -> int | None:
    """A share as the whole per cent people read, rounded half up; None when nothing to share."""
    if not whole:
        return None
    exact = Decimal(str(part)) / Decimal(str(whole)) * 100
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --- Expected, received, on time --------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One country in one period."""

    pathfinder_id: int
    period_id: int
    expected: bool
    status: str  # the report's status, "" when no report was started
    received: bool
    on_time: bool | None  # None while not received
    key: str  # a TIMELINESS key
    closed: bool  # the deadline has passed in the country's time: the cell is final
    first_submitted_at: datetime.datetime | None = None

    @property
    def overdue(self) -> bool:
        return self.key == "overdue"

    @property
    def label(self) -> str:
        return str(TIMELINESS[self.key][0])

    @property
    def badge(self) -> str:
        return TIMELINESS[self.key][1]


def cell_for(
    *,
    pathfinder: PathfinderCountry,
    period: ReportingPeriod,
    status: str,
    first_submitted_at: datetime.datetime | None,
    now: datetime.datetime,
) -> Cell:
    """Where one country's report for one period stands (TIMELINESS_RULE, EXPECTATION_RULE)."""
    expected = pathfinder.is_expected_to_report(period)
    zone = pathfinder.country.zone
    closed = now >= period.deadline_ends_at(zone)
    if first_submitted_at is not None:
        on_time = period.is_on_time(first_submitted_at, zone)
        key = "on_time" if on_time else "late"
    else:
        on_time = None
        local_today = now.astimezone(zone).date()
        if not expected:
            key = "not_expected"
        elif closed:
            key = "overdue"
        elif local_today > period.due_on:
            key = "grace"
        else:
            key = "not_due"
    return Cell(
        pathfinder_id=pathfinder.pk,
        period_id=period.pk,
        expected=expected,
        status=status,
        received=first_submitted_at is not None,
        on_time=on_time,
        key=key,
        closed=closed,
        first_submitted_at=first_submitted_at,
    )


def cells(
    *,
    pathfinders: Iterable[PathfinderCountry],
    periods: Iterable[ReportingPeriod],
    now: datetime.datetime | None = None,
    reports: Iterable[tuple[int, int, str, datetime.datetime | None]] | None = None,
) -> dict[tuple[int, int], Cell]:
    """Every (country, period) pair: one query for the reports unless they are given as
    (pathfinder id, period id, status, first submitted at) rows. The countries must hold
    their country (select_related("country"))."""
    now = now or timezone.now()
    pathfinders, periods = list(pathfinders), list(periods)
    if reports is None:
        reports = (
            ProgressReport.objects.filter(
                pathfinder__in=[p.pk for p in pathfinders], period__in=[p.pk for p in periods]
            )
            .order_by()
            .values_list("pathfinder_id", "period_id", "status", "first_submitted_at")
        )
    found = {(pid, period_id): (status, at) for pid, period_id, status, at in reports}
    result = {}
    for period in periods:
        for pathfinder in pathfinders:
            status, at = found.get((pathfinder.pk, period.pk), ("", None))
            result[pathfinder.pk, period.pk] = cell_for(
                pathfinder=pathfinder, period=period, status=status, first_submitted_at=at, now=now
            )
    return result


@dataclass
class Rates:
    """Completeness and timeliness of a set of (country, period) cells (RATES_RULE)."""

    expected: int = 0
    received: int = 0
    on_time: int = 0
    overdue: int = 0
    awaiting_review: int = 0

    @property
    def completeness(self) -> int | None:
        return percent(self.received, self.expected)

    @property
    def timeliness(self) -> int | None:
        return percent(self.on_time, self.expected)

    @property
    def late(self) -> int:
        return self.received - self.on_time

    @property
    def missing(self) -> int:
        return self.expected - self.received

    def add(self, cell: Cell) -> None:
        if cell.status == ReportStatus.SUBMITTED:
            self.awaiting_review += 1
        if not cell.expected:
            return
        self.expected += 1
        self.received += cell.received
        self.on_time += bool(cell.on_time)
        self.overdue += cell.overdue


def rates(found: Iterable[Cell]) -> Rates:
    total = Rates()
    for cell in found:
        total.add(cell)
    return total


def rates_by(found: Iterable[Cell], key) -> dict:
    """Rates grouped by key(cell), e.g. by period id or by country id."""
    grouped: dict = defaultdict(Rates)
    for cell in found:
        grouped[key(cell)].add(cell)
    return dict(grouped)


# --- Baselines and targets --------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """What one indicator is measured against for one country (TARGETS_RULE)."""

    baseline: Decimal | None
    baseline_year: int | None
    target: Decimal | None
    target_year: int | None
    target_date: datetime.date | None
    own: bool  # set by the country's roadmap, not the framework's


def framework_reference(indicator: Indicator) -> Reference:
    return Reference(
        baseline=indicator.baseline,
        baseline_year=indicator.baseline_year,
        target=indicator.target,
        target_year=indicator.target_year,
        target_date=indicator.target_date,
        own=False,
    )


def _target_rows(*, pathfinder_ids: Iterable[int], up_to_year: int) -> list[tuple]:
    """The countries' own targets from roadmaps started by that year, latest roadmap first."""
    return list(
        RoadmapTarget.objects.filter(
            roadmap__pathfinder_id__in=list(pathfinder_ids), roadmap__starts_year__lte=up_to_year
        )
        .order_by("-roadmap__starts_year", "-pk")
        .values_list(
            "roadmap__pathfinder_id",
            "roadmap__starts_year",
            "indicator__code",
            "baseline",
            "baseline_year",
            "target",
            "target_year",
            "target_date",
        )
    )


def _own_targets(rows: list[tuple], *, pathfinder_id: int, year: int) -> dict[str, Reference]:
    """By indicator code: the target of the latest roadmap that started by `year`."""
    own: dict[str, Reference] = {}
    for pid, starts, code, baseline, baseline_year, target, target_year, target_date in rows:
        if pid == pathfinder_id and starts <= year:
            own.setdefault(
                code,
                Reference(
                    baseline=baseline,
                    baseline_year=baseline_year,
                    target=target,
                    target_year=target_year,
                    target_date=target_date,
                    own=True,
                ),
            )
    return own


def country_targets(
    *, pathfinder_ids: Iterable[int], opened_in: int
) -> dict[tuple[int, str], Reference]:
    """The countries' own baselines and targets by (country id, indicator code): from the
    latest roadmap that started by `opened_in` and sets one for the code. One query."""
    pathfinder_ids = list(pathfinder_ids)
    rows = _target_rows(pathfinder_ids=pathfinder_ids, up_to_year=opened_in)
    return {
        (pid, code): reference
        for pid in pathfinder_ids
        for code, reference in _own_targets(rows, pathfinder_id=pid, year=opened_in).items()
    }


def references(
    *, pathfinder: PathfinderCountry, period: ReportingPeriod, indicators: Iterable[Indicator]
) -> dict[int, Reference]:
    """Each indicator's baseline and target for this country in this period, by indicator id."""
    own = country_targets(pathfinder_ids=[pathfinder.pk], opened_in=period.opens_on.year)
    return {i.pk: own.get((pathfinder.pk, i.code)) or framework_reference(i) for i in indicators}


# --- Ratings ------------------------------------------------------------------------------------

RATING_LABELS = {"green": _("Green"), "amber": _("Amber"), "red": _("Red")}
NOT_RATED = _("Not rated")


@dataclass
class Rating:
    level: str  # green, amber, red or "" when not rated
    score: float | None  # the exact average, 0 to 1
    rated: int  # how many indicators were measured
    percent: int | None = field(default=None)  # the score as shown, which decides the band

    @property
    def label(self) -> str:
        return str(RATING_LABELS.get(self.level, NOT_RATED))

    @property
    def badge(self) -> str:
        return self.level or "grey"

    @property
    def text(self) -> str:
        """The label with the number that decided it, e.g. "Amber (30%)" in English."""
        if self.percent is None:
            return self.label
        return f"{self.label} ({format_percent(self.percent)})"


def rating_of(shares: list[float]) -> Rating:
    """The band of the average share, decided on the whole per cent shown (RATING_RULE)."""
    if len(shares) < RATING_MIN_INDICATORS:
        return Rating(level="", score=None, rated=len(shares))
    score = math.fsum(shares) / len(shares)
    shown = percent(score, 1)
    assert shown is not None  # a share of a whole of 1
    if shown >= RATING_GREEN_FROM:
        level = "green"
    elif shown >= RATING_AMBER_FROM:
        level = "amber"
    else:
        level = "red"
    return Rating(level=level, score=score, rated=len(shares), percent=shown)


def share(indicator_kind: str, direction: str, reference: Reference, value) -> float | None:
    """How far one indicator went towards its target (0 to 1), None when not measured.

    `value` is (value_number, value_date), or None when the report holds no value: a
    milestone without a date is not reached (0 %); a number without a value is not measured.
    """
    value_number, value_date = value or (None, None)
    return indicator_type(indicator_kind).achieved_share(
        reference.baseline,
        reference.target,
        reference.target_date,
        direction,
        value_number,
        value_date,
    )


REPORT_ROW = ("pk", "pathfinder_id", "period__framework_version_id", "period__opens_on")


def report_ratings(*, report_ids: list[int]) -> dict[int, Rating]:
    """The rating of each of these reports. Four queries: the reports, their framework's
    indicators, their values and the countries' own targets."""
    if not report_ids:
        return {}
    reports = list(
        ProgressReport.objects.filter(pk__in=report_ids).order_by().values_list(*REPORT_ROW)
    )
    return _ratings_of(reports)


def _ratings_of(reports: list[tuple]) -> dict[int, Rating]:
    """Ratings of reports given as REPORT_ROW tuples. Three queries: the indicators of their
    frameworks, their values and the countries' own targets."""
    if not reports:
        return {}
    report_ids = [row[0] for row in reports]
    versions = {version for _pk, _pf, version, _opens in reports}
    indicators: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in Indicator.objects.filter(version_id__in=versions).order_by("order", "code"):
        indicators[indicator.version_id].append(indicator)
    values = {
        (report_id, indicator_id): (number, date)
        for report_id, indicator_id, number, date in IndicatorValue.objects.filter(
            report_id__in=report_ids
        )
        .order_by()
        .values_list("report_id", "indicator_id", "value_number", "value_date")
    }
    targets = _target_rows(
        pathfinder_ids={pf for _pk, pf, _v, _o in reports},
        up_to_year=max(opens.year for _pk, _pf, _v, opens in reports),
    )
    result = {}
    for report_id, pathfinder_id, version, opens_on in reports:
        own = _own_targets(targets, pathfinder_id=pathfinder_id, year=opens_on.year)
        shares = []
        for indicator in indicators[version]:
            reference = own.get(indicator.code) or framework_reference(indicator)
            measured = share(
                indicator.kind,
                indicator.direction,
                reference,
                values.get((report_id, indicator.pk)),
            )
            if measured is not None:
                shares.append(measured)
        result[report_id] = rating_of(shares)
    return result


def latest_accepted_reports(
    *, pathfinder_ids: Iterable[int], period: ReportingPeriod
) -> dict[int, tuple]:
    """Per country: its latest accepted report up to the period, as REPORT_ROW plus the
    period's label. One query."""
    accepted = ProgressReport.objects.filter(
        status=ReportStatus.ACCEPTED, period__opens_on__lte=period.opens_on
    )
    later = accepted.filter(
        pathfinder_id=OuterRef("pathfinder_id"), period__opens_on__gt=OuterRef("period__opens_on")
    )
    return {
        row[1]: row
        for row in accepted.filter(pathfinder_id__in=list(pathfinder_ids))
        .filter(~Exists(later))
        .order_by()
        .values_list(*REPORT_ROW, "period__label")
    }


def ratings(
    *, pathfinder_ids: Iterable[int], period: ReportingPeriod
) -> dict[int, tuple[Rating, str]]:
    """Per country: the rating of its latest accepted report up to the period, and that
    report's period label. Four queries."""
    latest = latest_accepted_reports(pathfinder_ids=pathfinder_ids, period=period)
    rated = _ratings_of([row[:4] for row in latest.values()])
    return {pid: (rated[row[0]], row[4]) for pid, row in latest.items()}
