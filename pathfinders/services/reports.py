"""A progress report's drafts: the focal point's input, starting a report, saving it under
optimistic locking, and the files a refused save left behind."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance87.accounts.models import User
from alliance87.timezones import format_moment

from ..models import (
    EDITABLE_STATUSES,
    Commitment,
    CommitmentUpdate,
    Indicator,
    IndicatorValue,
    PathfinderCountry,
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
    ReportTransition,
)
from ..quality import PreviousValue


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

    value_number: Decimal | None = None
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


def report_commitments(*, pathfinder: PathfinderCountry) -> QuerySet[Commitment]:
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


def claim_version(*, report: ProgressReport, expected_version: int) -> None:
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
SAVED_REPORT_FIELDS = ("summary", "version")


@transaction.atomic
def report_save(
    *,
    report: ProgressReport,
    user: User,
    expected_version: int,
    data: ReportInput,
    indicators: list[Indicator] | None = None,
    commitments: list[Commitment] | None = None,
    previous: dict[str, PreviousValue] | None = None,
) -> ProgressReport:
    """Store a draft: the indicator values and commitment updates given, checked and versioned.

    `indicators` and `commitments` are the period's indicators and the country's commitments
    when the caller has loaded them already (the form has); otherwise they are read here.
    So is `previous`, each indicator's previous accepted value by code
    (selectors.previous_values), which a large change is checked against.
    """
    claim_version(report=report, expected_version=expected_version)
    if indicators is None:
        indicators = list(Indicator.objects.filter(version_id=report.period.framework_version_id))
    if commitments is None:
        commitments = list(report_commitments(pathfinder=report.pathfinder))
    errors = _save_values(
        report=report,
        user=user,
        given=data.values,
        indicators={
            i.pk: i for i in indicators if i.version_id == report.period.framework_version_id
        },
        previous=previous,
    )
    errors |= _save_updates(
        report=report,
        user=user,
        given=data.updates,
        commitments={
            c.pk: c for c in commitments if c.roadmap.pathfinder_id == report.pathfinder_id
        },
    )
    if errors:
        # The forms check the same rules first; reaching here means bad data bypassed them.
        raise ValidationError(errors)
    save_summary(report, summary=data.summary, user=user)
    return report


def save_summary(report: ProgressReport, *, summary: str, user: User) -> None:
    """Write a report's summary once its version is claimed, in the person's name. The status
    and the workflow dates are the transitions' to write, never a save's."""
    report.summary = summary
    report.updated_by = user
    report.full_clean(
        exclude=[f.name for f in report._meta.fields if f.name not in SAVED_REPORT_FIELDS],
        validate_unique=False,
        validate_constraints=False,
    )
    as_author(report, user)
    report.save(update_fields=["summary", "version", "updated_by", "updated_at"])


def _save_values(
    *,
    report: ProgressReport,
    user: User,
    given: dict[int, ValueInput],
    indicators: dict[int, Indicator],
    previous: dict[str, PreviousValue] | None,
) -> dict[str, list[str]]:
    """Store the indicator values that changed; the refused ones' messages by field."""
    existing = {v.indicator_id: v for v in report.values.all()}
    errors: dict[str, list[str]] = {}
    for indicator_id, entered in given.items():
        indicator = indicators.get(indicator_id)
        if indicator is None:
            raise ValidationError(_("An indicator does not belong to this period's framework."))
        value = existing.get(indicator_id) or IndicatorValue(report=report, indicator=indicator)
        if not _value_changed(value, entered):
            continue
        value.value_number = entered.value_number
        value.value_date = entered.value_date
        value.value_text = entered.value_text
        value.narrative = entered.narrative
        value.change_note = entered.change_note
        if entered.evidence is not None:
            value.evidence = entered.evidence
        elif entered.clear_evidence:
            value.evidence = None
        if value.pk is None and not value.has_value and not value.narrative and not value.evidence:
            continue
        if previous is None:
            from ..selectors import previous_values

            previous = previous_values(report=report)
        value.previous_accepted = previous.get(indicator.code)
        try:
            value.full_clean()
        except ValidationError as error:
            errors[f"indicator:{indicator.code}"] = error.messages
            continue
        as_author(value, user)  # the history names the author, in a request or not
        value.save()
    return errors


def _value_changed(value: IndicatorValue, entered: ValueInput) -> bool:
    return bool(
        value.value_number != entered.value_number
        or value.value_date != entered.value_date
        or value.value_text != entered.value_text
        or value.narrative != entered.narrative
        or value.change_note != entered.change_note
        or entered.evidence is not None
        or (entered.clear_evidence and value.evidence)
    )


def _save_updates(
    *,
    report: ProgressReport,
    user: User,
    given: dict[int, UpdateInput],
    commitments: dict[int, Commitment],
) -> dict[str, list[str]]:
    """Store the commitment updates that changed; the refused ones' messages by field."""
    existing = {u.commitment_id: u for u in report.commitment_updates.all()}
    errors: dict[str, list[str]] = {}
    for commitment_id, entered in given.items():
        commitment = commitments.get(commitment_id)
        if commitment is None:
            raise ValidationError(_("A commitment does not belong to this country's roadmap."))
        update = existing.get(commitment_id) or CommitmentUpdate(
            report=report, commitment=commitment
        )
        if update.pk and (update.status, update.progress_percent, update.narrative) == (
            entered.status,
            entered.progress_percent,
            entered.narrative,
        ):
            continue
        update.status = entered.status
        update.progress_percent = entered.progress_percent
        update.narrative = entered.narrative
        try:
            update.full_clean()
        except ValidationError as error:
            errors[f"commitment:{commitment.code}"] = error.messages
            continue
        as_author(update, user)
        update.save()
    return errors


def as_author(instance: Model, user: User, *, reason: str | None = None) -> None:
    """Name the author (and the reason) of the next save in the instance's history, where
    django-simple-history reads them, in a request or not."""
    instance._history_user = user  # type: ignore[attr-defined]
    if reason is not None:
        instance._change_reason = reason  # type: ignore[attr-defined]


def kept_evidence_sweep(*, now: datetime.datetime | None = None) -> int:
    """Delete the files kept after a refused save (IndicatorValueForm.keep_evidence) once
    their token no longer holds: their save never came. Returns how many were deleted."""
    from ..forms import IndicatorValueForm

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
