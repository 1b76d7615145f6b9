"""Every write of the financing area."""

import datetime
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance87.aggregates import aggregates_changed
from governance.models import ActionGroup, Organisation
from pathfinders.models import Country

from .bulk import insert_history, insert_rows
from .importing import RowError, check_file, file_checksum
from .models import FundingFlow, FundingFlowImport, FundingRequirement, SecretariatFunction


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


@transaction.atomic
def funding_requirement_create(
    *,
    recipient_kind: str,
    year: int,
    amount: Decimal,
    currency: str = "USD",
    country: Country | None = None,
    action_group: ActionGroup | None = None,
    secretariat_function: SecretariatFunction | None = None,
    theme: str = "",
    description: str = "",
    is_demo: bool = False,
) -> FundingRequirement:
    requirement = FundingRequirement(
        recipient_kind=recipient_kind,
        country=country,
        action_group=action_group,
        secretariat_function=secretariat_function,
        theme=theme,
        year=year,
        amount=amount,
        currency=currency,
        description=description,
        is_demo=is_demo,
    )
    requirement.full_clean()
    requirement.save()
    return requirement


# Errors kept with a failed import, beyond which only their number is stored.
MAX_ERRORS_KEPT = 1000


@dataclass
class ImportOutcome:
    row_count: int
    created: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    batch: FundingFlowImport | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors


def import_errors(job: FundingFlowImport) -> list[RowError]:
    return [RowError(line, column, message) for line, column, message in job.errors]


@transaction.atomic
def funding_flow_import_start(*, file_name: str, content: bytes, user) -> FundingFlowImport:
    """Record the upload and hand it to a background job (run at once without a broker)."""
    from .tasks import run_funding_flow_import

    job = _import_job_create(file_name=file_name, content=content, user=user)
    transaction.on_commit(lambda: run_funding_flow_import.delay(job.pk))
    return job


def _import_job_create(*, file_name: str, content: bytes, user) -> FundingFlowImport:
    """The job row of an upload, once the file passes the import's rule (financing.models)."""
    job = FundingFlowImport(
        file_name=file_name[:255],
        file_sha256=file_checksum(content),
        content=content,
        uploaded_by=user,
    )
    job.full_clean(exclude=["uploaded_by"])
    job.save()
    return job


def funding_flow_import_run(*, job_id: int) -> FundingFlowImport | None:
    """Check the file, then write every flow or none. Safe to run twice: the job is claimed first."""
    claimed = FundingFlowImport.objects.filter(
        pk=job_id, status=FundingFlowImport.Status.QUEUED
    ).update(status=FundingFlowImport.Status.CHECKING)
    if not claimed:
        return None
    try:
        return _run_claimed_import(job_id)
    except OperationalError:
        # The database went away: hand the job back so the task's retry can claim it again.
        FundingFlowImport.objects.filter(pk=job_id).update(status=FundingFlowImport.Status.QUEUED)
        raise
    except Exception:
        FundingFlowImport.objects.filter(pk=job_id).update(
            status=FundingFlowImport.Status.FAILED,
            content=b"",
            finished_at=timezone.now(),
            error_count=1,
            errors=[
                [
                    1,
                    "",
                    _(
                        "The import stopped on an unexpected error; nothing was written. Upload the file again."
                    ),
                ]
            ],
        )
        raise


def _run_claimed_import(job_id: int) -> FundingFlowImport:
    job = FundingFlowImport.objects.select_related("uploaded_by").get(pk=job_id)
    started = time.monotonic()

    def progress(done: int, total: int) -> None:
        # Outside any transaction, so the progress page sees it while the job runs.
        FundingFlowImport.objects.filter(pk=job_id).update(processed_rows=done, row_count=total)

    checked = check_file(job.file_name, bytes(job.content), progress=progress)
    job.row_count, job.processed_rows, job.skipped_count = (
        checked.row_count,
        checked.row_count,
        checked.skipped,
    )
    errors = checked.errors
    if not errors:
        job.status = FundingFlowImport.Status.WRITING
        job.save(update_fields=["status", "row_count", "processed_rows", "skipped_count"])
        errors = _write_flows(job, checked.flows)
    job.status = FundingFlowImport.Status.FAILED if errors else FundingFlowImport.Status.SUCCEEDED
    job.created_count = 0 if errors else len(checked.flows)
    job.error_count = len(errors)
    job.errors = [[error.line, error.column, error.message] for error in errors[:MAX_ERRORS_KEPT]]
    job.content = b""
    job.finished_at = timezone.now()
    job.duration_ms = int((time.monotonic() - started) * 1000)
    job.save()
    return job


def _write_flows(job: FundingFlowImport, flows: list[FundingFlow]) -> list[RowError]:
    try:
        with transaction.atomic():
            for flow in flows:
                flow.import_batch = job
            # Rows were checked by check_file with the rules full_clean applies (whose
            # per-row foreign-key queries would make a large file take minutes); the
            # database constraints stand behind both.
            insert_rows(FundingFlow, flows)
            ids = dict(
                FundingFlow.objects.filter(import_batch=job).values_list("fingerprint", "pk")
            )
            for flow in flows:
                flow.pk = ids[flow.fingerprint]
            insert_history(FundingFlow, flows, user=job.uploaded_by, reason=f"import {job.pk}")
            # The rows went in past the model signals: the cached gap figures must go.
            aggregates_changed("financing")
    except IntegrityError:
        # Someone recorded some of these flows between the check and the write.
        return [
            RowError(
                1,
                "",
                _("Some flows were recorded by someone else meanwhile; upload the file again."),
            )
        ]
    return []


def funding_flows_import(*, file_name: str, content: bytes, user) -> ImportOutcome:
    """Import a file here and now (for scripts and tests; the upload page uses a job).

    Rows identical to a flow already recorded are skipped, so the same file imported twice
    adds nothing the second time.
    """
    started = time.monotonic()
    with transaction.atomic():
        job = _import_job_create(file_name=file_name, content=content, user=user)
    job = funding_flow_import_run(job_id=job.pk)
    return ImportOutcome(
        row_count=job.row_count,
        created=job.created_count,
        skipped=job.skipped_count,
        errors=import_errors(job),
        batch=job,
        seconds=time.monotonic() - started,
    )
