"""What the pathfinders reads share: the written rules, badges and labels, the reporting
periods that have opened, and the parts of the cache keys that say whose figures and when."""

import datetime
import hashlib

from django.utils import timezone
from django.utils.translation import get_language

from alliance87.fragments import FRAGMENT_SECONDS, time_slot

from .. import reporting
from ..models import (
    CommitmentStatus,
    IloRegion,
    PathfinderCountry,
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
    Stage,
)

# The rules are written once, where the figures are computed; pages show these.
RATING_RULE = reporting.RATING_RULE
TIMELINESS_RULE = reporting.TIMELINESS_RULE
EXPECTATION_RULE = reporting.EXPECTATION_RULE
RATES_RULE = reporting.RATES_RULE
INDICATORS_FILLED_RULE = reporting.INDICATORS_FILLED_RULE
TARGETS_RULE = reporting.TARGETS_RULE
STAGE_ORDER = {stage: index for index, stage in enumerate(Stage)}
COMMITMENT_BADGES: dict[str, str] = {
    CommitmentStatus.NOT_STARTED: "grey",
    CommitmentStatus.ON_TRACK: "green",
    CommitmentStatus.DELAYED: "amber",
    CommitmentStatus.OFF_TRACK: "red",
    CommitmentStatus.COMPLETED: "blue",
}
STATUS_BADGES: dict[str, str] = {
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


# Labels by value: get_FOO_display() hashes every choice (translating each) on every call.
REGION_LABELS = dict(IloRegion.choices)
STATUS_LABELS = dict(ReportStatus.choices)
Rating = reporting.Rating


def period_report(
    *, pathfinder: PathfinderCountry, period: ReportingPeriod
) -> ProgressReport | None:
    """The country's report for the period, if one was started."""
    return ProgressReport.objects.filter(pathfinder=pathfinder, period=period).first()


def opened_periods(*, today: datetime.date | None = None) -> list[ReportingPeriod]:
    """Every period that has opened, latest first."""
    today = today or timezone.localdate()
    return list(
        ReportingPeriod.objects.select_related("framework_version")
        .filter(opens_on__lte=today)
        .order_by("-opens_on")
    )


def scope_key(pathfinder_ids: list[int]) -> str:
    """The countries a figure is computed for (those the reader may see, filtered), in a key."""
    visible = ",".join(str(pk) for pk in sorted(pathfinder_ids))
    return hashlib.sha256(visible.encode()).hexdigest()


# How long figures kept per quarter hour (moment_key) stay in the cache: a key is read for
# one quarter hour only, so the rest would hold memory that nobody reads.
SLOT_KEYED_SECONDS = 2 * FRAGMENT_SECONDS


def moment_key(now: datetime.datetime) -> str:
    """What the reporting figures read besides the data and the countries, in a key: the
    reader's language (the labels) and time zone (which periods have opened by the reader's
    day), and the quarter hour (a report turns late or overdue at midnight in its country's
    time, and every zone's midnight falls on a quarter hour of UTC: see alliance87.fragments)."""
    return f"{get_language()}:{timezone.get_current_timezone_name()}:{time_slot(now)}"


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
