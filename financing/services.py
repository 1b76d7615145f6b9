"""Every write of the financing area."""

import datetime
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from alliance87 import jobs
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
    job = _import_job_create(file_name=file_name, content=content, user=user)
    jobs.enqueue(FundingFlowImport, job.pk)
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


def funding_flow_import_failed_fields(job_id: int) -> dict:
    """What the import page shows when the job itself could not finish (alliance87.jobs)."""
    return {
        "step": "",
        "error_count": 1,
        "errors": [
            [
                1,
                "",
                _(
                    "The import stopped before it finished; nothing was written. Upload the file again."
                ),
            ]
        ],
    }


def funding_flow_import_run(*, job_id: int) -> FundingFlowImport | None:
    """One attempt of an import job: check the file, then write every flow or none.

    Safe to run twice: the job is claimed first, and only the attempt holding the claim
    writes (alliance87.jobs takes back an attempt whose worker was lost). Returns the
    finished job, or None when there was nothing to do or the attempt did not finish.
    """
    return jobs.execute(
        FundingFlowImport, job_id, lambda attempt: _run_claimed_import(job_id, attempt)
    )


def funding_flow_import_retry(*, job_id: int) -> bool:
    """Run a job that could not finish again (the admin's retry); a refused file is not
    retried, it is corrected and uploaded again."""
    if not FundingFlowImport.objects.filter(pk=job_id).exclude(content=b"").exists():
        return False
    return jobs.retry(FundingFlowImport, job_id)


def _run_claimed_import(job_id: int, attempt: int) -> FundingFlowImport | None:
    job = FundingFlowImport.objects.select_related("uploaded_by").get(pk=job_id)
    ours = FundingFlowImport.objects.filter(
        pk=job_id, status=FundingFlowImport.Status.RUNNING, attempts=attempt
    )
    started = time.monotonic()
    ours.update(step=FundingFlowImport.Step.CHECKING, processed_rows=0)

    def progress(done: int, total: int) -> None:
        # Outside any transaction, so the progress page sees it while the job runs.
        ours.update(processed_rows=done, row_count=total)

    checked = check_file(job.file_name, bytes(job.content), progress=progress)
    errors = checked.errors
    with transaction.atomic():
        # The row stays locked until the flows and the outcome are written together: the
        # sweep cannot take it back meanwhile, and an attempt taken back writes nothing.
        if not list(ours.select_for_update().values_list("pk", flat=True)):
            return None
        if not errors:
            ours.update(step=FundingFlowImport.Step.WRITING)
            errors = _write_flows(job, checked.flows)
        finished = jobs.finish(
            FundingFlowImport,
            job_id,
            attempt,
            status=FundingFlowImport.Status.FAILED if errors else FundingFlowImport.Status.DONE,
            step="",
            row_count=checked.row_count,
            processed_rows=checked.row_count,
            skipped_count=checked.skipped,
            created_count=0 if errors else len(checked.flows),
            error_count=len(errors),
            errors=[
                [error.line, error.column, error.message] for error in errors[:MAX_ERRORS_KEPT]
            ],
            error_detail="",
            content=b"",
            duration_ms=int((time.monotonic() - started) * 1000),
        )
        if not finished:
            transaction.set_rollback(True)
            return None
    return FundingFlowImport.objects.get(pk=job_id)


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
    funding_flow_import_run(job_id=job.pk)
    job = FundingFlowImport.objects.get(pk=job.pk)
    return ImportOutcome(
        row_count=job.row_count,
        created=job.created_count,
        skipped=job.skipped_count,
        errors=import_errors(job),
        batch=job,
        seconds=time.monotonic() - started,
    )
