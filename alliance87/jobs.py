"""The one mechanism behind every background job: PDF reports, imports, emails.

A job is a row (a model built on `Job`); the broker only carries its id. The row's status
says where it is: queued, running, done or failed. A task claims the row with a conditional
UPDATE (queued -> running), so a duplicate delivery does nothing. While it runs, a thread
touches `heartbeat_at` every JOB_HEARTBEAT_SECONDS. The sweep (Celery beat, every
JOB_SWEEP_SECONDS) takes back a running row whose heartbeat is older than
JOB_LOST_AFTER_SECONDS, or which started longer ago than its lease (the last resort), and
sends again a queued row the broker lost. A row taken back runs again, up to its kind's
attempts, then fails with its error kept; a kind that must never run twice (an email) is
failed instead, for a person to check. Apps register their kinds in AppConfig.ready();
this module imports no app.
"""

import logging
import os
import socket
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    connection,
    models,
    transaction,
)
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# A database hiccup or a lost connection is worth another try; a bug in the data is not.
TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


class Job(models.Model):
    """The columns every job row has. A model may declare `status` again with its own labels
    for the same four values."""

    status = models.CharField(
        _("status"),
        max_length=10,
        choices=JobStatus.choices,
        default=JobStatus.QUEUED,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    due_at = models.DateTimeField(
        _("due at"), default=timezone.now, help_text=_("When the job may run next.")
    )
    enqueued_at = models.DateTimeField(_("last sent to a worker"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    claimed_by = models.CharField(
        _("worker"), max_length=200, blank=True, help_text=_("Host and process of the attempt.")
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error_detail = models.TextField(_("last error (staff only)"), blank=True)

    ACTIVE = ACTIVE

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def is_retrying(self) -> bool:
        """Waiting for another attempt after one that did not finish."""
        return self.status == JobStatus.QUEUED and self.attempts > 0


@dataclass(frozen=True)
class JobKind:
    """What the mechanism needs to know of one job model."""

    model: type[Job]
    task: str  # the dotted name of the Celery task that takes the row's id
    max_attempts_setting: str = "JOB_MAX_ATTEMPTS"
    lease_setting: str = "JOB_LEASE_SECONDS"
    retry_base_seconds: int = 5
    # False for a job that must never run twice (an email): a row lost while running fails,
    # for a person to check, instead of running again.
    rerun_lost: bool = True
    # Kept as the row's error when its worker is lost ({worker}: host and process).
    lost_message: str = "The worker {worker} stopped while running this job."
    # Columns written, besides the status, when a row fails (e.g. the requester's message),
    # given the row's id.
    failed_fields: Callable[[int], dict] = field(default=lambda pk: {})

    @property
    def max_attempts(self) -> int:
        return getattr(settings, self.max_attempts_setting)

    @property
    def lease_seconds(self) -> int:
        return getattr(settings, self.lease_setting)

    def retry_delay(self, attempt: int) -> int:
        return min(settings.JOB_RETRY_MAX_SECONDS, self.retry_base_seconds * 2 ** (attempt - 1))


_KINDS: dict[type[Job], JobKind] = {}


def register(kind: JobKind) -> None:
    _KINDS[kind.model] = kind


def kinds() -> list[JobKind]:
    return list(_KINDS.values())


def kind_of(model: type[Job]) -> JobKind:
    return _KINDS[model]


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


# --- Sending -------------------------------------------------------------------------------


def _send(model: type[Job], pk: int, countdown: int) -> None:
    task = import_string(kind_of(model).task)
    try:
        task.apply_async(args=[pk], countdown=countdown or None, retry=False)
    except Exception:  # the broker is unreachable: the sweep sends it again later
        logger.warning(
            "%s %s stays queued: the broker did not take it", model.__name__, pk, exc_info=True
        )
        return
    model._default_manager.filter(pk=pk).update(enqueued_at=timezone.now())


def enqueue(model: type[Job], pk: int, *, countdown: int = 0) -> None:
    """Send the row's id to a worker once the current transaction commits (at once outside
    one). If the broker is down the row stays queued and the sweep sends it later."""
    transaction.on_commit(lambda: _send(model, pk, countdown))


# --- The life of an attempt -----------------------------------------------------------------


def claim(model: type[Job], pk: int) -> int | None:
    """Take a queued row for this worker: returns the attempt number, or None if someone else
    has it (a duplicate delivery), or it is finished.

    A running row whose worker process on this host is gone (a killed pool child: Celery
    gives its message back at once) is taken over here, without waiting for the sweep.
    """
    now = timezone.now()
    me = worker_name()
    fields = {
        "status": JobStatus.RUNNING,
        "attempts": F("attempts") + 1,
        "started_at": now,
        "heartbeat_at": now,
        "claimed_by": me,
    }
    if model._default_manager.filter(pk=pk, status=JobStatus.QUEUED).update(**fields) != 1:
        row = (
            model._default_manager.filter(pk=pk, status=JobStatus.RUNNING)
            .values("attempts", "claimed_by")
            .first()
        )
        if row is None or not _gone_from_this_host(row["claimed_by"]):
            return None
        kind = kind_of(model)
        if not kind.rerun_lost or row["attempts"] >= kind.max_attempts:
            lost(model, pk, row["attempts"], reason=_lost_reason(model, row["claimed_by"]))
            return None
        taken = model._default_manager.filter(
            pk=pk, status=JobStatus.RUNNING, attempts=row["attempts"], claimed_by=row["claimed_by"]
        ).update(**fields)
        if taken != 1:
            return None
        logger.warning("%s %s: taken over from %s", model.__name__, pk, row["claimed_by"])
    return model._default_manager.values_list("attempts", flat=True).get(pk=pk)


def _gone_from_this_host(claimed_by: str) -> bool:
    host, _sep, pid = claimed_by.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:  # a zombie: dead, not yet reaped by its parent
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def _lost_reason(model: type[Job], claimed_by: str) -> str:
    return kind_of(model).lost_message.format(worker=claimed_by or "(unknown)")


def _running(model: type[Job], pk: int, attempt: int) -> models.QuerySet:
    return model._default_manager.filter(pk=pk, status=JobStatus.RUNNING, attempts=attempt)


def heartbeat(model: type[Job], pk: int, attempt: int) -> bool:
    """Show the attempt is alive; False once it no longer holds the row."""
    return bool(_running(model, pk, attempt).update(heartbeat_at=timezone.now()))


def finish(
    model: type[Job], pk: int, attempt: int, *, status: str = JobStatus.DONE, **fields: Any
) -> bool:
    """End the attempt with the result's columns; False if it lost the row meanwhile. The
    status is done, or failed for a job that ended by refusing its input (an import whose
    file has errors): either way it is not run again."""
    return bool(
        _running(model, pk, attempt).update(
            status=status, finished_at=timezone.now(), heartbeat_at=None, **fields
        )
    )


def _error_text(error: BaseException | str) -> str:
    if isinstance(error, BaseException):
        return "".join(traceback.format_exception(error))[-20_000:]
    return error


def fail(model: type[Job], pk: int, attempt: int | None, error: BaseException | str) -> bool:
    """Mark the row failed for good, its error kept for staff: the attempt's row while it
    holds it, or (attempt None) a queued or running row whatever its attempt."""
    if attempt is None:
        rows = model._default_manager.filter(pk=pk, status__in=ACTIVE)
    else:
        rows = _running(model, pk, attempt)
    return bool(
        rows.update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            heartbeat_at=None,
            error_detail=_error_text(error),
            **kind_of(model).failed_fields(pk),
        )
    )


def retry_later(model: type[Job], pk: int, attempt: int, error: BaseException | str) -> str:
    """After a transient error: back to the queue with a growing delay, or failed once the
    kind's attempts are spent. Returns the row's new status ("" if it was not ours)."""
    kind = kind_of(model)
    if attempt >= kind.max_attempts:
        return JobStatus.FAILED if fail(model, pk, attempt, error) else ""
    delay = kind.retry_delay(attempt)
    requeued = _running(model, pk, attempt).update(
        status=JobStatus.QUEUED,
        due_at=timezone.now() + timedelta(seconds=delay),
        started_at=None,
        heartbeat_at=None,
        claimed_by="",
        error_detail=_error_text(error),
    )
    if not requeued:
        return ""
    enqueue(model, pk, countdown=delay)
    return JobStatus.QUEUED


def lost(model: type[Job], pk: int, attempt: int, *, reason: str) -> str:
    """A running attempt whose worker is gone: run it again at once, or fail it (after the
    last attempt, or for a kind that must never run twice)."""
    kind = kind_of(model)
    if not kind.rerun_lost or attempt >= kind.max_attempts:
        return JobStatus.FAILED if fail(model, pk, attempt, reason) else ""
    requeued = _running(model, pk, attempt).update(
        status=JobStatus.QUEUED,
        due_at=timezone.now(),
        started_at=None,
        heartbeat_at=None,
        claimed_by="",
        error_detail=reason,
    )
    if not requeued:
        return ""
    enqueue(model, pk)
    return JobStatus.QUEUED


def retry(model: type[Job], pk: int) -> bool:
    """Queue a failed row again with fresh attempts (the admin's "retry")."""
    requeued = model._default_manager.filter(pk=pk, status=JobStatus.FAILED).update(
        status=JobStatus.QUEUED,
        attempts=0,
        due_at=timezone.now(),
        enqueued_at=None,
        started_at=None,
        heartbeat_at=None,
        finished_at=None,
        claimed_by="",
    )
    if requeued:
        enqueue(model, pk)
    return bool(requeued)


class RetryLater(Exception):  # noqa: N818  a request, not an error
    """Raised by a job's work to be tried again later (e.g. the mail server refused)."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


class _Heartbeat(threading.Thread):
    def __init__(self, model: type[Job], pk: int, attempt: int) -> None:
        super().__init__(name=f"heartbeat-{model.__name__}-{pk}", daemon=True)
        self.model, self.pk, self.attempt = model, pk, attempt
        self.stopping = threading.Event()

    def run(self) -> None:
        from django.db import connections

        try:
            while not self.stopping.wait(settings.JOB_HEARTBEAT_SECONDS):
                try:
                    if not heartbeat(self.model, self.pk, self.attempt):
                        return  # taken back by the sweep: nothing left to show
                except DatabaseError:
                    logger.warning("heartbeat of %s %s failed", self.model.__name__, self.pk)
        finally:
            connections.close_all()  # this thread's own connections

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=10)


def execute(
    model: type[Job],
    pk: int,
    work: Callable[[int], Any],
    *,
    transient: tuple[type[BaseException], ...] = TRANSIENT,
) -> Any:
    """Run one attempt of a job: claim the row, call work(attempt) while a heartbeat shows
    it alive, and on an error retry later (transient errors, RetryLater) or fail. The work
    marks the row done itself (finish()), with its result, so only the attempt holding the
    claim can. Returns what work returned, or None when there was nothing to do or it failed.
    """
    from celery.exceptions import SoftTimeLimitExceeded

    attempt = claim(model, pk)
    if attempt is None:
        return None
    # Inside a transaction (a test, an eager task in a request) another connection would not
    # see the claimed row; such a run is watched by nothing anyway.
    beat = None if connection.in_atomic_block else _Heartbeat(model, pk, attempt)
    if beat:
        beat.start()
    try:
        return work(attempt)
    except RetryLater as request:
        logger.warning("%s %s: will retry: %s", model.__name__, pk, request.error)
        retry_later(model, pk, attempt, request.error)
    except SoftTimeLimitExceeded as error:
        fail(model, pk, attempt, error)
    except transient as error:
        logger.warning("%s %s: transient error, will retry: %r", model.__name__, pk, error)
        retry_later(model, pk, attempt, error)
    except Exception as error:
        logger.exception("%s %s failed", model.__name__, pk)
        fail(model, pk, attempt, error)
    finally:
        if beat:
            beat.stop()
    return None


# --- The sweep -----------------------------------------------------------------------------


def sweep() -> dict[str, dict[str, int]]:
    """Take back what killed workers left running; send again what the broker lost."""
    return {kind.model._meta.label: _sweep_kind(kind) for kind in kinds()}


def _sweep_kind(kind: JobKind) -> dict[str, int]:
    model = kind.model
    now = timezone.now()
    silent_since = now - timedelta(seconds=settings.JOB_LOST_AFTER_SECONDS)
    lease_start = now - timedelta(seconds=kind.lease_seconds)
    counts = {"rerun": 0, "failed": 0, "resent": 0}
    lost_rows = model._default_manager.filter(status=JobStatus.RUNNING).filter(
        Q(heartbeat_at__lt=silent_since)
        | Q(heartbeat_at__isnull=True, started_at__lt=silent_since)
        | Q(started_at__lt=lease_start)
    )
    for pk, attempt, claimed_by in lost_rows.values_list("pk", "attempts", "claimed_by"):
        outcome = lost(model, pk, attempt, reason=_lost_reason(model, claimed_by))
        if outcome == JobStatus.QUEUED:
            counts["rerun"] += 1
        elif outcome == JobStatus.FAILED:
            counts["failed"] += 1
    resend_before = now - timedelta(seconds=settings.JOB_RESEND_AFTER_SECONDS)
    forgotten = (
        model._default_manager.filter(status=JobStatus.QUEUED, due_at__lt=resend_before)
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=resend_before))
        .values_list("pk", flat=True)
    )
    for pk in forgotten:
        enqueue(model, pk)
        counts["resent"] += 1
    return counts
