"""Who is told what: the emails of the workflow's transitions and the due-date reminders,
written into the outbox."""

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from alliance87.accounts.models import User
from alliance87.links import absolute_url
from alliance87.outbox.services import email_render_and_queue
from alliance87.timezones import time_zone_for

from ..models import PathfinderCountry, ReminderSent, ReportStatus, ReportTransition
from ..reminders import DueReminder, reminders_due


def focal_point_recipients(*, pathfinder: PathfinderCountry) -> list[User]:
    return list(
        User.objects.filter(
            focal_point_assignments__country_id=pathfinder.country_id, is_active=True
        ).distinct()
    )


def secretariat_recipients() -> list[User]:
    """The people the portal treats as the Secretariat (alliance87.access.is_secretariat):
    active staff with the Secretariat role."""
    from alliance87.accounts import roles

    return list(
        User.objects.filter(is_active=True, is_staff=True, groups__name=roles.SECRETARIAT)
        .distinct()
        .order_by("email")
    )


def _queue_for_each(
    *, recipients: list[User], purpose: str, object_id: int, template: str, context: dict
) -> int:
    """One email a person, each in that person's language, through the outbox: queued once
    per purpose, object and person, however often this runs."""
    queued = 0
    with transaction.atomic():
        for recipient in recipients:
            if email_render_and_queue(
                purpose=purpose,
                object_id=object_id,
                to=recipient.email,
                language=recipient.language,
                time_zone=time_zone_for(recipient),
                template=f"pathfinders/email/{template}",
                context={**context, "recipient": recipient},
            ):
                queued += 1
    return queued


# A submission after a return or a reopening says so in the Secretariat's email.
_RESUBMITTED_AFTER: dict[str, str] = {
    ReportStatus.RETURNED: "returned",
    ReportStatus.REOPENED: "reopened",
}
# The focal points' email for each step the Secretariat takes.
_TRANSITION_TEMPLATES: dict[str, str] = {
    ReportStatus.RETURNED: "report_returned",
    ReportStatus.ACCEPTED: "report_accepted",
    ReportStatus.REOPENED: "report_reopened",
}


def report_transition_notify(*, transition: ReportTransition) -> int:
    """Tell the Secretariat that a report was submitted (or submitted again after it was
    returned or reopened), or the country's focal points that their report was returned,
    accepted or reopened."""
    from django.urls import reverse

    report = transition.report
    if transition.to_status == ReportStatus.SUBMITTED:
        return _queue_for_each(
            recipients=secretariat_recipients(),
            purpose="pathfinders.report_submitted",
            object_id=transition.pk,
            template="report_submitted",
            context={
                "report": report,
                "transition": transition,
                "resubmitted_after": _RESUBMITTED_AFTER.get(transition.from_status, ""),
                "url": absolute_url(reverse("pathfinders:report_review", args=[report.pk])),
            },
        )
    template = _TRANSITION_TEMPLATES.get(transition.to_status)
    if template is None:
        return 0
    comments = list(transition.comments.select_related("indicator", "commitment").order_by("pk"))
    return _queue_for_each(
        recipients=focal_point_recipients(pathfinder=report.pathfinder),
        purpose="pathfinders.report_transition",
        object_id=transition.pk,
        template=template,
        context={
            "report": report,
            "transition": transition,
            "comments": comments,
            "url": absolute_url(reverse("pathfinders:report_detail", args=[report.pk])),
        },
    )


@dataclass
class RemindersRun:
    """What a reminder run found due, and what it sent (nothing on a dry run)."""

    due: list[DueReminder]
    sent: list[DueReminder] = field(default_factory=list)
    dry_run: bool = False

    @property
    def unreached(self) -> list[DueReminder]:
        """Due reminders nobody would receive: not recorded as sent, listed for the
        Secretariat on the review queue until the country has a focal point."""
        return [r for r in self.due if r.reaches_nobody]


def reminders_send_due(
    *,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
    dry_run: bool = False,
) -> RemindersRun:
    """Email the focal points of every country expected to report whose report is not in:
    14 and 3 days before the due date and when overdue, by the country's own calendar (see
    pathfinders.reminders). Each stage goes out once per country and period, however often
    this runs; a reminder that would reach nobody is not recorded. On a dry run nothing is
    written: the run only says what is due."""
    run = RemindersRun(due=reminders_due(now=now, today=today), dry_run=dry_run)
    if dry_run:
        return run
    for reminder in run.due:
        if not reminder.reaches_nobody and _reminder_send(reminder):
            run.sent.append(reminder)
    return run


@transaction.atomic
def _reminder_send(reminder: DueReminder) -> bool:
    """Record the stage and queue its emails; False when another run recorded it first."""
    from django.urls import reverse

    pathfinder, period, stage = reminder.pathfinder, reminder.period, reminder.stage
    recipients = list(reminder.recipients)
    try:
        with transaction.atomic():
            # The unique constraint claims the stage; a second run stops here.
            sent = ReminderSent.objects.create(
                pathfinder=pathfinder, period=period, stage=stage, recipients=len(recipients)
            )
    except IntegrityError:
        # A stage recorded with no recipient (before such reminders were kept out) is sent
        # now that someone can receive it: claimed by a conditional update, once.
        mine = ReminderSent.objects.filter(
            pathfinder=pathfinder, period=period, stage=stage, recipients=0
        )
        if not mine.update(recipients=len(recipients), sent_at=timezone.now()):
            return False
        sent = ReminderSent.objects.get(pathfinder=pathfinder, period=period, stage=stage)
    _queue_for_each(
        recipients=recipients,
        purpose="pathfinders.reminder",
        object_id=sent.pk,
        template=f"reminder_{stage}",
        context={
            "pathfinder": pathfinder,
            "period": period,
            "url": absolute_url(
                reverse("pathfinders:country_detail", args=[pathfinder.country.iso_code])
            ),
        },
    )
    return True
