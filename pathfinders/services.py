"""Every write of the pathfinders area and its workflow rules."""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from alliance87.accounts.models import User
from alliance87.links import absolute_url
from alliance87.outbox.services import email_render_and_queue
from alliance87.timezones import format_moment, time_zone_for

from .models import (
    EDITABLE_STATUSES,
    STAGE_DATE_FIELDS,
    Commitment,
    CommitmentUpdate,
    FrameworkVersion,
    Indicator,
    IndicatorValue,
    PathfinderCountry,
    ProgressReport,
    ReminderSent,
    ReportingPeriod,
    ReportStatus,
    ReportTransition,
    ReviewComment,
    Stage,
)
from .reminders import DueReminder, reminders_due

logger = logging.getLogger(__name__)


class ReportNotEditable(ValidationError):
    """The report is submitted or accepted: nobody may change it now."""


class ReportConflict(ValidationError):
    """Someone saved the report after this form was opened (optimistic locking)."""

    def __init__(self, report: ProgressReport) -> None:
        self.current = report
        super().__init__(
            _(
                "Someone else saved this report after you opened it (%(who)s, %(when)s). "
                "Your changes were NOT saved. What you typed is still below; compare it with "
                "theirs, then save again to keep your version."
            )
            % {
                "who": report.updated_by or _("unknown"),
                "when": format_moment(report.updated_at),
            },
            code="conflict",
        )


@dataclass
class ValueInput:
    """What a focal point gave for one indicator."""

    value_number: object = None
    value_date: datetime.date | None = None
    value_text: str = ""
    narrative: str = ""
    # An uploaded file to attach, or True to remove the attached one.
    evidence: UploadedFile | None = None
    clear_evidence: bool = False
    # Why the value changed so much from the previous accepted one (pathfinders.quality).
    change_note: str = ""


@dataclass
class UpdateInput:
    status: str
    progress_percent: int = 0
    narrative: str = ""


@dataclass
class ReportInput:
    summary: str = ""
    values: dict[int, ValueInput] = field(default_factory=dict)
    updates: dict[int, UpdateInput] = field(default_factory=dict)


def report_commitments(*, pathfinder: PathfinderCountry):
    return Commitment.objects.filter(roadmap__pathfinder=pathfinder).select_related("roadmap")


@transaction.atomic
def report_start(
    *, pathfinder: PathfinderCountry, period: ReportingPeriod, user: User
) -> ProgressReport:
    """The country's report for the period, created as a draft if it does not exist yet."""
    if (
        not pathfinder.is_reporting
        and not ProgressReport.objects.filter(pathfinder=pathfinder, period=period).exists()
    ):
        raise ValidationError(_("Only countries with Pathfinder status report progress."))
    if period.opens_on > timezone.localdate():
        raise ValidationError(_("This reporting period has not opened yet."))
    report, created = ProgressReport.objects.get_or_create(
        pathfinder=pathfinder,
        period=period,
        defaults={"created_by": user, "updated_by": user},
    )
    if created:
        ReportTransition.objects.create(
            report=report, from_status="", to_status=ReportStatus.DRAFT, by=user
        )
    return report


def _claim_version(*, report: ProgressReport, expected_version: int) -> None:
    """Compare-and-swap on the version: exactly one of two concurrent saves wins."""
    claimed = ProgressReport.objects.filter(
        pk=report.pk, version=expected_version, status__in=EDITABLE_STATUSES
    ).update(version=F("version") + 1)
    if claimed:
        report.version = expected_version + 1
        return
    current = ProgressReport.objects.select_related("updated_by").get(pk=report.pk)
    if current.status not in EDITABLE_STATUSES:
        raise ReportNotEditable(
            _(
                "This report is %(status)s: only a draft, returned or reopened report can be "
                "changed (the Secretariat reopens an accepted report, with a reason)."
            )
            % {"status": current.get_status_display().lower()},
            code="state",
        )
    raise ReportConflict(current)


# What a save changes on the report and checks: the summary and the version. Its author is
# the signed-in user; its country, period, state and dates change only through the workflow,
# so a save need not check them again (each of those checks is a query).
_SAVED_REPORT_FIELDS = ("summary", "version")


@transaction.atomic
def report_save(
    *,
    report: ProgressReport,
    user: User,
    expected_version: int,
    data: ReportInput,
    indicators: list[Indicator] | None = None,
    commitments: list[Commitment] | None = None,
    previous: dict | None = None,
) -> ProgressReport:
    """Store a draft: the indicator values and commitment updates given, checked and versioned.

    `indicators` and `commitments` are the period's indicators and the country's commitments
    when the caller has loaded them already (the form has); otherwise they are read here.
    So is `previous`, each indicator's previous accepted value by code
    (selectors.previous_values), which a large change is checked against.
    """
    _claim_version(report=report, expected_version=expected_version)
    if indicators is None:
        indicators = list(Indicator.objects.filter(version_id=report.period.framework_version_id))
    if commitments is None:
        commitments = list(report_commitments(pathfinder=report.pathfinder))
    indicators = {i.pk: i for i in indicators if i.version_id == report.period.framework_version_id}
    commitments = {c.pk: c for c in commitments if c.roadmap.pathfinder_id == report.pathfinder_id}
    existing = {v.indicator_id: v for v in report.values.all()}
    errors: dict[str, list] = {}
    for indicator_id, given in data.values.items():
        indicator = indicators.get(indicator_id)
        if indicator is None:
            raise ValidationError(_("An indicator does not belong to this period's framework."))
        value = existing.get(indicator_id) or IndicatorValue(report=report, indicator=indicator)
        changed = (
            value.value_number != given.value_number
            or value.value_date != given.value_date
            or value.value_text != given.value_text
            or value.narrative != given.narrative
            or value.change_note != given.change_note
            or given.evidence is not None
            or (given.clear_evidence and value.evidence)
        )
        if not changed:
            continue
        value.value_number = given.value_number
        value.value_date = given.value_date
        value.value_text = given.value_text
        value.narrative = given.narrative
        value.change_note = given.change_note
        if given.evidence is not None:
            value.evidence = given.evidence
        elif given.clear_evidence:
            value.evidence = None
        if value.pk is None and not value.has_value and not value.narrative and not value.evidence:
            continue
        if previous is None:
            from .selectors import previous_values

            previous = previous_values(report=report)
        value.previous_accepted = previous.get(indicator.code)
        try:
            value.full_clean()
        except ValidationError as error:
            errors[f"indicator:{indicator.code}"] = error.messages
            continue
        value._history_user = user  # the history names the author, in a request or not
        value.save()
    existing_updates = {u.commitment_id: u for u in report.commitment_updates.all()}
    for commitment_id, given in data.updates.items():
        commitment = commitments.get(commitment_id)
        if commitment is None:
            raise ValidationError(_("A commitment does not belong to this country's roadmap."))
        update = existing_updates.get(commitment_id) or CommitmentUpdate(
            report=report, commitment=commitment
        )
        if update.pk and (update.status, update.progress_percent, update.narrative) == (
            given.status,
            given.progress_percent,
            given.narrative,
        ):
            continue
        update.status = given.status
        update.progress_percent = given.progress_percent
        update.narrative = given.narrative
        try:
            update.full_clean()
        except ValidationError as error:
            errors[f"commitment:{commitment.code}"] = error.messages
            continue
        update._history_user = user
        update.save()
    if errors:
        # The forms check the same rules first; reaching here means bad data bypassed them.
        raise ValidationError(errors)
    report.summary = data.summary
    report.updated_by = user
    report.full_clean(
        exclude=[f.name for f in report._meta.fields if f.name not in _SAVED_REPORT_FIELDS],
        validate_unique=False,
        validate_constraints=False,
    )
    report._history_user = user
    # The status and the workflow dates are the transitions' to write, never a draft's save.
    report.save(update_fields=["summary", "version", "updated_by", "updated_at"])
    return report


class TransitionRefused(ValidationError):
    """The report is not in a state this step starts from (someone else moved it first)."""


def _move(
    *,
    report: ProgressReport,
    from_statuses: tuple[str, ...],
    to_status: str,
    user: User,
    refusal: str,
    comment: str = "",
    expected_version: int | None = None,
    dates: tuple[str, ...] = (),
) -> tuple[ProgressReport, ReportTransition]:
    """The one write of a report's state: a conditional UPDATE on its current state (and on
    the version the caller saw, when it gives one) that raises the version by one and sets
    the transition's `<date>_at`/`<date>_by` pairs, then its history entry and the transition
    log. Of two reviewers acting at once exactly one wins; nothing else moves the status or
    the workflow dates, and the version never goes down."""
    now = timezone.now()
    before = ProgressReport.objects.filter(pk=report.pk).values_list("status", flat=True).first()
    mine = ProgressReport.objects.filter(pk=report.pk, status=before, status__in=from_statuses)
    if expected_version is not None:
        mine = mine.filter(version=expected_version)
    changes = {}
    for name in dates:
        changes[f"{name}_at"] = now
        changes[f"{name}_by"] = user
    if to_status == ReportStatus.SUBMITTED:
        changes["first_submitted_at"] = Coalesce("first_submitted_at", Value(now))
    claimed = mine.update(
        status=to_status, version=F("version") + 1, updated_by=user, updated_at=now, **changes
    )
    if not claimed:
        current = ProgressReport.objects.select_related("updated_by").get(pk=report.pk)
        if expected_version is not None and current.status in from_statuses:
            raise ReportConflict(current)
        raise TransitionRefused(
            refusal % {"status": current.get_status_display().lower()}, code="state"
        )
    report = ProgressReport.objects.select_related("pathfinder__country", "period").get(
        pk=report.pk
    )
    ProgressReport.history.bulk_history_create(
        [report], update=True, default_user=user, default_date=now
    )
    transition = ReportTransition(
        report=report, from_status=before, to_status=to_status, by=user, at=now, comment=comment
    )
    transition.full_clean()
    transition.save()
    return report, transition


# Said before the move (the report as the caller saw it) and by it (as the database has it).
SUBMIT_REFUSAL = _(
    "Only a draft, returned or reopened report can be submitted; this one is %(status)s."
)


@transaction.atomic
def report_submit(
    *, report: ProgressReport, user: User, expected_version: int | None = None
) -> ProgressReport:
    if report.status not in EDITABLE_STATUSES:
        raise ReportNotEditable(
            SUBMIT_REFUSAL % {"status": report.get_status_display().lower()}, code="state"
        )
    missing = report_commitments(pathfinder=report.pathfinder).exclude(
        pk__in=report.commitment_updates.values("commitment_id")
    )
    if missing.exists():
        raise ValidationError(
            _("Give the status of every commitment before submitting (missing: %(codes)s).")
            % {"codes": ", ".join(c.code for c in missing)}
        )
    report, transition = _move(
        report=report,
        from_statuses=EDITABLE_STATUSES,
        to_status=ReportStatus.SUBMITTED,
        user=user,
        dates=("submitted",),
        expected_version=expected_version,
        refusal=SUBMIT_REFUSAL,
    )
    _notify_after_commit(transition)
    return report


@transaction.atomic
def report_return(
    *,
    report: ProgressReport,
    user: User,
    comment: str,
    indicator_comments: dict[int, str] | None = None,
    commitment_comments: dict[int, str] | None = None,
    expected_version: int | None = None,
) -> ProgressReport:
    """Send a submitted report back to its focal points with the reviewer's comments."""
    _require_secretariat(user)
    indicator_comments = {k: v.strip() for k, v in (indicator_comments or {}).items() if v.strip()}
    commitment_comments = {
        k: v.strip() for k, v in (commitment_comments or {}).items() if v.strip()
    }
    if not (comment.strip() or indicator_comments or commitment_comments):
        raise ValidationError(
            {"comment": _("Say what needs revising: a general comment or a comment on a field.")}
        )
    report, transition = _move(
        report=report,
        from_statuses=(ReportStatus.SUBMITTED,),
        to_status=ReportStatus.RETURNED,
        user=user,
        dates=("returned",),
        comment=comment.strip(),
        expected_version=expected_version,
        refusal=_("Only a submitted report can be returned; this one is %(status)s."),
    )
    indicators = Indicator.objects.filter(
        version_id=report.period.framework_version_id, pk__in=indicator_comments
    ).in_bulk()
    commitments = (
        report_commitments(pathfinder=report.pathfinder)
        .filter(pk__in=commitment_comments)
        .in_bulk()
    )
    for indicator_id, text in indicator_comments.items():
        ReviewComment.objects.create(
            report=report, transition=transition, indicator=indicators[indicator_id], text=text
        )
    for commitment_id, text in commitment_comments.items():
        ReviewComment.objects.create(
            report=report, transition=transition, commitment=commitments[commitment_id], text=text
        )
    _notify_after_commit(transition)
    return report


@transaction.atomic
def report_accept(
    *,
    report: ProgressReport,
    user: User,
    comment: str = "",
    expected_version: int | None = None,
) -> ProgressReport:
    """Accept a submitted report: it is locked, and its commitment updates become current."""
    _require_secretariat(user)
    report, transition = _move(
        report=report,
        from_statuses=(ReportStatus.SUBMITTED,),
        to_status=ReportStatus.ACCEPTED,
        user=user,
        dates=("accepted",),
        comment=comment.strip(),
        expected_version=expected_version,
        refusal=_("Only a submitted report can be accepted; this one is %(status)s."),
    )
    latest_accepted = (
        ProgressReport.objects.filter(pathfinder=report.pathfinder, status=ReportStatus.ACCEPTED)
        .order_by("-period__opens_on")
        .first()
    )
    if latest_accepted == report:
        # Accepting an older period's report never overrides a newer picture.
        for update in report.commitment_updates.select_related("commitment"):
            commitment = update.commitment
            commitment.status = update.status
            commitment.progress_percent = update.progress_percent
            commitment.full_clean()
            commitment._history_user = user
            commitment.save()
    _notify_after_commit(transition)
    return report


@transaction.atomic
def report_reopen(
    *,
    report: ProgressReport,
    user: User,
    reason: str,
    expected_version: int | None = None,
) -> ProgressReport:
    """The Secretariat takes an accepted report back so its focal points can revise it and
    submit it again; the reason is logged and emailed to them. The dates of its first
    submission and of its acceptance stay: they are history, not state."""
    _require_secretariat(user)
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Give the reason for reopening: the focal points receive it by email.")}
        )
    report, transition = _move(
        report=report,
        from_statuses=(ReportStatus.ACCEPTED,),
        to_status=ReportStatus.REOPENED,
        user=user,
        comment=reason.strip(),
        expected_version=expected_version,
        refusal=_("Only an accepted report can be reopened; this one is %(status)s."),
    )
    _notify_after_commit(transition)
    return report


@transaction.atomic
def report_admin_edit(
    *, report: ProgressReport, user: User, expected_version: int, summary: str
) -> ProgressReport:
    """A Secretariat correction from the admin: the same compare-and-swap as the progress form
    (the caller saves the indicator values of the same form after it, in this transaction);
    the status, the version and the workflow dates are not the admin's to set."""
    _require_secretariat(user)
    _claim_version(report=report, expected_version=expected_version)
    report.summary = summary
    report.updated_by = user
    report.full_clean(
        exclude=[f.name for f in report._meta.fields if f.name not in _SAVED_REPORT_FIELDS],
        validate_unique=False,
        validate_constraints=False,
    )
    report._history_user = user
    report.save(update_fields=["summary", "version", "updated_by", "updated_at"])
    return report


def _require_secretariat(user: User) -> None:
    from alliance87.access import is_secretariat

    if not is_secretariat(user):
        raise PermissionDenied(_("Only the Secretariat reviews, reopens or corrects reports."))


def _notify_after_commit(transition: ReportTransition) -> None:
    """Once the change is committed, a worker writes the emails into the outbox. If the
    broker cannot take the task, they are written here and now instead: the outbox sends
    them when it can, and the person's change never fails for want of a broker."""
    from .tasks import notify_report_transition  # the task imports this module

    transition_id = transition.pk

    def send() -> None:
        try:
            notify_report_transition.apply_async(args=[transition_id], retry=False)
        except Exception:  # the broker is unreachable
            logger.warning(
                "report transition %s: the broker did not take the notification; "
                "writing its emails now",
                transition_id,
                exc_info=True,
            )
            found = (
                ReportTransition.objects.select_related(
                    "report__pathfinder__country", "report__period", "by"
                )
                .filter(pk=transition_id)
                .first()
            )
            if found is not None:
                report_transition_notify(transition=found)

    transaction.on_commit(send)


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
                "resubmitted_after": {
                    ReportStatus.RETURNED: "returned",
                    ReportStatus.REOPENED: "reopened",
                }.get(transition.from_status, ""),
                "url": absolute_url(reverse("pathfinders:report_review", args=[report.pk])),
            },
        )
    template = {
        ReportStatus.RETURNED: "report_returned",
        ReportStatus.ACCEPTED: "report_accepted",
        ReportStatus.REOPENED: "report_reopened",
    }.get(transition.to_status)
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


@transaction.atomic
def framework_version_copy(*, version: FrameworkVersion, title: str = "") -> FrameworkVersion:
    """A new, editable version with the same indicators: the way to change the framework
    without rewriting the reports that answered the old one."""
    number = (
        FrameworkVersion.objects.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    new = FrameworkVersion(
        number=number,
        title=title or version.title,
        notes=_("Copied from version %(number)s.") % {"number": version.number},
    )
    new.full_clean()
    new.save()
    # Saved with English active: each text's original column keeps the English whatever the
    # language of the person copying (alliance87.translated).
    with override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        for indicator in version.indicators.all():
            indicator.pk = None
            indicator.id = None
            indicator.version = new
            indicator.full_clean()
            indicator.save()
    return new


# --- The journey: a country moves from one stage to the next -----------------------------


def stage_change_errors(
    *,
    pathfinder: PathfinderCountry,
    stage: str,
    on: datetime.date | None,
    decision=None,
    today: datetime.date | None = None,
) -> dict[str, list[str]]:
    """What stops this country from moving to `stage` on `on`, by field ("stage", "on",
    "decision"); empty when the move may be made. The rules of the journey beyond the order
    of its dates (PathfinderCountry.clean checks those)."""
    from governance.models import Decision

    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}

    def refuse(field_name: str, message) -> None:
        errors.setdefault(field_name, []).append(str(message))

    current = Stage(pathfinder.stage)
    stage = Stage(stage)
    if stage == current:
        refuse("stage", _("The country is already at this stage."))
    elif Stage.INACTIVE not in (stage, current) and STAGE_ORDERS[stage] < STAGE_ORDERS[current]:
        refuse(
            "stage",
            _(
                "A country does not go back on the journey: a country that stalls is marked "
                "inactive. To correct a date, change it in the admin."
            ),
        )
    if stage == Stage.IMPLEMENTING and pathfinder.status_granted_on is None:
        refuse(
            "stage",
            _("A country implements its roadmap once it holds Pathfinder status: grant it first."),
        )
    if on is None:
        refuse("on", _("Give the date on which the country reached this stage."))
    elif on > today:
        refuse("on", _("The date cannot be in the future."))
    if stage == Stage.STATUS_GRANTED:
        if decision is None:
            refuse("decision", _("Choose the GCG decision that granted Pathfinder status."))
        elif decision.kind != Decision.Kind.GRANT_PATHFINDER_STATUS:
            refuse(
                "decision",
                _("Decision %(reference)s does not grant Pathfinder status.")
                % {"reference": decision.reference},
            )
        elif on is not None and on < decision.date:
            refuse(
                "on",
                _("The status cannot be granted before the decision that granted it (%(date)s).")
                % {"date": formats.date_format(decision.date, "DATE_FORMAT")},
            )
    elif decision is not None:
        refuse("decision", _("Only a grant of Pathfinder status names a GCG decision."))
    return errors


STAGE_ORDERS = {stage: index for index, stage in enumerate(Stage)}


@transaction.atomic
def pathfinder_stage_change(
    *,
    pathfinder: PathfinderCountry,
    stage: str,
    on: datetime.date,
    by: User,
    decision=None,
    note: str = "",
) -> PathfinderCountry:
    """Move a country to another stage of the journey on a date (the Secretariat's act, from
    the portal or the admin); the change is kept in the country's history with who made it."""
    from alliance87.access import is_secretariat

    if not is_secretariat(by):
        raise PermissionDenied(_("Only the Secretariat moves a country along the journey."))
    locked = PathfinderCountry.objects.select_for_update().get(pk=pathfinder.pk)
    errors = stage_change_errors(pathfinder=locked, stage=stage, on=on, decision=decision)
    if errors:
        raise ValidationError(errors)
    stage = Stage(stage)
    if locked.stage == Stage.INACTIVE:
        locked.reactivated_on = on
    if stage == Stage.INACTIVE:
        locked.inactive_since = on
        locked.reactivated_on = None
    else:
        setattr(locked, STAGE_DATE_FIELDS[stage], on)
    if stage == Stage.STATUS_GRANTED:
        locked.status_decision = decision
    locked.stage = stage
    try:
        locked.full_clean()
    except ValidationError as error:
        # The order of the journey's dates: the date typed is the one at fault.
        raise ValidationError(
            {
                ("on" if name in JOURNEY_DATE_FIELDS else NON_FIELD_ERRORS): messages
                for name, messages in error.message_dict.items()
            }
        ) from error
    locked._history_user = by
    locked._change_reason = note.strip()[:100]
    locked.save()
    return locked


JOURNEY_DATE_FIELDS = {*STAGE_DATE_FIELDS.values(), "reactivated_on"}


def kept_evidence_sweep(*, now: datetime.datetime | None = None) -> int:
    """Delete the files kept after a refused save (IndicatorValueForm.keep_evidence) once
    their token no longer holds: their save never came. Returns how many were deleted."""
    from .forms import IndicatorValueForm

    now = now or timezone.now()
    oldest = now - datetime.timedelta(seconds=IndicatorValueForm.KEPT_MAX_AGE)
    top = IndicatorValueForm.KEPT_DIRECTORY
    if not default_storage.exists(top):
        return 0
    deleted = 0
    folders, _files = default_storage.listdir(top)
    for folder in folders:
        _subfolders, names = default_storage.listdir(f"{top}/{folder}")
        for name in names:
            path = f"{top}/{folder}/{name}"
            if default_storage.get_modified_time(path) < oldest:
                default_storage.delete(path)
                deleted += 1
    return deleted
