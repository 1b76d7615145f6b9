"""Which due-date reminder each country should get now.

The one rule read by the reminder run (services.reminders_send_due, called by Celery beat and
by `manage.py send_reminders`) and by the review queue's list of reminders that reach nobody:
a country gets a reminder for a period only when it is expected to report for it
(EXPECTATION_RULE), its report is not in, and the stage is due by the country's own date: 14
and 3 days before the due date on its local calendar, and "overdue" once its deadline (the due
date plus the grace days) has ended at midnight in its time zone, exactly when the overview
calls it Overdue. Each stage goes out once per country and period; a stage that would reach
nobody (no active focal point) is not recorded, so it stays due until someone can receive it.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from alliance87.accounts.models import User

from .models import (
    FocalPoint,
    PathfinderCountry,
    ProgressReport,
    ReminderSent,
    ReminderStage,
    ReportingPeriod,
    ReportStatus,
)
from .reporting import cell_for

# A report in these states needs no reminder at any stage.
_IN = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
# How long after its due date a period's overdue reminder may still be due.
OVERDUE_FOR = datetime.timedelta(days=365)


@dataclass(frozen=True)
class DueReminder:
    """A reminder due for one country and period, and who would receive it."""

    pathfinder: PathfinderCountry
    period: ReportingPeriod
    stage: str
    recipients: tuple[User, ...]

    @property
    def stage_label(self) -> str:
        return str(ReminderStage(self.stage).label)

    @property
    def reaches_nobody(self) -> bool:
        return not self.recipients


def local_moment(
    *,
    zone: datetime.tzinfo,
    now: datetime.datetime | None = None,
    today: datetime.date | None = None,
) -> datetime.datetime:
    """`now` in the zone; when a day is given instead, the start of that day in the zone (the
    command's --today: every country's calendar shows that day)."""
    if today is not None:
        return datetime.datetime.combine(today, datetime.time.min, tzinfo=zone)
    return (now or timezone.now()).astimezone(zone)


def reminder_stage_due(
    *,
    period: ReportingPeriod,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
    zone: datetime.tzinfo = datetime.UTC,
) -> str | None:
    """The reminder stage of the period at this moment for a country in `zone`, if any."""
    moment = local_moment(zone=zone, now=now, today=today)
    if moment >= period.deadline_ends_at(zone):
        return ReminderStage.OVERDUE
    days_left = (period.due_on - moment.date()).days
    if 0 <= days_left <= 3:
        return ReminderStage.DAYS_3
    if 3 < days_left <= 14:
        return ReminderStage.DAYS_14
    return None


def reminders_due(
    *, now: datetime.datetime | None = None, today: datetime.date | None = None
) -> list[DueReminder]:
    """Every reminder due and not yet sent, by period then country.

    Five queries whatever the data: the periods, the countries that ever held Pathfinder
    status, their reports for those periods, the reminders already sent, the active focal
    points.
    """
    if today is None:
        now = now or timezone.now()
        reference = now.astimezone(datetime.UTC).date()
    else:
        reference = today
    # A day either side: a country's local date may be a day off the UTC one.
    window = ReportingPeriod.objects.filter(
        opens_on__lte=reference + datetime.timedelta(days=1),
        due_on__gte=reference - OVERDUE_FOR - datetime.timedelta(days=1),
    )
    periods = list(window.order_by("due_on", "label"))
    pathfinders = list(
        PathfinderCountry.objects.filter(status_granted_on__isnull=False)
        .select_related("country")
        .order_by("country__name")
    )
    reports = {
        (pathfinder_id, period_id): (status, first_submitted_at)
        for pathfinder_id, period_id, status, first_submitted_at in ProgressReport.objects.filter(
            period__in=window.values("pk")
        )
        .order_by()
        .values_list("pathfinder_id", "period_id", "status", "first_submitted_at")
    }
    sent = set(
        ReminderSent.objects.filter(period__in=window.values("pk"), recipients__gt=0)
        .order_by()
        .values_list("pathfinder_id", "period_id", "stage")
    )
    people: dict[int, dict[int, User]] = defaultdict(dict)
    for assignment in (
        FocalPoint.objects.filter(
            user__is_active=True, country__pathfinder__status_granted_on__isnull=False
        )
        .select_related("user")
        .order_by("user__email")
    ):
        people[assignment.country_id][assignment.user_id] = assignment.user

    due = []
    for period in periods:
        for pathfinder in pathfinders:
            zone = pathfinder.country.zone
            moment = local_moment(zone=zone, now=now, today=today)
            if not period.has_opened(moment.date()):
                continue
            stage = reminder_stage_due(period=period, now=moment, zone=zone)
            if stage is None or (pathfinder.pk, period.pk, stage) in sent:
                continue
            status, first_submitted_at = reports.get((pathfinder.pk, period.pk), ("", None))
            if status in _IN:
                continue
            cell = cell_for(
                pathfinder=pathfinder,
                period=period,
                status=status,
                first_submitted_at=first_submitted_at,
                now=moment,
            )
            if not cell.expected:
                continue
            # Overdue exactly when the overview says so: a report first submitted, even if
            # returned since, has been received and is never called overdue.
            if stage == ReminderStage.OVERDUE and not cell.overdue:
                continue
            due.append(
                DueReminder(
                    pathfinder=pathfinder,
                    period=period,
                    stage=stage,
                    recipients=tuple(people[pathfinder.country_id].values()),
                )
            )
    return due
