"""Every write of the financing area."""

import datetime
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Field, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from alliance87 import jobs
from alliance87.access import Person
from alliance87.accounts.models import User
from alliance87.aggregates import aggregates_changed
from alliance87.models import Country
from alliance87.texts import Text, as_json
from governance.models import ActionGroup, Organisation

from .bulk import insert_history, insert_rows, update_rows
from .importing import (
    UPDATABLE,
    Action,
    CheckedFile,
    RowError,
    check_file,
    file_checksum,
    json_value,
    plan_digest,
    summary_row,
)
from .models import (
    DateFormat,
    FundingFlow,
    FundingFlowImport,
    NumberFormat,
    SecretariatFunction,
)


@transaction.atomic
def funding_flow_create(
    *,
    source: Organisation,
    recipient_kind: str,
    amount: Decimal,
    currency: str,
    decision_date: datetime.date,
    year_start: int,
    year_end: int | None = None,
    status: str,
    country: Country | None = None,
    action_group: ActionGroup | None = None,
    secretariat_function: SecretariatFunction | None = None,
    theme: str = "",
    reference: str = "",
    description: str = "",
    is_demo: bool = False,
) -> FundingFlow:
    flow = FundingFlow(
        source=source,
        recipient_kind=recipient_kind,
        country=country,
        action_group=action_group,
        secretariat_function=secretariat_function,
        theme=theme,
        amount=amount,
        currency=currency,
        decision_date=decision_date,
        year_start=year_start,
        year_end=year_end if year_end is not None else year_start,
        status=status,
        reference=reference,
        description=description,
        is_demo=is_demo,
    )
    flow.full_clean(exclude=["fingerprint"])
    flow.save()
    return flow


@transaction.atomic
def funding_flow_set_status(*, flow: FundingFlow, status: str) -> FundingFlow:
    """A pledge becomes a commitment, a commitment is paid; the fingerprint stays."""
    flow.status = status
    flow.full_clean(exclude=["fingerprint"])
    flow.save(update_fields=["status", "updated_at"])
    return flow


# Errors kept with a failed import, beyond which only their number is stored.
MAX_ERRORS_KEPT = 1000


@dataclass
class ImportOutcome:
    row_count: int
    created: int = 0
    updated: int = 0
    skipped: int = 0  # rows that change nothing
    not_placed: int = 0
    errors: list[RowError] = field(default_factory=list)
    batch: FundingFlowImport | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def rows(self) -> list[dict]:
        return self.batch.rows if self.batch else []


def import_errors(job: FundingFlowImport) -> list[RowError]:
    """The errors kept with an import, each in the reader's language."""
    return [RowError(line, column, Text.from_json(message)) for line, column, message in job.errors]


@transaction.atomic
def funding_flow_import_start(
    *,
    file_name: str,
    content: bytes,
    user: User | None,
    number_format: str = NumberFormat.DOT,
    date_format: str = DateFormat.YMD,
) -> FundingFlowImport:
    """Record the upload and hand it to a background job that checks it and prepares the
    preview (run at once without a broker); nothing is written until it is confirmed."""
    job = _import_job_create(
        file_name=file_name,
        content=content,
        user=user,
        number_format=number_format,
        date_format=date_format,
    )
    jobs.enqueue(FundingFlowImport, job.pk)
    return job


def _import_job_create(
    *, file_name: str, content: bytes, user: User | None, number_format: str, date_format: str
) -> FundingFlowImport:
    """The job row of an upload, once the file passes the import's rule (financing.models)."""
    job = FundingFlowImport(
        file_name=file_name[:255],
        file_sha256=file_checksum(content),
        content=content,
        uploaded_by=user,
        number_format=number_format,
        date_format=date_format,
    )
    job.full_clean(exclude=["uploaded_by", "confirmed_by", "undone_by"])
    job.save()
    return job


def _claim_confirmed(job_id: int, user: User | None) -> bool:
    now = timezone.now()
    return bool(
        FundingFlowImport.objects.filter(
            pk=job_id, status=FundingFlowImport.Status.PREVIEWED
        ).update(
            status=FundingFlowImport.Status.QUEUED,
            confirmed_at=now,
            confirmed_by=user,
            preview_changed=False,
            attempts=0,
            due_at=now,
            enqueued_at=None,
            started_at=None,
            finished_at=None,
            claimed_by="",
        )
    )


@transaction.atomic
def funding_flow_import_confirm(*, job: FundingFlowImport, user: User) -> bool:
    """The Secretariat confirms a preview: the same job runs again and writes what the
    preview showed (or, if the recorded flows changed meanwhile, shows a new preview).
    False if the import was not waiting for confirmation (confirmed twice)."""
    if not _claim_confirmed(job.pk, user):
        return False
    jobs.enqueue(FundingFlowImport, job.pk)
    return True


def funding_flow_import_failed_fields(job_id: int) -> dict:
    """What the import page shows when the job itself could not finish (alliance87.jobs)."""
    return {
        "step": "",
        "error_count": 1,
        "errors": [
            [
                1,
                "",
                Text(
                    gettext_noop(
                        "The import stopped before it finished; nothing was written. Upload the file again."
                    )
                ).as_json(),
            ]
        ],
    }


def funding_flow_import_run(*, job_id: int) -> FundingFlowImport | None:
    """One attempt of an import job: check the file and plan each row; then, for a preview,
    keep the plan to show, or, once confirmed, write every change or none.

    Safe to run twice: the job is claimed first, and only the attempt holding the claim
    writes (alliance87.jobs takes back an attempt whose worker was lost). Returns the
    finished job, or None when there was nothing to do or the attempt did not finish.
    """
    finished: FundingFlowImport | None = jobs.execute(
        FundingFlowImport, job_id, lambda attempt: _run_claimed_import(job_id, attempt)
    )
    return finished


def funding_flow_import_retry(*, job_id: int) -> bool:
    """Run a job that could not finish again (the admin's retry); a refused file is not
    retried, it is corrected and uploaded again."""
    if not FundingFlowImport.objects.filter(pk=job_id).exclude(content=b"").exists():
        return False
    return jobs.retry(FundingFlowImport, job_id)


def _run_claimed_import(job_id: int, attempt: int) -> FundingFlowImport | None:
    # The preview's rows (megabytes for a large file) are planned again, not read.
    job = (
        FundingFlowImport.objects.select_related("uploaded_by", "confirmed_by")
        .defer("rows")
        .get(pk=job_id)
    )
    ours = FundingFlowImport.objects.filter(
        pk=job_id, status=FundingFlowImport.Status.RUNNING, attempts=attempt
    )
    started = time.monotonic()
    checked = _check_upload(job, ours)
    rows = _summary_rows(checked)
    digest = plan_digest(rows)
    with transaction.atomic():
        # The row stays locked until the flows and the outcome are written together: the
        # sweep cannot take it back meanwhile, and an attempt taken back writes nothing.
        if not list(ours.select_for_update().values_list("pk", flat=True)):
            return None
        status, outcome, errors = _settle_import(job, ours, checked, rows, digest)
        finished = jobs.finish(
            FundingFlowImport,
            job_id,
            attempt,
            status=status,
            **_finished_fields(checked, rows, errors, started),
            **outcome,
        )
        if not finished:
            transaction.set_rollback(True)
            return None
        if status == FundingFlowImport.Status.DONE:
            # The rows went in past the model signals: the cached gap figures must go.
            aggregates_changed("financing")
    return FundingFlowImport.objects.defer("content", "rows").get(pk=job_id)


def _check_upload(job: FundingFlowImport, ours: QuerySet[FundingFlowImport]) -> CheckedFile:
    """The job's file checked and each row planned, its progress written as it goes."""
    ours.update(step=FundingFlowImport.Step.CHECKING, processed_rows=0)

    def progress(done: int, total: int) -> None:
        # Outside any transaction, so the progress page sees it while the job runs.
        ours.update(processed_rows=done, row_count=total)

    return check_file(
        job.file_name,
        bytes(job.content),
        number_format=job.number_format,
        date_format=job.date_format,
        progress=progress,
    )


def _summary_rows(checked: CheckedFile) -> list[dict[str, Any]]:
    """The rows the import's page shows; none for a file with errors."""
    if checked.errors or checked.lookups is None:
        return []
    return [summary_row(plan, checked.lookups) for plan in checked.plans]


def _settle_import(
    job: FundingFlowImport,
    ours: QuerySet[FundingFlowImport],
    checked: CheckedFile,
    rows: list[dict[str, Any]],
    digest: str,
) -> tuple[str, dict[str, Any], list[RowError]]:
    """The job's new status, the fields that go with it and the errors: a file with errors
    fails, an unconfirmed one (or one whose plan changed since its preview) is previewed,
    and a confirmed one writes its flows here."""
    Status = FundingFlowImport.Status
    errors = checked.errors
    outcome: dict[str, Any] = {"content": b"", "plan_digest": digest, "preview_changed": False}
    if errors:
        status = Status.FAILED
    elif job.confirmed_at is None:
        status, outcome = Status.PREVIEWED, {"plan_digest": digest}
    elif digest != job.plan_digest:
        # The recorded flows (or the rates) changed since the preview: show the new one.
        status = Status.PREVIEWED
        outcome = {
            "plan_digest": digest,
            "preview_changed": True,
            "confirmed_at": None,
            "confirmed_by": None,
        }
    else:
        ours.update(step=FundingFlowImport.Step.WRITING)
        errors = _write_flows(job, checked)
        status = Status.FAILED if errors else Status.DONE
        for row, plan in zip(rows, checked.plans, strict=True):
            if plan.flow is not None:
                row["flow"] = plan.flow.pk
    return status, outcome, errors


def _finished_fields(
    checked: CheckedFile, rows: list[dict[str, Any]], errors: list[RowError], started: float
) -> dict[str, Any]:
    """What a finished attempt records of the file, its rows and its errors."""
    return {
        "step": "",
        "file_kind": checked.file_kind,
        "row_count": checked.row_count,
        "processed_rows": checked.row_count,
        "created_count": len(checked.of(Action.ADDED)) if not errors else 0,
        "updated_count": len(checked.of(Action.UPDATED)) if not errors else 0,
        "skipped_count": checked.skipped,
        "not_placed_count": len(checked.of(Action.NOT_PLACED)),
        "rows": rows if not errors else [],
        "error_count": len(errors),
        "errors": [
            [error.line, error.column, as_json(error.message)] for error in errors[:MAX_ERRORS_KEPT]
        ],
        "error_detail": "",
        "duration_ms": int((time.monotonic() - started) * 1000),
    }


def _write_flows(job: FundingFlowImport, checked: CheckedFile) -> list[RowError]:
    added = _planned_flows(checked, Action.ADDED)
    updated = _planned_flows(checked, Action.UPDATED)
    user = job.confirmed_by or job.uploaded_by
    reason = import_reason(job.pk)
    try:
        with transaction.atomic():
            for flow in added:
                flow.import_batch = job
            # Rows were checked by check_file with the rules full_clean applies (whose
            # per-row foreign-key queries would make a large file take minutes); the
            # database constraints stand behind both.
            insert_rows(FundingFlow, added)
            ids = dict(
                FundingFlow.objects.filter(import_batch=job).values_list("fingerprint", "pk")
            )
            for flow in added:
                flow.pk = ids[flow.fingerprint]
            insert_history(FundingFlow, added, user=user, reason=reason)
            if updated:
                update_rows(FundingFlow, updated, [*UPDATABLE, "fingerprint"])
                insert_history(FundingFlow, updated, user=user, reason=reason, history_type="~")
    except IntegrityError:
        # Someone recorded some of these flows between the check and the write.
        return [
            RowError(
                1,
                "",
                Text(
                    gettext_noop(
                        "Some flows were recorded by someone else meanwhile; upload the file again."
                    )
                ),
            )
        ]
    return []


def _planned_flows(checked: CheckedFile, action: str) -> list[FundingFlow]:
    """The flows the file adds or updates (a plan of either holds its flow)."""
    return [plan.flow for plan in checked.of(action) if plan.flow is not None]


def import_reason(job_id: int) -> str:
    """The change reason in the history of the flows an import wrote."""
    return f"import {job_id}"


def funding_flows_import(
    *,
    file_name: str,
    content: bytes,
    user: User | None,
    number_format: str = NumberFormat.DOT,
    date_format: str = DateFormat.YMD,
    dry_run: bool = False,
) -> ImportOutcome:
    """Check, preview and (unless dry_run) import a file here and now, as the page does
    through its job (for the import_flows command, scripts and tests).

    A row whose identity is recorded updates that flow; a row that changes nothing is
    skipped, so the same file imported twice adds nothing the second time. A dry run
    leaves the import waiting for confirmation on its page.
    """
    started = time.monotonic()
    with transaction.atomic():
        job = _import_job_create(
            file_name=file_name,
            content=content,
            user=user,
            number_format=number_format,
            date_format=date_format,
        )
    funding_flow_import_run(job_id=job.pk)
    if not dry_run and _claim_confirmed(job.pk, user):
        funding_flow_import_run(job_id=job.pk)
    job = FundingFlowImport.objects.get(pk=job.pk)
    return ImportOutcome(
        row_count=job.row_count,
        created=job.created_count,
        updated=job.updated_count,
        skipped=job.skipped_count,
        not_placed=job.not_placed_count,
        errors=import_errors(job),
        batch=job,
        seconds=time.monotonic() - started,
    )


class UndoRefused(Exception):  # noqa: N818  a refusal, with the reason to show
    pass


def import_undo_refusal(job: FundingFlowImport, *, now: datetime.datetime | None = None) -> str:
    """Why this import cannot be undone now (empty if it may be), without reading its flows."""
    now = now or timezone.now()
    if job.undone_at:
        return _("This import was undone on %(date)s.") % {
            "date": date_format(timezone.localtime(job.undone_at), "DATETIME_FORMAT")
        }
    if job.status != FundingFlowImport.Status.DONE:
        return _("Only an import that wrote flows can be undone.")
    if job.undo_until and now > job.undo_until:
        return ngettext(
            "An import can be undone for %(days)s day after it ran; this one ran on %(date)s.",
            "An import can be undone for %(days)s days after it ran; this one ran on %(date)s.",
            settings.FUNDING_FLOW_IMPORT_UNDO_DAYS,
        ) % {
            "days": settings.FUNDING_FLOW_IMPORT_UNDO_DAYS,
            "date": date_format(timezone.localtime(job.finished_at), "DATE_FORMAT"),
        }
    if not any(row["action"] in (Action.ADDED, Action.UPDATED) for row in job.rows):
        return _("This import changed no flow: there is nothing to undo.")
    return ""


def funding_flow_import_undo(*, job: FundingFlowImport, user: Person) -> int:
    """Undo an import as a whole: the flows it added are deleted, the flows it updated get
    back their values from before it. Refused (UndoRefused, with the reason) after the
    undo window, or once any of its flows was changed afterwards. Returns the flows put back.
    """
    with transaction.atomic():
        job = FundingFlowImport.objects.select_for_update().get(pk=job.pk)
        refusal = import_undo_refusal(job)
        if refusal:
            raise UndoRefused(refusal)
        rows = [row for row in job.rows if row["action"] in (Action.ADDED, Action.UPDATED)]
        current: dict[int, FundingFlow] = {}
        ids = [row["flow"] for row in rows]
        for start in range(0, len(ids), 900):
            current.update(
                (flow.pk, flow)
                for flow in FundingFlow.objects.filter(pk__in=ids[start : start + 900])
            )
        changed = [row for row in rows if not _as_imported(current.get(row["flow"]), row)]
        if changed:
            raise UndoRefused(_changed_since(changed))
        reason = f"undo of import {job.pk}"
        try:
            for row in rows:
                flow = current[row["flow"]]
                _mark_for_history(flow, user=user, reason=reason)
                if row["action"] == Action.ADDED:
                    flow.delete()
                    continue
                for attname, value in row["before"].items():
                    setattr(flow, attname, None if value is None else _stored(attname, value))
                flow.fingerprint = flow.compute_fingerprint()
                flow.save()
        except IntegrityError as error:
            raise UndoRefused(
                _("A flow recorded since this import now has the values it would get back.")
            ) from error
        FundingFlowImport.objects.filter(pk=job.pk).update(undone_at=timezone.now(), undone_by=user)
        aggregates_changed("financing")
    return len(rows)


def _mark_for_history(flow: FundingFlow, *, user: Person, reason: str) -> None:
    """Who changes the flow and why, as django-simple-history reads them from the instance
    when it records the change."""
    vars(flow).update(_change_reason=reason, _history_user=user)


def _stored(attname: str, value: Any) -> Any:
    """A value kept in an import's row, as the flow's field holds it."""
    field_ = FundingFlow._meta.get_field(attname.removesuffix("_id"))
    assert isinstance(field_, Field)  # the rows keep the values of the flow's own fields
    return field_.to_python(value)


def _as_imported(flow: FundingFlow | None, row: dict) -> bool:
    if flow is None:
        return False
    return all(json_value(getattr(flow, name)) == value for name, value in row["after"].items())


def _changed_since(rows: list[dict]) -> str:
    lines = ", ".join(
        _("line %(line)s (%(reference)s)")
        % {"line": row["line"], "reference": row["reference"] or "—"}
        for row in rows[:5]
    )
    return ngettext(
        "Undo refused: %(count)s flow of this import was changed or deleted after it (%(lines)s). Undo or correct that change first.",
        "Undo refused: %(count)s flows of this import were changed or deleted after it (%(lines)s%(more)s). Undo or correct those changes first.",
        len(rows),
    ) % {"count": len(rows), "lines": lines, "more": ", …" if len(rows) > 5 else ""}
