"""Every write of the report pipeline: ask, claim, render, finish, fail, sweep, prune."""

import logging
import time
import traceback
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alliance87.accounts.models import User

from .kinds import KINDS
from .models import ReportRequest

if TYPE_CHECKING:
    from .fetcher import PortalURLFetcher

logger = logging.getLogger(__name__)
Status = ReportRequest.Status


class ReportRateLimited(Exception):
    pass


class UnknownReport(ValueError):
    pass


def _enqueue(request_id: int) -> None:
    """Hand the id to the broker; if the broker is down the request stays queued for the sweep."""
    from .tasks import render_report

    try:
        render_report.apply_async(args=[request_id], retry=False)
    except Exception:  # the broker is unreachable: the sweep sends it again later
        logger.warning(
            "report %s stays queued: the broker did not take it", request_id, exc_info=True
        )
        return
    ReportRequest.objects.filter(pk=request_id).update(enqueued_at=timezone.now())


def report_request(
    *, user: User, kind: str, parameters: dict, language: str
) -> tuple[ReportRequest, bool]:
    """Ask for a report; join an identical queued or running one. Returns (request, joined)."""
    report_kind = KINDS.get(kind)
    if report_kind is None or set(parameters) != set(report_kind.parameters):
        raise UnknownReport(kind)
    if not report_kind.allows(user, parameters):
        raise PermissionDenied
    since = timezone.now() - timedelta(hours=1)
    asked = ReportRequest.objects.filter(requested_by=user, created_at__gte=since).count()
    if asked >= settings.REPORT_REQUESTS_PER_HOUR:
        raise ReportRateLimited
    subject_key = report_kind.subject_key(parameters)
    active = ReportRequest.objects.filter(
        subject_key=subject_key, language=language, status__in=ReportRequest.ACTIVE
    )
    for _attempt in range(2):
        existing = active.first()
        if existing is not None:
            existing.requesters.add(user)
            return existing, True
        try:
            with transaction.atomic():
                request = ReportRequest(
                    kind=kind,
                    parameters=parameters,
                    subject_key=subject_key,
                    language=language,
                    requested_by=user,
                )
                request.full_clean(validate_constraints=False)
                request.save()
                request.requesters.add(user)
                transaction.on_commit(lambda pk=request.pk: _enqueue(pk))
        except IntegrityError:
            continue  # someone asked at the same moment: join theirs
        return request, False
    raise IntegrityError("could not create or join the report request")


def report_schedule(*, kind: str, parameters: dict, language: str, since) -> ReportRequest | None:
    """A report the schedule asks for: once per subject and language after `since`.

    Returns the new request, or None when one was already asked for since then.
    """
    report_kind = KINDS[kind]
    subject_key = report_kind.subject_key(parameters)
    if ReportRequest.objects.filter(
        subject_key=subject_key, language=language, created_at__gte=since
    ).exists():
        return None
    try:
        with transaction.atomic():
            request = ReportRequest(
                kind=kind, parameters=parameters, subject_key=subject_key, language=language
            )
            request.full_clean(validate_constraints=False)
            request.save()
            transaction.on_commit(lambda pk=request.pk: _enqueue(pk))
    except IntegrityError:
        return None  # one is queued or running already
    return request


def report_claim(*, request_id: int) -> int | None:
    """Take a queued request for this worker. Returns the attempt number, or None if taken."""
    claimed = ReportRequest.objects.filter(pk=request_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1
    )
    if claimed != 1:
        return None
    return ReportRequest.objects.values_list("attempts", flat=True).get(pk=request_id)


def render_pdf(*, template: str, context: dict, language: str) -> tuple[bytes, "PortalURLFetcher"]:
    # WeasyPrint loads its stylesheets on import: only the workers that render pay for it.
    from weasyprint import HTML

    from .fetcher import BASE_URL, PortalURLFetcher

    with translation.override(language):
        html = render_to_string(template, context)
    fetcher = PortalURLFetcher()
    pdf = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()
    return pdf, fetcher


def report_document(*, request: ReportRequest, as_of: datetime) -> tuple[bytes, "PortalURLFetcher"]:
    """The PDF of a request: its kind's data read now, shown as of `as_of`."""
    kind = KINDS[request.kind]
    with translation.override(request.language):
        context = kind.build_context(request.parameters)
        context.update(
            {
                "report_title": str(kind.label),
                "generated_at": timezone.now(),
                "data_as_of": as_of,
                "language": request.language,
            }
        )
    return render_pdf(template=kind.template, context=context, language=request.language)


def report_render(*, request_id: int, attempt: int) -> bool:
    """Render a claimed request. Only the attempt holding the claim may finish it."""
    request = ReportRequest.objects.get(pk=request_id)
    started = time.monotonic()
    as_of = timezone.now()
    pdf, fetcher = report_document(request=request, as_of=as_of)
    if fetcher.refused:
        logger.warning("report %s: refused to fetch %s", request_id, fetcher.refused)
    name = default_storage.save(
        f"reports/{request.token}/{request.kind}-{attempt}.pdf", ContentFile(pdf)
    )
    finished = ReportRequest.objects.filter(
        pk=request_id, status=Status.RUNNING, attempts=attempt
    ).update(
        status=Status.DONE,
        file=name,
        finished_at=timezone.now(),
        data_as_of=as_of,
        render_seconds=round(time.monotonic() - started, 3),
        error_message="",
        error_detail="",
    )
    if finished != 1:
        # Another attempt took over (after a lost worker): keep only the winner's file.
        default_storage.delete(name)
        return False
    return True


def report_requeue(*, request_id: int, attempt: int) -> bool:
    """Give a request back to the queue for a retry after a transient error."""
    return bool(
        ReportRequest.objects.filter(pk=request_id, status=Status.RUNNING, attempts=attempt).update(
            status=Status.QUEUED, started_at=None
        )
    )


def report_fail(*, request_id: int, attempt: int | None, error: BaseException) -> None:
    rows = ReportRequest.objects.filter(pk=request_id, status__in=ReportRequest.ACTIVE)
    if attempt is not None:
        rows = rows.filter(attempts=attempt)
    rows.update(
        status=Status.FAILED,
        finished_at=timezone.now(),
        error_message=_(
            "The report could not be produced. The Secretariat has the details; please try again later."
        ),
        error_detail="".join(traceback.format_exception(error))[-20_000:],
    )


def report_sweep() -> dict[str, int]:
    """Send again what a lost broker or a killed worker left behind.

    Queued requests not sent (or sent long ago) are sent again: a duplicate delivery does
    nothing, as only one claim succeeds. Running requests older than the hard time limit
    belong to a dead worker: they go back to the queue, or fail after the last attempt.
    """
    now = timezone.now()
    stale_running = now - timedelta(seconds=settings.REPORT_LEASE_SECONDS)
    resend_before = now - timedelta(seconds=settings.REPORT_RESEND_AFTER_SECONDS)
    failed = 0
    requeued = []
    for request in ReportRequest.objects.filter(
        status=Status.RUNNING, started_at__lt=stale_running
    ):
        if request.attempts >= settings.REPORT_MAX_ATTEMPTS:
            report_fail(
                request_id=request.pk,
                attempt=request.attempts,
                error=TimeoutError("The worker was lost on every attempt."),
            )
            failed += 1
        elif report_requeue(request_id=request.pk, attempt=request.attempts):
            requeued.append(request.pk)
    queued = requeued + list(
        ReportRequest.objects.filter(status=Status.QUEUED, created_at__lt=resend_before)
        .exclude(enqueued_at__gte=resend_before)
        .values_list("pk", flat=True)
    )
    for request_id in queued:
        _enqueue(request_id)
    return {"resent": len(queued), "failed": failed}


def report_prune_files(*, older_than_days: int) -> int:
    """Delete old PDF files; the request rows stay as the record of what was produced."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    pruned = 0
    for request in ReportRequest.objects.filter(status=Status.DONE, finished_at__lt=cutoff).exclude(
        file=""
    ):
        default_storage.delete(request.file.name)
        ReportRequest.objects.filter(pk=request.pk).update(file="", file_pruned_at=timezone.now())
        pruned += 1
    return pruned
