"""Every write of the report pipeline: ask, render, retry, prune (alliance87.jobs runs them)."""

import logging
import time
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alliance87 import jobs
from alliance87.accounts.models import User

from .kinds import KINDS
from .models import ReportRequest

if TYPE_CHECKING:
    from .fetcher import PortalURLFetcher

logger = logging.getLogger(__name__)
Status = ReportRequest.Status
# A PDF is shared by everyone who asked for it (and the scheduled ones by nobody in
# particular): its times are in UTC, and say so, whoever reads it.
PDF_TIME_ZONE = "UTC"


class ReportRateLimited(Exception):
    pass


class UnknownReport(ValueError):
    pass


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
                jobs.enqueue(ReportRequest, request.pk)
        except IntegrityError:
            continue  # someone asked at the same moment: join theirs
        return request, False
    raise IntegrityError("could not create or join the report request")


def report_schedule(
    *, kind: str, parameters: dict, language: str, since: datetime
) -> ReportRequest | None:
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
            jobs.enqueue(ReportRequest, request.pk)
    except IntegrityError:
        return None  # one is queued or running already
    return request


def render_pdf(*, template: str, context: dict, language: str) -> tuple[bytes, "PortalURLFetcher"]:
    # WeasyPrint loads its stylesheets on import: only the workers that render pay for it.
    from weasyprint import HTML

    from .fetcher import BASE_URL, PortalURLFetcher

    with translation.override(language), timezone.override(PDF_TIME_ZONE):
        html = render_to_string(template, context)
    fetcher = PortalURLFetcher()
    # Tagged (PDF/UA-1): screen readers get the structure, the document language and the title.
    pdf = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf(
        pdf_variant="pdf/ua-1"
    )
    return pdf, fetcher


def report_document(*, request: ReportRequest, as_of: datetime) -> tuple[bytes, "PortalURLFetcher"]:
    """The PDF of a request: its kind's data read now, shown as of `as_of`."""
    kind = KINDS[request.kind]
    with translation.override(request.language), timezone.override(PDF_TIME_ZONE):
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
    finished = jobs.finish(
        ReportRequest,
        request_id,
        attempt,
        file=name,
        data_as_of=as_of,
        render_seconds=round(time.monotonic() - started, 3),
        error_message="",
        error_detail="",
    )
    if not finished:
        # Another attempt took over (after a lost worker): keep only the winner's file.
        default_storage.delete(name)
        return False
    return True


def report_failed_fields(request_id: int) -> dict:
    """What the requester reads when a report fails, in the report's language; the error
    itself is for staff."""
    language = ReportRequest.objects.values_list("language", flat=True).get(pk=request_id)
    with translation.override(language):
        return {
            "error_message": _(
                "The report could not be produced. The Secretariat has the details; please try again later."
            )
        }


def report_retry(*, request_id: int) -> bool:
    """Queue a failed report again (the admin's retry). False if it is not failed, or if the
    same report is queued or running already (then that one is the retry)."""
    try:
        with transaction.atomic():
            return jobs.retry(ReportRequest, request_id)
    except IntegrityError:
        return False


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
