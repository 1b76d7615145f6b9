"""A progress report: started, filled in (the form, its autosave), confirmed, read, its evidence."""

from dataclasses import dataclass
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    QueryDict,
)
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from alliance87 import fragments
from alliance87.access import (
    AccessRefused,
    focal_point_country_ids,
    is_secretariat,
)
from alliance87.accounts.sessions import MAX_KEPT_FORM_BYTES, Kept, form_keep, form_take
from alliance87.aggregates import AREAS

from .. import quality, reporting, selectors, services
from ..access import (
    get_pathfinder_for_user,
    get_report_for_user,
)
from ..forms import ProgressReportForm
from ..models import IndicatorValue, ProgressReport, ReportStatus
from .common import _signed_in

# Under which key a form posted after the session expired waits for its author.
PENDING_KEY = "pathfinders:pending-report:{pk}"


@login_required
@require_POST
def report_start(request: HttpRequest, iso_code: str) -> HttpResponse:
    pathfinder = get_pathfinder_for_user(request.user, iso_code, write=True)
    period = selectors.current_period()
    if period is None:
        messages.error(request, _("No reporting period is open."))
        return redirect("pathfinders:country_detail", iso_code=pathfinder.country.iso_code)
    try:
        report = services.report_start(
            pathfinder=pathfinder, period=period, user=_signed_in(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("pathfinders:country_detail", iso_code=pathfinder.country.iso_code)
    return redirect("pathfinders:report_edit", pk=report.pk)


@login_required
@require_safe
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    report = selectors.report_with_parts(report=report)
    indicators, commitments = selectors.report_form_parts(report=report)
    values = {v.indicator_id: v for v in report.values.all()}
    updates = {u.commitment_id: u for u in report.commitment_updates.all()}
    comments = selectors.latest_review_comments(report=report)
    previous = selectors.previous_values(report=report)
    flags = selectors.report_flags(report=report, previous=previous)
    groups = selectors.report_value_rows(
        report=report,
        indicators=indicators,
        comments=comments["indicator"],
        flags=flags,
        previous=previous,
    )
    staff = is_secretariat(request.user)
    transitions = selectors.report_transitions(report=report)
    return render(
        request,
        "pathfinders/progressreport_detail.html",
        {
            "report": report,
            "groups": groups,
            "commitment_rows": [
                {
                    "commitment": c,
                    "update": updates.get(c.pk),
                    "comments": comments["commitment"].get(c.pk, []),
                }
                for c in commitments
            ],
            "review": comments,
            "transitions": transitions,
            "reopened": next(
                (t for t in reversed(transitions) if t.to_status == ReportStatus.REOPENED), None
            )
            if report.status == ReportStatus.REOPENED
            else None,
            "history": selectors.report_history(report=report) if staff else None,
            "can_edit": report.is_editable
            and report.pathfinder.country_id in focal_point_country_ids(request.user),
            "can_review": staff and report.status == ReportStatus.SUBMITTED,
            "can_reopen": staff and report.status == ReportStatus.ACCEPTED,
            "status_badge": selectors.STATUS_BADGES[report.status],
            "reported": sum(1 for v in values.values() if v.has_value),
            "indicator_count": len(indicators),
            "timeliness_rule": selectors.TIMELINESS_RULE,
            "flag_count": len(flags),
            "jump_rule": quality.jump_rule(),
        },
    )


def _stash_expired_post(request: HttpRequest, pk: int) -> HttpResponse:
    """The session expired while the form was open: keep what was sent for after sign-in."""
    data = {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"}
    kept, size = form_keep(
        request,
        key=PENDING_KEY.format(pk=pk),
        data=data,
        files=[
            upload.name or ""
            for upload in request.FILES.values()
            if isinstance(upload, UploadedFile)
        ],
    )
    if kept is Kept.KEPT:
        messages.warning(
            request,
            _(
                "Your session had expired, so nothing was saved yet. Sign in again: the values "
                "you entered are kept and shown in the form for you to save."
            ),
        )
    elif kept is Kept.TOO_LARGE:
        messages.error(
            request,
            _(
                "Your session had expired, so nothing was saved, and the form was too large to "
                "keep (%(size)s; at most %(limit)s are kept). Sign in and enter the values again."
            )
            % {"size": filesizeformat(size), "limit": filesizeformat(MAX_KEPT_FORM_BYTES)},
        )
    else:
        messages.warning(
            request, _("You were not signed in, so nothing was saved. Sign in to continue.")
        )
    return redirect_to_login(reverse("pathfinders:report_edit", args=[pk]))


@dataclass
class _FormParts:
    """What the progress form is built from, loaded once per request."""

    report: ProgressReport
    indicators: list
    commitments: list
    references: dict
    previous: dict

    def form(self, data=None, files=None) -> ProgressReportForm:
        return ProgressReportForm(
            report=self.report,
            indicators=self.indicators,
            commitments=self.commitments,
            data=data,
            files=files,
            references=self.references,
            previous=self.previous,
        )

    def save(self, form: ProgressReportForm, user) -> ProgressReport:
        """The one save of a draft (services.report_save), with the version the form holds."""
        return services.report_save(
            report=self.report,
            user=user,
            expected_version=form.expected_version,
            data=form.to_input(),
            indicators=self.indicators,
            commitments=self.commitments,
            previous=self.previous,
        )


def _not_editable(request: HttpRequest, report: ProgressReport) -> HttpResponse:
    messages.info(
        request,
        _("This report is %(status)s: it can no longer be changed.")
        % {"status": report.get_status_display().lower()},
    )
    return redirect("pathfinders:report_detail", pk=report.pk)


def _form_parts(report: ProgressReport) -> _FormParts:
    report = selectors.report_with_parts(report=report)
    indicators, commitments = selectors.report_form_parts(report=report)
    return _FormParts(
        report=report,
        indicators=indicators,
        commitments=commitments,
        references=reporting.references(
            pathfinder=report.pathfinder, period=report.period, indicators=indicators
        ),
        previous=selectors.previous_values(report=report),
    )


def _form_from_pending(request: HttpRequest, parts: _FormParts, pending: dict):
    """The values sent after the session expired, shown again (not saved) for their author."""
    data = QueryDict(mutable=True)
    for key, values in pending["data"].items():
        data.setlist(key, values)
    form = parts.form(data)
    form.is_valid()
    messages.warning(
        request,
        _(
            "These are the values you sent before your session expired. They are not saved "
            "yet: check them, then save the draft or submit."
        ),
    )
    if pending["files"]:
        messages.warning(
            request,
            _("Attach these files again, they could not be kept: %(names)s")
            % {"names": ", ".join(pending["files"])},
        )
    return form


def _after_save(request: HttpRequest, report: ProgressReport, action: str) -> HttpResponse:
    """Where a saved form goes: back to the form, to the review step, or (a client that
    posts "submit") straight through the workflow's submission."""
    if action == "review":
        return redirect("pathfinders:report_confirm", pk=report.pk)
    if action != "submit":
        messages.success(request, _("Draft saved. You can come back to it at any time."))
        return redirect("pathfinders:report_edit", pk=report.pk)
    try:
        services.report_submit(
            report=report, user=_signed_in(request), expected_version=report.version
        )
    except ValidationError as error:
        messages.error(
            request,
            _("Your draft was saved but not submitted: %(reason)s")
            % {"reason": " ".join(error.messages)},
        )
        return redirect("pathfinders:report_edit", pk=report.pk)
    messages.success(
        request,
        _("Report submitted to the Secretariat. You will get an email once it is reviewed."),
    )
    return redirect("pathfinders:report_detail", pk=report.pk)


def _report_form_context(
    parts: _FormParts,
    form: ProgressReportForm,
    *,
    conflict: services.ReportConflict | None = None,
    status: int = 200,
) -> dict:
    report = parts.report
    # A refused save keeps the files chosen with it, so they stay attached to the page.
    files_kept = form.keep_evidence() if status != 200 else True
    review = selectors.latest_review_comments(report=report)
    stored = selectors.stored_values(report=report) if conflict else {}
    for indicator_part in form.indicator_forms:
        indicator_part.review_comments = review["indicator"].get(indicator_part.indicator.pk, [])
        indicator_part.stored_now = stored.get(("indicator", indicator_part.indicator.pk))
    for commitment_part in form.commitment_forms:
        commitment_part.review_comments = review["commitment"].get(
            commitment_part.commitment.pk, []
        )
        commitment_part.stored_now = stored.get(("commitment", commitment_part.commitment.pk))
    return {
        "report": report,
        "title": report_form_title(report),
        "form": form,
        "conflict": conflict,
        "problems": [] if conflict else form.problems(),
        "sections": form.sections(),
        "comment_links": form.comment_links(),
        "review": review,
        "files_dropped": not files_kept,
        "status_badge": selectors.STATUS_BADGES[report.status],
    }


def _render_report_form(
    request: HttpRequest,
    parts: _FormParts,
    form: ProgressReportForm,
    *,
    conflict: services.ReportConflict | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "pathfinders/progressreport_form.html",
        _report_form_context(parts, form, conflict=conflict, status=status),
        status=status,
    )


class _Closed(Exception):
    """The report can no longer be filled in."""

    def __init__(self, report: ProgressReport):
        self.report = report


def _editable_report(request: HttpRequest, pk: int) -> ProgressReport:
    report = get_report_for_user(request.user, pk, write=True)
    if not report.is_editable:
        raise _Closed(report)
    return report


def report_form_title(report: ProgressReport) -> str:
    return _("Report of %(country)s, %(period)s") % {
        "country": report.pathfinder.country.local_name,
        "period": report.period.label,
    }


def _render_stored_report_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The form as the report is stored, for the person: kept in the cache until any area's
    data changes (a save changes the report's version) or the quarter hour turns; it carries the
    session's CSRF token. The report is read (and the person's right to fill it in checked)
    only when the form is not in the cache."""

    def context(report: ProgressReport) -> dict:
        parts = _form_parts(report)
        return _report_form_context(parts, parts.form())

    page = fragments.cached_page(
        request,
        "pathfinders/includes/report_form_body.html",
        areas=AREAS,
        part=str(pk),
        load=lambda: _editable_report(request, pk),
        title=report_form_title,
        context=context,
        form=True,
    )
    return render(request, "pathfinders/progressreport_form.html", {"page": page})


@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        if request.method == "POST":
            return _stash_expired_post(request, pk)
        return redirect_to_login(request.get_full_path())
    pending = form_take(request, key=PENDING_KEY.format(pk=pk))
    try:
        if request.method == "GET" and not pending:
            return _render_stored_report_form(request, pk)
        report = _editable_report(request, pk)
    except _Closed as closed:
        return _not_editable(request, closed.report)
    if request.method == "GET" and pending:
        parts = _form_parts(report)
        return _render_report_form(request, parts, _form_from_pending(request, parts, pending))
    parts = _form_parts(report)
    form = parts.form(request.POST, request.FILES)
    if not form.is_valid():
        return _render_report_form(request, parts, form, status=400)
    try:
        report = parts.save(form, request.user)
    except services.ReportConflict as error:
        form.set_version(error.current.version)
        return _render_report_form(request, parts, form, conflict=error, status=409)
    except services.ReportNotEditable as error:
        messages.error(request, " ".join(error.messages))
        return redirect("pathfinders:report_detail", pk=report.pk)
    form.discard_kept_evidence()
    return _after_save(request, report, request.POST.get("action", "save"))


# A draft saved as the focal point types leaves files and their removal to the form's own
# save: a file is sent once, when the person chooses to save.
_NOT_AUTOSAVED = ("-evidence", "-remove_evidence", "-evidence_kept")


@require_POST
def report_draft(request: HttpRequest, pk: int) -> JsonResponse:
    """The form's values saved as they are typed (report_form.js): the same save as the form's,
    with the version the page holds, so two tabs never overwrite each other. Answers JSON."""
    if not request.user.is_authenticated:
        return JsonResponse({"state": "signed_out"}, status=401)
    report = get_report_for_user(request.user, pk, write=True)
    if not report.is_editable:
        return JsonResponse({"state": "closed"}, status=409)
    parts = _form_parts(report)
    data = request.POST.copy()
    for key in [k for k in data if k.endswith(_NOT_AUTOSAVED)]:
        del data[key]
    form = parts.form(data)
    if not form.is_valid():
        return JsonResponse(
            {
                "state": "invalid",
                "errors": {problem.anchor: problem.message for problem in form.problems()},
            },
            status=400,
        )
    try:
        report = parts.save(form, request.user)
    except services.ReportConflict as error:
        return JsonResponse({"state": "conflict", "message": " ".join(error.messages)}, status=409)
    except services.ReportNotEditable:
        return JsonResponse({"state": "closed"}, status=409)
    return JsonResponse(
        {
            "state": "saved",
            "version": report.version,
            # In the reader's time zone and convention, as the page shows every time.
            "saved_at": time_format(timezone.localtime(report.updated_at)),
        }
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The review step before submission: what will be sent and what is missing, then the
    focal point confirms and the workflow's one submission runs."""
    report = get_report_for_user(request.user, pk, write=True)
    if not report.is_editable:
        return _not_editable(request, report)
    status = 200
    refusal = None
    if request.method == "POST":
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = -1  # no version seen: refused as a conflict, the page shows the current one
        try:
            services.report_submit(
                report=report, user=_signed_in(request), expected_version=version
            )
        except services.ReportNotEditable as error:
            messages.error(request, " ".join(error.messages))
            return redirect("pathfinders:report_detail", pk=report.pk)
        except ValidationError as error:
            refusal, status = error, 409 if isinstance(error, services.ReportConflict) else 400
            report = ProgressReport.objects.get(pk=report.pk)
        else:
            messages.success(
                request,
                _(
                    "Report submitted to the Secretariat. You will get an email once it is "
                    "reviewed."
                ),
            )
            return redirect("pathfinders:report_detail", pk=report.pk)
    report = selectors.report_with_parts(report=report)
    indicators, commitments = selectors.report_form_parts(report=report)
    updates = {u.commitment_id: u for u in report.commitment_updates.all()}
    groups = selectors.report_value_rows(report=report, indicators=indicators)
    return render(
        request,
        "pathfinders/progressreport_confirm.html",
        {
            "report": report,
            "groups": groups,
            "commitment_rows": [
                {"commitment": c, "update": updates.get(c.pk)} for c in commitments
            ],
            "missing_values": [
                row["indicator"]
                for _pillar, rows in groups
                for row in rows
                if not (row["value"] and row["value"].has_value)
            ],
            "missing_commitments": [c for c in commitments if c.pk not in updates],
            "refusal": refusal,
            "status_badge": selectors.STATUS_BADGES[report.status],
        },
        status=status,
    )


@login_required
@require_safe
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    value = (
        IndicatorValue.objects.filter(pk=pk).only("report_id", "evidence", "evidence_type").first()
    )
    if value is None or not value.evidence:
        raise AccessRefused
    get_report_for_user(request.user, value.report_id)
    try:
        handle = value.evidence.open("rb")
    except FileNotFoundError as error:
        raise AccessRefused from error
    return FileResponse(
        handle,
        as_attachment=True,
        filename=Path(value.evidence.name).name,
        content_type=value.evidence_type or None,
    )
