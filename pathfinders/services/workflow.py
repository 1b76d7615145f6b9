"""The reporting workflow: one conditional move per transition (submit, return, accept,
reopen) and the Secretariat's corrections, each logged and told by email after commit."""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from alliance87.accounts.models import User

from ..models import (
    EDITABLE_STATUSES,
    Indicator,
    ProgressReport,
    ReportStatus,
    ReportTransition,
    ReviewComment,
)
from .notifications import report_transition_notify
from .reports import (
    ReportConflict,
    ReportNotEditable,
    as_author,
    claim_version,
    report_commitments,
    save_summary,
)

# The one logger of the area's writes, whichever part of them logs.
logger = logging.getLogger("pathfinders.services")


class TransitionRefused(ValidationError):
    """The report is not in a state this step starts from (someone else moved it first)."""


def _move(
    *,
    report: ProgressReport,
    from_statuses: tuple[str, ...],
    to_status: str,
    user: User,
    refusal: StrOrPromise,
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
    changes: dict[str, Any] = {}
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
    assert before is not None  # the report was claimed above, so it exists
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
            as_author(commitment, user)
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
    claim_version(report=report, expected_version=expected_version)
    save_summary(report, summary=summary, user=user)
    return report


def _require_secretariat(user: User) -> None:
    from alliance87.access import is_secretariat

    if not is_secretariat(user):
        raise PermissionDenied(_("Only the Secretariat reviews, reopens or corrects reports."))


def _notify_after_commit(transition: ReportTransition) -> None:
    """Once the change is committed, a worker writes the emails into the outbox. If the
    broker cannot take the task, they are written here and now instead: the outbox sends
    them when it can, and the person's change never fails for want of a broker."""
    from ..tasks import notify_report_transition  # the task imports this module

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
